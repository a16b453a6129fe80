using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HmmAnalyzers.Benchmarks;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using HmmAnalyzers.Tests.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>
    /// The tree driver must find exactly the facts the control flow graph driver finds, and so report exactly what it
    /// reports, on every source the tests embed, on the samples, on ValidCode and on the benchmark's corpus; and the
    /// analysis with the syntax pre-filter must report exactly what it reports without.
    /// </summary>
    public class DriverEquivalenceTests
    {
        public static TheoryData<string> TestSourceFiles() => EmbeddedSources.Files();

        [Theory]
        [MemberData(nameof(TestSourceFiles))]
        public async Task EmbeddedSourcesGetTheSameDiagnosticsFromBothDrivers(string file)
        {
            foreach (var source in EmbeddedSources.In(file))
            {
                await AssertSameDiagnostics(Compile(new[] { Verify.Usings + source }, NullableContextOptions.Disable));
            }
        }

        [Theory]
        [InlineData("Demo")]
        [InlineData("Hmm")]
        [InlineData("Hmm.Before")]
        public async Task SamplesGetTheSameDiagnosticsFromBothDrivers(string sample)
        {
            await AssertSameDiagnostics(SampleCompilation.Compile(sample, OutputKind.DynamicallyLinkedLibrary));
        }

        [Fact]
        public async Task ValidCodeAndTheBenchmarkCorpusGetTheSameDiagnosticsFromBothDrivers()
        {
            var validCode = Directory.GetFiles(Path.Combine(SampleCompilation.RepositoryRoot, "tests", "ValidCode"), "*.cs").Select(File.ReadAllText);
            await AssertSameDiagnostics(Compile(validCode, NullableContextOptions.Enable));

            var corpus = CorpusGenerator.Generate(3_000).Concat(CorpusGenerator.Generate(1_000, lockEvery: 3));
            var count = await AssertSameDiagnostics(Compile(corpus, NullableContextOptions.Enable));
            Assert.True(count > 0, "the corpus has seeded bugs, which both drivers must find");

            foreach (var source in new[] { CorpusGenerator.Branches(50, explicitCalls: true), CorpusGenerator.Switch(50, explicitCalls: true), CorpusGenerator.DeepIfInLoop(20), CorpusGenerator.NestedLocks(10) })
            {
                await AssertSameDiagnostics(Compile(new[] { source }, NullableContextOptions.Enable));
            }
        }

        private static CSharpCompilation Compile(IEnumerable<string> sources, NullableContextOptions nullable)
            => CSharpCompilation.Create(
                "p",
                sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Preview), path: $"File{i}.cs")),
                Verify.References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable));

        private static async Task<int> AssertSameDiagnostics(Compilation compilation)
        {
            // The three analyses run over one compilation, so that its code is bound once for all of them.
            HmmLockAnalyzer structured = new(), graphOnly = new(flowGraphOnly: true), unfiltered = new(syntaxFilter: false);
            var exceptions = new ConcurrentBag<Exception>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), (exception, _, _) => exceptions.Add(exception), concurrentAnalysis: true, logAnalyzerExecutionTime: false);
            var result = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(structured, graphOnly, unfiltered), options).GetAnalysisResultAsync(default);
            Assert.Empty(exceptions);
            var fromTree = Verify.Lines(result.GetAllDiagnostics(structured));
            Assert.Equal(Verify.Lines(result.GetAllDiagnostics(graphOnly)), fromTree);

            // The syntax pre-filter leaves unbound only what cannot change a report.
            Assert.Equal(Verify.Lines(result.GetAllDiagnostics(unfiltered)), fromTree);
            AssertSameFacts(compilation);
            return fromTree.Count;
        }

        /// <summary>
        /// For every method the tree driver follows to the end, the graph driver finds the same facts: the same guarded
        /// accesses, calls, acquisitions, releases, awaits, assertions, drops and exits, each with the same lockset.
        /// </summary>
        private static void AssertSameFacts(Compilation compilation)
        {
            var model = new AnnotationModel(compilation);
            foreach (var tree in compilation.SyntaxTrees)
            {
                var semanticModel = compilation.GetSemanticModel(tree);
                if (semanticModel.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    continue;
                }

                foreach (var declaration in tree.GetRoot().DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax))
                {
                    if (semanticModel.GetDeclaredSymbol(declaration) is not IMethodSymbol method || semanticModel.GetOperation(declaration) is not { } body)
                    {
                        continue;
                    }

                    var contract = model.GetContract(method);
                    if (contract.IsNotAnalyzed ||
                        RelevanceScan.Classify(body, contract, model, new List<IMethodSymbol>()) != AnalysisNeed.Structured ||
                        MethodAnalysis.RunStructured(model, body, method, method.Locations[0], default) is not { } fromTree)
                    {
                        continue;
                    }

                    var graph = body switch
                    {
                        IMethodBodyOperation methodBody => ControlFlowGraph.Create(methodBody),
                        IConstructorBodyOperation constructorBody => ControlFlowGraph.Create(constructorBody),
                        _ => throw new InvalidOperationException("unexpected body " + body.Kind),
                    };
                    var fromGraph = MethodAnalysis.Run(model, graph, method, method.Locations[0], default);
                    var graphLines = Render(fromGraph).SelectMany(f => f.Split('\n')).ToList();
                    var treeLines = Render(fromTree).SelectMany(f => f.Split('\n')).ToList();
                    var onlyGraph = graphLines.Except(treeLines).ToList();
                    var onlyTree = treeLines.Except(graphLines).ToList();
                    Assert.True(
                        onlyGraph.Count == 0 && onlyTree.Count == 0,
                        $"{method.ToDisplayString()}: graph only [{string.Join("; ", onlyGraph)}], tree only [{string.Join("; ", onlyTree)}]");
                    Assert.Equal(graphLines.Count, treeLines.Count);
                }
            }
        }

        private static List<string> Render(List<MethodFacts> results)
            => results.OrderBy(f => f.NameLocation.SourceSpan.Start).Select(Render).ToList();

        /// <summary>
        /// One function's facts as text, each kind as a sorted set: the drivers visit in different orders and may run a
        /// finally once or twice for the same state. A call the compiler lowers a statement into (the Enter and Exit of a
        /// <c>lock</c>, the Dispose of a <c>using</c>) is an implicit operation in the graph only, and is left out, as
        /// is the release at the end of a <c>lock</c> statement (see below).
        /// </summary>
        private static string Render(MethodFacts facts)
        {
            // Where the graph leaves a 'lock' on a System.Threading.Lock unlowered (an invalid operation, then the body),
            // the hold starts at the keyword and ends with the body's region, without a release: a site in a lock
            // statement's header is the statement's, and a release there is not compared.
            static LockStatementSyntax? LockHeader(Location location)
                => location.SourceTree?.GetRoot().FindNode(location.SourceSpan, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<LockStatementSyntax>()
                    .FirstOrDefault(l => location.SourceSpan.End <= l.CloseParenToken.Span.End);
            static string At(Location location) => LockHeader(location) is { } header ? "lock@" + header.SpanStart : location.SourceSpan.ToString();
            static string Locks(FlowState state)
                => string.Join(",", state.Locks.OrderBy(l => l.Key.ToString(), StringComparer.Ordinal).Select(l => $"{l.Key}:{l.Value.Mode}x{l.Value.Count}/{l.Value.Source}"));
            var lines = new List<IEnumerable<string>>
            {
                facts.EntryRequirements.Select(r => $"entry {r.Path} {r.Mode}"),
                facts.Accesses.Select(a => $"access {At(a.Operation.Syntax.GetLocation())} {a.Member.Name} {a.IsWrite} {a.Required} [{Locks(a.State)}]"),
                facts.Calls.Where(c => !c.Operation.IsImplicit).Select(c => $"call {At(c.Operation.Syntax.GetLocation())} {c.Method.Name} [{Locks(c.State)}]"),
                facts.Acquisitions.Select(a => $"acquire {At(a.Site)} {a.Path} {a.Mode} {a.Existing?.Mode} [{Locks(a.Before)}]"),
                facts.Releases.Where(r => LockHeader(r.Site) is null).Select(r => $"release {At(r.Site)} {r.Path} {r.Mode} {r.Existing?.Mode} [{Locks(r.Before)}]"),
                facts.Queried.Select(q => $"queried {q}"),
                facts.Awaits.Select(a => $"await {At(a.Operation.Syntax.GetLocation())} [{Locks(a.State)}]"),
                facts.Joins.Select(j => $"join {At(j.Location)} {j.Path}"),
                facts.Loops.Select(l => $"loop {At(l.Location)} {l.Path} {l.AtHead?.Count} {l.OnBackEdge?.Count}"),
                facts.Exits.Select(e => $"exit {At(e.Held.Site)} {e.Path} {e.OnEveryPath}"),
                facts.BrokenContracts.Select(b => $"broken {b.Path} {b.ShouldBeHeld}"),
                facts.Asserts.Select(a => $"assert {At(a.Operation.Syntax.GetLocation())} {a.Path} {a.Mode} [{Locks(a.Before)}]"),
                facts.Uses.Select(u => $"use {At(u.Operation.Syntax.GetLocation())} {u.Path} {At(u.DropSite)}"),
                facts.Drops.Select(d => $"drop {At(d.Operation.Syntax.GetLocation())} {d.Path} {d.Previous is not null}"),
                facts.DeferredFrees.Select(d => $"free {At(d.Operation.Syntax.GetLocation())} {d.Owner}"),
                new[] { "first effect " + facts.FirstEffects.Where(o => !o.IsImplicit).Select(o => o.Syntax.SpanStart).DefaultIfEmpty(-1).Min() },
            };
            return facts.Symbol.ToDisplayString() + "\n" + string.Join("\n", lines.SelectMany(l => l.Distinct().OrderBy(x => x, StringComparer.Ordinal)));
        }
    }
}
