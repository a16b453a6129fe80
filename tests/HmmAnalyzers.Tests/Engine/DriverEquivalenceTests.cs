using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HmmAnalyzers.Benchmarks;
using HmmAnalyzers.Tests.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>
    /// The structured driver (over the operation tree) must report exactly what the control flow graph driver
    /// reports, on every source the tests embed, on the samples, on ValidCode and on the benchmark's corpus.
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
            var structured = await Diagnostics(compilation, new HmmLockAnalyzer());
            var graphOnly = await Diagnostics(compilation, new HmmLockAnalyzer(flowGraphOnly: true));
            Assert.Equal(graphOnly, structured);
            Assert.DoesNotContain(structured, d => d.StartsWith("AD0001", StringComparison.Ordinal));
            return structured.Count;
        }

        private static async Task<List<string>> Diagnostics(Compilation compilation, DiagnosticAnalyzer analyzer)
        {
            var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync();
            return diagnostics
                .Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage()} [{string.Join("; ", d.AdditionalLocations.Select(l => l.GetLineSpan().ToString()))}]")
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToList();
        }
    }
}
