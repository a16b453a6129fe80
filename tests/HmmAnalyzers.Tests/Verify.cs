using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace HmmAnalyzers.Tests
{
    /// <summary>Runs <see cref="HmmLockAnalyzer"/> on markup source against .NET 10 reference assemblies and the annotations.</summary>
    internal static class Verify
    {
        public const string Usings = "using System; using System.Threading; using System.Threading.Tasks; using HmmAnalyzers.Annotations;\n";

        public static ImmutableArray<MetadataReference> References { get; } = Basic.Reference.Assemblies.Net100.References.All.CastArray<MetadataReference>()
            .Add(MetadataReference.CreateFromFile(typeof(GuardedByAttribute).Assembly.Location));

        /// <summary>Analyzes <paramref name="source"/> (markup: <c>{|HMM001:x|}</c>) and checks that exactly the marked diagnostics appear.</summary>
        public static Task Analyzer(string source, params DiagnosticResult[] expected)
        {
            var test = Create(source);
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>
        /// Like <see cref="Analyzer"/>, for tests about contracts that are not about run-time assertions: HMM010
        /// (a contract not asserted with Lockdep) is turned off so the test shows only the rule it is about.
        /// </summary>
        public static Task AnalyzerIgnoringAssertions(string source, params DiagnosticResult[] expected)
            => AnalyzerWithout(new[] { "HMM010" }, source, expected);

        /// <summary>An <c>.editorconfig</c> that has HMM013 report every read without the inferred guard, not only those that go wrong.</summary>
        public const string EveryInferredRead = "root = true\n[*.cs]\nhmm_analyzers.inferred_guard_reads = all\n";

        /// <summary>Like <see cref="Analyzer"/>, with HMM013 reporting every unlocked read (<see cref="EveryInferredRead"/>).</summary>
        public static Task AnalyzerReportingEveryInferredRead(string source, params DiagnosticResult[] expected)
        {
            var test = Create(source);
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EveryInferredRead));
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>Like <see cref="Analyzer"/> with some rules turned off, for a test that is about another rule.</summary>
        public static Task AnalyzerWithout(string[] disabled, string source, params DiagnosticResult[] expected)
        {
            var test = Create(source);
            test.DisabledDiagnostics.AddRange(disabled);
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        public static CSharpAnalyzerTest<HmmLockAnalyzer, DefaultVerifier> Create(string source)
        {
            var test = new CSharpAnalyzerTest<HmmLockAnalyzer, DefaultVerifier>
            {
                TestCode = Usings + source,
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),

                // An id may have several descriptors, one per message shape; markup names the id, and messages are checked with WithMessage.
                MarkupOptions = MarkupOptions.UseFirstDescriptor,
            };
            test.TestState.AdditionalReferences.AddRange(References);
            return test;
        }

        /// <summary>Applies <typeparamref name="TFix"/> to the marked diagnostics and compares with <paramref name="fixedSource"/>; also runs Fix All.</summary>
        public static Task CodeFix<TFix>(string source, string fixedSource, int? actionIndex = null, params string[] disabled)
            where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
            => CodeFix<TFix>(source, fixedSource, fixAllIterations: null, actionIndex, disabled);

        /// <summary>Like <see cref="CodeFix{TFix}(string, string, int?, string[])"/>, where Fix All needs more than one pass (two fixes of one member).</summary>
        public static Task CodeFix<TFix>(string source, string fixedSource, int? fixAllIterations, int? actionIndex, params string[] disabled)
            where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
            => CodeFixWithConfig<TFix>(null, source, fixedSource, fixAllIterations, actionIndex, disabled);

        /// <summary>Like <see cref="CodeFix{TFix}(string, string, int?, int?, string[])"/>, with an <c>.editorconfig</c> (before and after the fix).</summary>
        public static Task CodeFixWithConfig<TFix>(string? editorConfig, string source, string fixedSource, int? fixAllIterations = null, int? actionIndex = null, params string[] disabled)
            where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
        {
            var test = new CSharpCodeFixTest<HmmLockAnalyzer, TFix, DefaultVerifier>
            {
                TestCode = Usings + source,
                FixedCode = Usings + fixedSource,
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
                CodeActionIndex = actionIndex,
                MarkupOptions = MarkupOptions.UseFirstDescriptor,
            };
            test.TestState.AdditionalReferences.AddRange(References);
            test.FixedState.AdditionalReferences.AddRange(References);

            // Markup in the fixed code marks what must still be reported there (a diagnostic the fix does not offer to fix).
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            if (fixAllIterations is { } iterations)
            {
                test.NumberOfFixAllIterations = iterations;
                test.NumberOfFixAllInDocumentIterations = iterations;
                test.NumberOfFixAllInProjectIterations = iterations;
            }

            if (editorConfig is not null)
            {
                test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
                test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
            }

            test.DisabledDiagnostics.AddRange(disabled);
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>
        /// Like <see cref="CodeFix{TFix}(string, string, int?, string[])"/> over several documents (each file before and
        /// after, markup in both): Fix All is run by document, project and solution.
        /// </summary>
        public static Task CodeFixAcrossDocuments<TFix>(params (string Name, string Before, string After)[] files)
            where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
        {
            var test = new CSharpCodeFixTest<HmmLockAnalyzer, TFix, DefaultVerifier>
            {
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
                MarkupOptions = MarkupOptions.UseFirstDescriptor,
            };
            foreach (var (name, before, after) in files)
            {
                test.TestState.Sources.Add((name, Usings + before));
                test.FixedState.Sources.Add((name, Usings + after));
            }

            test.TestState.AdditionalReferences.AddRange(References);
            test.FixedState.AdditionalReferences.AddRange(References);
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>An expected diagnostic of <paramref name="id"/>, with the rule's default severity.</summary>
        public static DiagnosticResult Diagnostic(string id)
            => new DiagnosticResult(id, new HmmLockAnalyzer().SupportedDiagnostics.First(d => d.Id == id).DefaultSeverity);

        /// <summary>Diagnostics as sorted lines (id, location, message, additional locations), for comparing whole runs.</summary>
        public static List<string> Lines(IEnumerable<Diagnostic> diagnostics)
            => diagnostics
                .Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage()} [{string.Join("; ", d.AdditionalLocations.Select(l => l.GetLineSpan().ToString()))}]")
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToList();
    }
}
