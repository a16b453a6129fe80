using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace HmmAnalyzers.Tests.CodeFixes
{
    /// <summary>
    /// Fix All started the way <c>dotnet format analyzers</c> starts it: from the first diagnostic of the id, with the
    /// equivalence key of that diagnostic's first action, or none when it has none.
    /// </summary>
    public class FixAllFromAnUnfixableDiagnosticTests
    {
        private const string Source = Verify.Usings + @"
internal sealed class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [GuardedBy(nameof(_rw))] private int _n;
    public void UnderTheReadLock() { _rw.EnterReadLock(); try { _n = 1; } finally { _rw.ExitReadLock(); } }
    public void Set(int v) { _n = v; }
    public void Add(int v) { _n += v; }
}
";

        [Fact]
        public async Task EveryFixableDiagnosticIsFixedAndTheRestAreLeft()
        {
            using var workspace = new AdhocWorkspace();
            var project = workspace.AddProject(ProjectInfo.Create(
                ProjectId.CreateNewId(), VersionStamp.Create(), "Consumer", "Consumer", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                metadataReferences: Verify.References));
            var document = workspace.AddDocument(project.Id, "Box.cs", SourceText.From(Source));

            var before = await Hmm002(document.Project);
            Assert.Equal(3, before.Length);
            var unfixable = before.Single(d => d.Location.GetLineSpan().StartLinePosition.Line == Line("UnderTheReadLock"));

            var fix = new HMM001AddRequiresCodeFix();
            CodeAction? first = null;
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, unfixable, (a, _) => first ??= a, CancellationToken.None));
            Assert.Null(first);

            var context = new FixAllContext(
                document, fix, FixAllScope.Solution, first?.EquivalenceKey!, new[] { "HMM002" }, new Given(before), CancellationToken.None);
            var action = await fix.GetFixAllProvider().GetFixAsync(context);
            Assert.NotNull(action);
            var changed = (await action!.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single().ChangedSolution;

            var fixedProject = changed.GetProject(project.Id)!;
            var compilation = (await fixedProject.GetCompilationAsync())!;
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var after = await Hmm002(fixedProject);
            Assert.Equal(new[] { Line("UnderTheReadLock") }, after.Select(d => d.Location.GetLineSpan().StartLinePosition.Line));
            var text = (await fixedProject.Documents.Single().GetTextAsync()).ToString();
            Assert.Contains("[RequiresExclusive(nameof(_rw))]\n    public void Set", text.Replace("\r\n", "\n"));
            Assert.Contains("[RequiresExclusive(nameof(_rw))]\n    public void Add", text.Replace("\r\n", "\n"));
        }

        private static int Line(string member) => Source.Split('\n').ToList().FindIndex(l => l.Contains(member));

        private static async Task<ImmutableArray<Diagnostic>> Hmm002(Project project)
        {
            var compilation = (await project.GetCompilationAsync())!;
            var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer())).GetAnalyzerDiagnosticsAsync();
            return diagnostics.Where(d => d.Id == "HMM002").OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        }

        private sealed class Given : FixAllContext.DiagnosticProvider
        {
            private readonly ImmutableArray<Diagnostic> _diagnostics;

            public Given(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

            public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
                => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

            public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
                => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
                => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
        }
    }
}
