using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HmmAnalyzers.Tests.Samples
{
    public class SampleTests
    {
        [Fact]
        public async Task HmmBeforeReportsExactlyTheExpectedDiagnostics()
        {
            var diagnostics = await SampleCompilation.AnalyzeAsync(SampleCompilation.Compile("Hmm.Before", OutputKind.DynamicallyLinkedLibrary));
            var actual = diagnostics
                .Where(d => d.Id.StartsWith("HMM") || d.Id == "AD0001")
                .Select(SampleCompilation.Format)
                .OrderBy(l => l, System.StringComparer.Ordinal)
                .ToList();
            var expected = File.ReadAllLines(Path.Combine(SampleCompilation.RepositoryRoot, "samples", "Hmm.Before", "expected-diagnostics.txt"))
                .Select(l => l.Trim())
                .Where(l => l.Length > 0 && !l.StartsWith("#"))
                .OrderBy(l => l, System.StringComparer.Ordinal)
                .ToList();
            Assert.Equal(expected, actual);
        }

        [Fact]
        public async Task HmmAfterThePatchIsClean()
        {
            var diagnostics = await SampleCompilation.AnalyzeAsync(SampleCompilation.Compile("Hmm", OutputKind.ConsoleApplication));
            Assert.Empty(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        }

        [Fact]
        public async Task DemoReportsItsDeliberateBugs()
        {
            var diagnostics = await SampleCompilation.AnalyzeAsync(SampleCompilation.Compile("Demo", OutputKind.ConsoleApplication));
            var ids = diagnostics.Where(d => d.Id.StartsWith("HMM")).Select(d => d.Id).OrderBy(i => i).ToArray();
            Assert.Equal(new[] { "HMM001", "HMM003", "HMM005", "HMM009" }, ids);
        }
    }
}
