using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.Tests.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace HmmAnalyzers.Tests.Package
{
    /// <summary>
    /// The editor asks for one document's diagnostics at a time (live squiggles); the build asks for the whole
    /// compilation. Both must give the same diagnostics with the same spans.
    /// </summary>
    public class IdePathTests
    {
        [Fact]
        public async Task PerDocumentAnalysisMatchesTheBuild()
        {
            using var workspace = new AdhocWorkspace();
            var project = workspace.AddProject(ProjectInfo.Create(
                ProjectId.CreateNewId(), VersionStamp.Default, "Sample", "Sample", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: Verify.References));
            var files = SampleCompilation.SourceFiles("Hmm.Before").Concat(SampleCompilation.SourceFiles("Demo"));
            foreach (var file in files)
            {
                var document = workspace.AddDocument(project.Id, Path.GetFileName(file), SourceText.From(File.ReadAllText(file)));
                project = document.Project;
            }

            var (expected, actual) = await BuildAndLiveAsync(project);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
        }

        /// <summary>
        /// Guard inference reads a whole type; in the editor, the squiggle of an access in one file of a partial type
        /// whose locked accesses are in another file appears when only that file is analyzed.
        /// </summary>
        [Fact]
        public async Task InferredGuardsAcrossTheFilesOfAPartialTypeAppearPerDocument()
        {
            using var workspace = new AdhocWorkspace();
            var project = workspace.AddProject(ProjectInfo.Create(
                ProjectId.CreateNewId(), VersionStamp.Default, "Partial", "Partial", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
                metadataReferences: Verify.References));
            project = workspace.AddDocument(project.Id, "Counter.cs", SourceText.From(@"
partial class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
}")).Project;
            project = workspace.AddDocument(project.Id, "Counter.Peek.cs", SourceText.From(@"
partial class Counter
{
    public void Reset() => _count = 0;
}")).Project;

            var (expected, actual) = await BuildAndLiveAsync(project);
            Assert.Equal(expected, actual);
            Assert.Contains(actual, key => key.StartsWith("HMM013 Counter.Peek.cs", System.StringComparison.Ordinal));
        }

        /// <summary>The build's diagnostics and those of every document analyzed alone, as sorted keys.</summary>
        private static async Task<(List<string> Build, List<string> Live)> BuildAndLiveAsync(Project project)
        {
            var compilation = (await project.GetCompilationAsync())!;
            var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer());
            var build = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();

            var editor = compilation.WithAnalyzers(analyzers);
            var live = ImmutableArray.CreateBuilder<Diagnostic>();
            foreach (var document in project.Documents)
            {
                var model = (await document.GetSemanticModelAsync())!;
                live.AddRange(await editor.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None));
            }

            static string Key(Diagnostic d) => $"{d.Id} {d.Location.SourceTree?.FilePath} {d.Location.SourceSpan} {d.GetMessage()}";
            return (build.Select(Key).OrderBy(k => k, System.StringComparer.Ordinal).ToList(), live.Select(Key).OrderBy(k => k, System.StringComparer.Ordinal).ToList());
        }
    }
}
