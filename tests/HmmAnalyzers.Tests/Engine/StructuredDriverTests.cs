using System.Collections.Generic;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>
    /// Which methods the structured driver follows over the operation tree, and which it leaves to the control flow
    /// graph. What it reports is checked against the graph driver by <see cref="DriverEquivalenceTests"/>; these tests
    /// check that the fast path is taken where it should be and given up where it must be.
    /// </summary>
    public class StructuredDriverTests
    {
        private const string Source = Verify.Usings + @"
class C
{
    private readonly object _gate = new object();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
    private readonly Lock _lock = new Lock();
    [GuardedBy(nameof(_gate))] private int _n;

    int ReturnInsideLock() { lock (_gate) { return _n; } }
    bool TryEnterOrBail() { if (!Monitor.TryEnter(_gate)) { return false; } try { _n++; return true; } finally { Monitor.Exit(_gate); } }
    void TakenFlag() { bool taken = false; try { Monitor.Enter(_gate, ref taken); _n++; } finally { if (taken) Monitor.Exit(_gate); } }
    int LoopWithBreakAndContinue(int k) { var t = 0; for (var i = 0; i < k; i++) { lock (_gate) { if (i % 2 == 0) continue; t += _n; if (t > 9) break; } } return t; }
    int WhileAndDo(int k) { while (k > 0) { lock (_gate) { k -= _n; } } do { Monitor.Enter(_gate); k++; Monitor.Exit(_gate); } while (k < 3); return k; }
    int Switch(int k) { Monitor.Enter(_gate); try { switch (k) { case 0: return _n; case 1: _n++; break; default: break; } } finally { Monitor.Exit(_gate); } return 0; }
    void Upgrade() { _rw.EnterUpgradeableReadLock(); try { _rw.EnterWriteLock(); try { } finally { _rw.ExitWriteLock(); } } finally { _rw.ExitUpgradeableReadLock(); } }
    void Scopes(bool b) { using (_lock.EnterScope()) { if (b) return; } using var scope = _lock.EnterScope(); }
    async Task AwaitInTry() { await _sem.WaitAsync(); try { await Task.Yield(); } finally { _sem.Release(); } }
    void CatchWithoutLockChanges() { lock (_gate) { try { _n++; } catch (InvalidOperationException) { _n--; } } }
    void ShortCircuit(bool b) { if (Monitor.TryEnter(_gate) && b) { Monitor.Exit(_gate); } else { } }

    void JoinMismatch(bool b) { if (b) { Monitor.Enter(_gate); } _n++; }
    void BackEdgeMismatch(int k) { for (var i = 0; i < k; i++) { Monitor.Enter(_gate); } }
    void CatchAroundBalancedLock() { try { Monitor.Enter(_gate); _n++; Monitor.Exit(_gate); } catch (InvalidOperationException) { } }
    void HandlerAfterReleaseInTry() { Monitor.Enter(_gate); try { _n++; Monitor.Exit(_gate); } catch (InvalidOperationException) { } }

    void Goto(int k) { lock (_gate) { if (k > 0) goto done; _n++; } done: ; }
    void Lambda() { Action a = () => { lock (_gate) { _n++; } }; a(); }
    void DeferredLambdaAndLocalFunction() { Task.Run(() => { lock (_gate) { _n++; } }); lock (_gate) { Local(); } return; void Local() { _n++; } }
    void LambdaWithAJoinMismatch(bool b) { Action a = () => { if (b) { Monitor.Enter(_gate); } _n++; }; a(); }
    void LockInABranchOfAnExpression(bool b) { var x = b ? Monitor.TryEnter(_gate) : false; }

    // Relevant from its contract before the scan reaches anything: the scan still has to find the branch's lock change.
    [RequiresExclusive(nameof(_gate))] void ContractThenLockInABranch(bool b) { _n++; var x = b ? Monitor.TryEnter(_sem) : false; }
    [RequiresExclusive(nameof(_gate))] void ContractThenFlagSetInABranch(bool b) { var taken = false; var x = b ? (taken = true) : false; }
}";

        [Theory]
        [InlineData("ReturnInsideLock")]
        [InlineData("TryEnterOrBail")]
        [InlineData("TakenFlag")]
        [InlineData("LoopWithBreakAndContinue")]
        [InlineData("WhileAndDo")]
        [InlineData("Switch")]
        [InlineData("Upgrade")]
        [InlineData("Scopes")]
        [InlineData("AwaitInTry")]
        [InlineData("CatchWithoutLockChanges")]
        [InlineData("CatchAroundBalancedLock")]
        [InlineData("Lambda")]
        [InlineData("DeferredLambdaAndLocalFunction")]
        public void StatementShapedMethodsStayOnTheTree(string name)
        {
            var (need, facts) = Run(name);
            Assert.Equal(AnalysisNeed.Structured, need);
            Assert.NotNull(facts);
        }

        [Theory]
        [InlineData("ShortCircuit")]
        [InlineData("JoinMismatch")]
        [InlineData("BackEdgeMismatch")]
        [InlineData("HandlerAfterReleaseInTry")]
        [InlineData("LambdaWithAJoinMismatch")]
        public void WhereTheLocksetsDifferTheGraphDriverTakesOver(string name)
        {
            var (need, facts) = Run(name);
            Assert.Equal(AnalysisNeed.Structured, need);
            Assert.Null(facts);
        }

        [Theory]
        [InlineData("Goto")]
        [InlineData("LockInABranchOfAnExpression")]
        [InlineData("ContractThenLockInABranch")]
        [InlineData("ContractThenFlagSetInABranch")]
        public void WhatTheTreeCannotFollowGoesStraightToTheGraph(string name)
        {
            var (need, _) = Run(name);
            Assert.Equal(AnalysisNeed.Flow, need);
        }

        [Fact]
        public void NestedFunctionsGetTheirOwnFactsAndStartFromWhereTheyRun()
        {
            var (_, facts) = Run("DeferredLambdaAndLocalFunction");
            Assert.Equal(3, facts!.Count);
            var lambda = facts.Single(f => f.Symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction });
            var local = facts.Single(f => f.Symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction });
            Assert.True(lambda.IsNested && local.IsNested);

            // Task.Run runs the lambda later: it starts with no lock. Local() is called under _gate: it starts holding it.
            Assert.Null(Assert.Single(lambda.Acquisitions).Existing);
            var access = Assert.Single(local.Accesses);
            Assert.NotNull(access.State.Find(access.Required));
        }

        [Fact]
        public void FactsFromTheTreeCarryTheLocksetAtEachAccess()
        {
            var (_, facts) = Run("LoopWithBreakAndContinue");
            var access = Assert.Single(facts!.Single().Accesses);
            Assert.Equal("_gate", access.Required.ToString());
            Assert.NotNull(access.State.Find(access.Required));
        }

        private static (AnalysisNeed Need, List<MethodFacts>? Facts) Run(string name)
        {
            var tree = CSharpSyntaxTree.ParseText(Source);
            var compilation = CSharpCompilation.Create("p", new[] { tree }, Verify.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var semanticModel = compilation.GetSemanticModel(tree);
            var declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == name);
            var method = semanticModel.GetDeclaredSymbol(declaration)!;
            var body = semanticModel.GetOperation(declaration)!;
            var model = new AnnotationModel(compilation);
            var need = RelevanceScan.Classify(body, model.GetContract(method), model, new List<IMethodSymbol>());
            return (need, need == AnalysisNeed.Structured ? MethodAnalysis.RunStructured(model, body, method, method.Locations[0], default) : null);
        }
    }
}
