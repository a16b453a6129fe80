using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HmmAnalyzers.Tests.Samples
{
    /// <summary>tests/ValidCode is correct concurrent code: the analyzer must report nothing on it.</summary>
    public class ValidCodeTests
    {
        [Fact]
        public async Task ValidCodeHasNoDiagnostics()
        {
            var folder = Path.Combine(SampleCompilation.RepositoryRoot, "tests", "ValidCode");
            var trees = Directory.GetFiles(folder, "*.cs").OrderBy(f => f, System.StringComparer.Ordinal)
                .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Preview), path: Path.GetFileName(f)));
            var compilation = CSharpCompilation.Create("ValidCode", trees, Verify.References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var diagnostics = await SampleCompilation.AnalyzeAsync(compilation);
            var found = diagnostics.Where(d => d.Id.StartsWith("HMM") || d.Id == "AD0001").Select(d => d.ToString()).ToList();
            Assert.True(found.Count == 0, string.Join(System.Environment.NewLine, found));
        }
    }
}
