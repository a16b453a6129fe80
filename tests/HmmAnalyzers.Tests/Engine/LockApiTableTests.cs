using System.Collections.Generic;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>
    /// The one table of lock APIs is complete: every framework lock kind the analyzer classifies has a way to take and to
    /// give back the lock, and every call the table says changes a lock sends its method to the analysis.
    /// </summary>
    public class LockApiTableTests
    {
        private const string Source = Verify.Usings + @"
class C
{
    private readonly object _o = new object();
    private readonly Lock _l = new Lock();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private SpinLock _s;
    private readonly Mutex _m = new Mutex();
    private readonly SemaphoreSlim _ss = new SemaphoreSlim(1, 1);
    private readonly Semaphore _sem = new Semaphore(1, 1);

    void MonitorEnter() { Monitor.Enter(_o); }
    void MonitorEnterFlag(ref bool taken) { Monitor.Enter(_o, ref taken); }
    void MonitorTryEnterTimeout() { Monitor.TryEnter(_o, 10); }
    void MonitorTryEnter() { Monitor.TryEnter(_o); }
    void MonitorExit() { Monitor.Exit(_o); }
    void LockEnter() { _l.Enter(); }
    void LockTryEnter() { _l.TryEnter(); }
    void LockExit() { _l.Exit(); }
    void LockScope() { _l.EnterScope(); }
    void ScopeDispose(Lock.Scope scope) { scope.Dispose(); }
    void ReadLock() { _rw.EnterReadLock(); }
    void WriteLock() { _rw.EnterWriteLock(); }
    void UpgradeableLock() { _rw.EnterUpgradeableReadLock(); }
    void TryReadLock() { _rw.TryEnterReadLock(1); }
    void TryWriteLock() { _rw.TryEnterWriteLock(1); }
    void TryUpgradeableLock() { _rw.TryEnterUpgradeableReadLock(1); }
    void ExitReadLock() { _rw.ExitReadLock(); }
    void ExitWriteLock() { _rw.ExitWriteLock(); }
    void ExitUpgradeableLock() { _rw.ExitUpgradeableReadLock(); }
    void SpinEnter(ref bool taken) { _s.Enter(ref taken); }
    void SpinTryEnter(ref bool taken) { _s.TryEnter(ref taken); }
    void SpinExit() { _s.Exit(); }
    void MutexWait() { _m.WaitOne(); }
    void MutexTryWait() { _m.WaitOne(10); }
    void MutexRelease() { _m.ReleaseMutex(); }
    void SlimWait() { _ss.Wait(); }
    void SlimTryWait() { _ss.Wait(10); }
    async Task SlimWaitAsync() { await _ss.WaitAsync(); }
    async Task SlimTryWaitAsync() { await _ss.WaitAsync(10); }
    void SlimRelease() { _ss.Release(); }
    void SemaphoreWait() { _sem.WaitOne(); }
    void SemaphoreTryWait() { _sem.WaitOne(10); }
    void SemaphoreRelease() { _sem.Release(); }
}";

        [Fact]
        public void EveryLockKindTheAnalyzerClassifiesHasEntriesToTakeAndGiveBackTheLock()
        {
            var (compilation, _) = Compile();
            var model = new AnnotationModel(compilation);
            var kinds = new List<KnownType>();
            foreach (var field in compilation.GetTypeByMetadataName("C")!.GetMembers().OfType<IFieldSymbol>())
            {
                Assert.NotNull(model.Classify(field.Type, field));
                kinds.Add(KnownTypes.Of(field.Type) is var known && known == KnownType.None ? KnownType.Monitor : known);
            }

            Assert.Equal(7, kinds.Distinct().Count());
            foreach (var kind in kinds)
            {
                var entries = LockApiTable.Entries.Where(e => e.Type == kind).ToList();
                Assert.Contains(entries, e => e.Effect is LockEffectKind.Acquire or LockEffectKind.Scope);
                Assert.Contains(entries, e => e.Effect is LockEffectKind.Release);
                Assert.Contains(entries, e => e.IsTryAcquire);
            }

            Assert.Contains(LockApiTable.Entries, e => e.Type == KnownType.LockScope && e.Effect == LockEffectKind.Release);
        }

        [Fact]
        public void TheRelevanceScanSendsEveryMethodCallingALockApiToTheAnalysisAndEveryEntryIsCalledHere()
        {
            var (compilation, tree) = Compile();
            var semanticModel = compilation.GetSemanticModel(tree);
            var model = new AnnotationModel(compilation);
            var covered = new HashSet<LockApiEntry>();
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var method = semanticModel.GetDeclaredSymbol(declaration)!;
                var body = semanticModel.GetOperation(declaration)!;
                foreach (var invocation in body.Descendants().OfType<IInvocationOperation>())
                {
                    if (LockApiTable.ForCall(invocation.TargetMethod, invocation.Instance?.Type) is { ChangesLocks: true } entry)
                    {
                        covered.Add(entry);
                    }
                }

                var need = RelevanceScan.Classify(body, model.GetContract(method), model, new List<IMethodSymbol>());
                Assert.True(need != AnalysisNeed.None, declaration.Identifier.Text + " calls a lock API but is not analyzed");
            }

            var missing = LockApiTable.Entries.Where(e => e.ChangesLocks && !covered.Contains(e)).Select(e => $"{e.Type}.{e.Member}").ToList();
            Assert.True(missing.Count == 0, "no call here reaches " + string.Join(", ", missing));
        }

        [Fact]
        public void BlockingAndHeldQueriesComeFromTheSameTable()
        {
            var (compilation, _) = Compile();
            var monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor")!;
            var enter = monitor.GetMembers("Enter").OfType<IMethodSymbol>().First(m => m.Parameters.Length == 1);
            var exit = monitor.GetMembers("Exit").OfType<IMethodSymbol>().Single();
            Assert.True(LockApi.IsBlocking(enter, MethodContract.Empty));
            Assert.False(LockApi.IsBlocking(exit, MethodContract.Empty));
            var sleep = compilation.GetTypeByMetadataName("System.Threading.Thread")!.GetMembers("Sleep").OfType<IMethodSymbol>().First();
            Assert.True(LockApi.IsBlocking(sleep, MethodContract.Empty));
            Assert.Equal(LockMode.Exclusive, LockApiTable.Find("IsWriteLockHeld", null, KnownType.ReaderWriterLockSlim)?.HeldQuery);
            Assert.Equal(LockMode.Shared, LockApiTable.Find("IsReadLockHeld", null, KnownType.ReaderWriterLockSlim)?.HeldQuery);
        }

        private static (CSharpCompilation Compilation, SyntaxTree Tree) Compile()
        {
            var tree = CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Preview));
            var compilation = CSharpCompilation.Create("p", new[] { tree }, Verify.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            return (compilation, tree);
        }
    }
}
