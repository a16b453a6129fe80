using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HmmAnalyzers.Tests.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>The analyzer must never throw (AD0001), with either driver, whatever half-typed or malformed code it is given.</summary>
    public class RobustnessTests
    {
        public static TheoryData<string> Files()
        {
            var data = new TheoryData<string>();
            var files = new[] { "Demo", "Hmm", "Hmm.Before" }
                .SelectMany(SampleCompilation.SourceFiles)
                .Select(f => Path.GetRelativePath(SampleCompilation.RepositoryRoot, f).Replace('\\', '/'))
                .Distinct();
            foreach (var file in files)
            {
                data.Add(file);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Files))]
        public async Task EveryPrefixOfASampleFileIsAnalyzedWithoutException(string file)
        {
            var text = File.ReadAllText(Path.Combine(SampleCompilation.RepositoryRoot, file));
            Assert.Empty((await PrefixFailures(text)).Take(5));
        }

        public static TheoryData<string> TestSourceFiles() => EmbeddedSources.Files();

        [Theory]
        [MemberData(nameof(TestSourceFiles))]
        public async Task EveryPrefixOfEveryTestSourceIsAnalyzedWithoutException(string file)
        {
            var sources = EmbeddedSources.In(file);
            Assert.NotEmpty(sources);
            var failures = await Task.WhenAll(sources.Select(source => PrefixFailures(Verify.Usings + source, from: Verify.Usings.Length)));
            Assert.Empty(failures.SelectMany(f => f).Take(5));
        }

        [Theory]
        [InlineData("class C { [GuardedBy(null)] int _a; [GuardedBy(\"\")] int _b; [GuardedBy(\"..\")] int _c; [GuardedBy(\"x.\")] int _d; }")]
        [InlineData("class C { [RequiresExclusive(new string[0])] void M() { } [RequiresShared(null)] void N() { } [Acquires(\"this\")] void O() { } }")]
        [InlineData("class C { [TryAcquires(true)] bool T() => true; [TryAcquires(false, \"nope\")] bool U() => false; void V() { if (T()) { } } }")]
        [InlineData("class C<T> where T : class { readonly T _l; [GuardedBy(\"_l\")] int _n; C(T l) { _l = l; } int Get() { lock (_l) { return _n; } } }")]
        [InlineData("class C { readonly object _g = new(); [GuardedBy(\"_g\")] int _n; int M() { lock (_g) { goto L; } L: return _n; lock }")]
        [InlineData("class C { [GuardedBy(\"Missing.Chain.Here\")] int _n; int M(C c) => c._n + this._n + M(null!)")]
        [InlineData("class C { readonly object _g = new(); [GuardedBy(\"_g\")] int _n; System.Func<int> F => () => _n; int L() { int Local() => _n; return Local(); } }")]
        public void MalformedAnnotationsAndCodeDoNotCrash(string source)
        {
            Assert.Empty(Failures(Verify.Usings + source));
        }

        [Fact]
        public async Task BadReferenceGivesADiagnosticNotSilence()
        {
            var diagnostics = await Analyze(Verify.Usings + "class C { readonly object _gate = new(); [GuardedBy(\"_gaet\")] int _n; }", bothModes: false);
            var diagnostic = Assert.Single(diagnostics, d => d.Id == "HMM090");
            Assert.Contains("did you mean '_gate'", diagnostic.GetMessage());
        }

        /// <summary>
        /// The analyzer exceptions on the prefixes of <paramref name="text"/> after <paramref name="from"/> that end where
        /// a block or statement opens or closes (after a brace or a semicolon) and after every eighth other token (a
        /// half-typed name, keyword, operator, argument list or condition). Each prefix goes through one driver,
        /// the tree driver and the graph-only analysis taking turns, so both meet prefixes of every kind.
        /// Of the cuts that leave the same constructs open (the same token kind under the same chain of enclosing
        /// syntax kinds, as after each of a block's expression statements) only the first is taken, unless
        /// <see cref="FullSweep"/> asks for all of them.
        /// </summary>
        private static async Task<ConcurrentBag<string>> PrefixFailures(string text, int from = 0)
        {
            var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().ToList();
            var opened = new HashSet<string>(StringComparer.Ordinal);
            // A prefix that another source (or another test of this class) shares is analyzed once.
            var cuts = tokens.Where((t, i) => IsBlockShape(t.Kind()) || i % Stride == 0)
                .Where(t => t.FullSpan.End > from && (FullSweep || opened.Add(OpenConstructs(t))))
                .Select(t => t.FullSpan.End).Distinct()
                .Where(c => Analyzed.TryAdd(text.Substring(0, c), 0)).ToList();
            // Awaited, not blocked on: a thread-pool thread blocked on the analysis starves the pool the analysis runs on.
            var failures = new ConcurrentBag<string>();
            await Task.WhenAll(Enumerable.Range(0, cuts.Count).Select(async i =>
            {
                await Throttle.WaitAsync();
                try
                {
                    foreach (var failure in await Failures(text.Substring(0, cuts[i]), i % 2 == 0 ? TreeDriver : GraphDriver))
                    {
                        failures.Add($"prefix of {cuts[i]} chars: {failure}");
                    }
                }
                finally
                {
                    Throttle.Release();
                }
            }));
            return failures;
        }

        private const int Stride = 8;

        /// <summary>
        /// Every cut, not only the first of each shape: set HMM_FULL_SWEEP=1 (the CI script does, in a step of its own)
        /// for about two thirds more prefixes (about 8,500 of the test sources and samples instead of about 5,200) and time.
        /// </summary>
        private static readonly bool FullSweep = Environment.GetEnvironmentVariable("HMM_FULL_SWEEP") == "1";

        /// <summary>What a prefix ending after <paramref name="token"/> leaves open: the token's kind and its ancestors' kinds.</summary>
        private static string OpenConstructs(SyntaxToken token)
            => token.Kind() + "<" + string.Join("<", token.Parent!.AncestorsAndSelf().Select(a => a.Kind()));

        private static bool IsBlockShape(SyntaxKind kind) => kind is SyntaxKind.OpenBraceToken or SyntaxKind.CloseBraceToken or SyntaxKind.SemicolonToken;

        /// <summary>The exceptions the analyzer throws on <paramref name="source"/> (reported as AD0001 in a build); compiler diagnostics are not computed.</summary>
        private static async Task<string[]> Failures(string source, DiagnosticAnalyzer analyzer)
        {
            var failures = new ConcurrentBag<string>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), (exception, _, _) => failures.Add(exception.ToString()), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
            await Compile(source).WithAnalyzers(ImmutableArray.Create(analyzer), options).GetAnalyzerDiagnosticsAsync();
            return failures.ToArray();
        }

        /// <summary>The prefixes analyzed so far by the tests of this class.</summary>
        private static readonly ConcurrentDictionary<string, byte> Analyzed = new();

        /// <summary>One analyzer per driver for all prefixes, as an editor keeps one across its compilations.</summary>
        private static readonly DiagnosticAnalyzer TreeDriver = new HmmLockAnalyzer(), GraphDriver = new HmmLockAnalyzer(flowGraphOnly: true);

        /// <summary>As many prefixes analyzed at once as there are cores, across all the tests of this class.</summary>
        private static readonly System.Threading.SemaphoreSlim Throttle = new(Environment.ProcessorCount);

        /// <summary>A compilation without sources whose bound references every prefix's compilation shares (binding them is most of the cost of a fresh one).</summary>
        private static readonly CSharpCompilation Empty =
            CSharpCompilation.Create("p", Array.Empty<SyntaxTree>(), Verify.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        private static CSharpCompilation Compile(string source) => Empty.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source));

        private static ImmutableArray<Diagnostic> AnalyzeSync(string source) => Analyze(source).GetAwaiter().GetResult();

        /// <summary>
        /// Analyzes in both modes at once: the tree driver where it can (the default), and the graph driver for every
        /// method (as the tree driver's fallback would), so that a crash in either is found.
        /// </summary>
        private static Task<ImmutableArray<Diagnostic>> Analyze(string source, bool bothModes = true)
        {
            var compilation = Compile(source);
            var analyzers = bothModes
                ? ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer(), new HmmLockAnalyzer(flowGraphOnly: true))
                : ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer());
            return compilation.WithAnalyzers(analyzers).GetAllDiagnosticsAsync();
        }

        private static string[] Failures(string source)
            => AnalyzeSync(source).Where(d => d.Id == "AD0001").Select(d => d.GetMessage()).ToArray();
    }
}
