using System;
using System.Collections.Concurrent;
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
        public void EveryPrefixOfASampleFileIsAnalyzedWithoutException(string file)
        {
            var text = File.ReadAllText(Path.Combine(SampleCompilation.RepositoryRoot, file));
            Assert.Empty(PrefixFailures(text).Take(5));
        }

        public static TheoryData<string> TestSourceFiles() => EmbeddedSources.Files();

        [Theory]
        [MemberData(nameof(TestSourceFiles))]
        public void EveryPrefixOfEveryTestSourceIsAnalyzedWithoutException(string file)
        {
            var sources = EmbeddedSources.In(file);
            Assert.NotEmpty(sources);
            Assert.Empty(sources.SelectMany(source => PrefixFailures(Verify.Usings + source)).Take(5));
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
        /// The analyzer exceptions on every prefix of <paramref name="text"/> that ends at a token: each prefix goes through
        /// one driver, the tree driver and the graph-only analysis taking turns, so both meet prefixes of every kind.
        /// </summary>
        private static ConcurrentBag<string> PrefixFailures(string text)
        {
            var cuts = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Select(t => t.FullSpan.End).Distinct().ToList();
            var failures = new ConcurrentBag<string>();
            Parallel.For(0, cuts.Count, i =>
            {
                DiagnosticAnalyzer analyzer = i % 2 == 0 ? new HmmLockAnalyzer() : new HmmLockAnalyzer(flowGraphOnly: true);
                foreach (var failure in Failures(text.Substring(0, cuts[i]), analyzer))
                {
                    failures.Add($"prefix of {cuts[i]} chars: {failure}");
                }
            });
            return failures;
        }

        private static string[] Failures(string source, DiagnosticAnalyzer analyzer)
            => Compile(source).WithAnalyzers(ImmutableArray.Create(analyzer)).GetAllDiagnosticsAsync().GetAwaiter().GetResult()
                .Where(d => d.Id == "AD0001").Select(d => d.GetMessage()).ToArray();

        private static CSharpCompilation Compile(string source)
            => CSharpCompilation.Create("p", new[] { CSharpSyntaxTree.ParseText(source) }, Verify.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

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
