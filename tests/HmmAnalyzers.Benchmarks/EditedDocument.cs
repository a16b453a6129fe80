using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HmmAnalyzers.Benchmarks
{
    /// <summary>
    /// What an editor does after a keystroke (a statement typed into a method body): a new compilation that differs from the last in one document, whose semantic
    /// diagnostics are asked for again (<c>GetAnalyzerSemanticDiagnosticsAsync</c> for that document alone). The solution
    /// was analyzed once before, so that what a host keeps between compilations (syntax trees, metadata) is warm.
    /// </summary>
    internal static class EditedDocument
    {
        public sealed record Figures(double Ours, double NoOp, double Telemetry, int Lines)
        {
            public override string ToString()
                => $"{Lines} lines in the document; wall time with HmmAnalyzers {Ours:F1} ms, with a do-nothing analyzer of the same shape {NoOp:F1} ms, " +
                   $"HmmAnalyzers' own execution time {Telemetry:F1} ms; the best of 5 edits";
        }

        public static Figures Measure(List<string> files, ImmutableArray<MetadataReference> references)
        {
            var trees = files.Select((f, i) => CSharpSyntaxTree.ParseText(f, new CSharpParseOptions(LanguageVersion.Latest), path: $"File{i}.cs")).ToList();
            var compilation = CSharpCompilation.Create("Solution", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

            // The document in the middle of the solution, typical of the corpus.
            var edited = trees[trees.Count / 2];
            Document(compilation, edited, new HmmLockAnalyzer());
            Document(compilation, edited, new NoOpAnalyzer());
            var ours = double.MaxValue;
            var noOp = double.MaxValue;
            var telemetry = double.MaxValue;
            for (var edit = 0; edit < 5; edit++)
            {
                HmmAnalyzers.Engine.EngineTelemetry.Reset();
                // A statement typed into the first method body of the document.
                var text = edited.GetText();
                var body = edited.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Body is not null).Body!;
                var changed = edited.WithChangedText(text.WithChanges(new TextChange(new TextSpan(body.OpenBraceToken.Span.End, 0), $" _ = {edit};")));
                var next = compilation.ReplaceSyntaxTree(edited, changed);
                var (wall, own) = Document(next, changed, new HmmLockAnalyzer());
                ours = Math.Min(ours, wall);
                telemetry = Math.Min(telemetry, own);
                noOp = Math.Min(noOp, Document(next, changed, new NoOpAnalyzer()).Wall);
            }

            return new Figures(ours, noOp, telemetry, CorpusGenerator.CountLines(edited.GetText().ToString()));
        }

        private static (double Wall, double Own) Document(Compilation compilation, SyntaxTree tree, DiagnosticAnalyzer analyzer)
        {
            var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
            var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzer), options);
            var model = compilation.GetSemanticModel(tree);
            var clock = Stopwatch.StartNew();
            withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None).GetAwaiter().GetResult();
            var wall = clock.Elapsed.TotalMilliseconds;
            var own = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds;
            return (wall, own);
        }
    }
}
