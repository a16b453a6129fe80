using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace HmmAnalyzers.CodeFixes
{
    /// <summary>
    /// HMM013: declares the inferred guard, <c>[GuardedBy(nameof(_gate))]</c>, on the member's declaration (which may be in
    /// another file of a partial type); from then on HMM001/HMM002 check every access. Fix All adds each attribute once.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HMM013DeclareGuardedByCodeFix))]
    [Shared]
    public sealed class HMM013DeclareGuardedByCodeFix : CodeFixProvider
    {
        private const string EquivalenceKey = nameof(HMM013DeclareGuardedByCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.InconsistentSynchronization);

        public override FixAllProvider GetFixAllProvider() => new DeclareAll();

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (await TargetAsync(context.Document.Project.Solution, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } target)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Declare [GuardedBy(nameof({target.Lock}))] on '{target.Name}'",
                            token => DeclareAsync(context.Document.Project.Solution, new[] { target }, token),
                            EquivalenceKey),
                        diagnostic);
                }
            }
        }

        /// <summary>A member declaration to annotate: its document, its span there, the lock and the member's name.</summary>
        private sealed class Target
        {
            public Target(DocumentId document, TextSpan span, string lockText, string name)
            {
                Document = document;
                Span = span;
                Lock = lockText;
                Name = name;
            }

            public DocumentId Document { get; }

            public TextSpan Span { get; }

            public string Lock { get; }

            public string Name { get; }
        }

        /// <summary>The declaration of the member the diagnostic's access names, when it declares that member alone.</summary>
        private static async Task<Target?> TargetAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(FixProperties.Lock, out var lockText) || lockText is null ||
                solution.GetDocument(diagnostic.Location.SourceTree) is not { } document ||
                await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root ||
                await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
            {
                return null;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var symbol = model.GetSymbolInfo(node, cancellationToken).Symbol?.OriginalDefinition;
            if (symbol is not (IFieldSymbol or IPropertySymbol) || symbol.DeclaringSyntaxReferences is not { Length: 1 } references)
            {
                return null;
            }

            var declaration = await references[0].GetSyntaxAsync(cancellationToken).ConfigureAwait(false);
            SyntaxNode? member = declaration switch
            {
                VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: FieldDeclarationSyntax field } } => field,
                PropertyDeclarationSyntax property => property,
                _ => null,
            };
            return member is not null && solution.GetDocument(member.SyntaxTree) is { } home ? new Target(home.Id, member.Span, lockText, symbol.Name) : null;
        }

        private static async Task<Solution> DeclareAsync(Solution solution, IEnumerable<Target> targets, CancellationToken cancellationToken)
        {
            foreach (var file in targets.GroupBy(t => t.Document))
            {
                if (solution.GetDocument(file.Key) is not { } document ||
                    await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root)
                {
                    continue;
                }

                var locks = new Dictionary<SyntaxNode, string>();
                foreach (var target in file)
                {
                    locks[root.FindNode(target.Span)] = target.Lock;
                }

                var annotated = root.ReplaceNodes(
                    locks.Keys, (original, rewritten) => SyntaxHelpers.WithAttribute(root, rewritten, "GuardedBy", locks[original], preferNameof: true));
                solution = solution.WithDocumentSyntaxRoot(file.Key, SyntaxHelpers.WithAnnotationsUsing(annotated));
            }

            return solution;
        }

        /// <summary>Fix All: one attribute per member, however many of its accesses are reported, across documents.</summary>
        private sealed class DeclareAll : FixAllProvider
        {
            public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
            {
                var diagnostics = fixAllContext.Scope switch
                {
                    FixAllScope.Project => await fixAllContext.GetAllDiagnosticsAsync(fixAllContext.Project).ConfigureAwait(false),
                    FixAllScope.Solution =>
                        (await Task.WhenAll(fixAllContext.Solution.Projects.Select(fixAllContext.GetAllDiagnosticsAsync)).ConfigureAwait(false))
                        .SelectMany(d => d).ToImmutableArray(),
                    _ => fixAllContext.Document is { } document
                        ? await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false)
                        : ImmutableArray<Diagnostic>.Empty,
                };

                var targets = new Dictionary<(DocumentId, TextSpan), Target>();
                foreach (var diagnostic in diagnostics)
                {
                    if (await TargetAsync(fixAllContext.Solution, diagnostic, fixAllContext.CancellationToken).ConfigureAwait(false) is { } target)
                    {
                        targets[(target.Document, target.Span)] = target;
                    }
                }

                return targets.Count == 0
                    ? null
                    : CodeAction.Create(
                        "Declare [GuardedBy] on every inconsistently locked member", token => DeclareAsync(fixAllContext.Solution, targets.Values, token), EquivalenceKey);
            }
        }
    }
}
