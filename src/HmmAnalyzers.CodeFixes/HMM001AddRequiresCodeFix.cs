using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HmmAnalyzers.CodeFixes
{
    /// <summary>HMM001-HMM003: adds the missing <c>[RequiresExclusive]</c>/<c>[RequiresShared]</c> to the enclosing method, moving the obligation to its callers.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HMM001AddRequiresCodeFix))]
    [Shared]
    public sealed class HMM001AddRequiresCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(RuleIdentifiers.GuardedRead, RuleIdentifiers.GuardedWrite, RuleIdentifiers.MissingRequiredLock);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                var properties = diagnostic.Properties;
                if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node ||
                    !properties.TryGetValue(FixProperties.Annotatable, out var annotatable) || annotatable != "true" ||
                    !properties.TryGetValue(FixProperties.Lock, out var lockText) || lockText is null ||
                    !properties.TryGetValue(FixProperties.Mode, out var mode))
                {
                    continue;
                }

                var member = node.AncestorsAndSelf().FirstOrDefault(n =>
                    n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or LocalFunctionStatementSyntax ||
                    n is AnonymousFunctionExpressionSyntax);
                if (member is null or AnonymousFunctionExpressionSyntax)
                {
                    continue;
                }

                var attribute = mode == "Exclusive" ? "RequiresExclusive" : "RequiresShared";
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Add [{attribute}(\"{lockText}\")] to the enclosing member",
                        token => AddAsync(context.Document, member, attribute, lockText, token),
                        nameof(HMM001AddRequiresCodeFix) + attribute + lockText),
                    diagnostic);
            }
        }

        private static async Task<Document> AddAsync(Document document, SyntaxNode member, string attribute, string lockText, CancellationToken cancellationToken)
        {
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root)
            {
                return document;
            }

            var newLine = SyntaxHelpers.NewLine(root);
            var leading = member.GetLeadingTrivia();
            var indentation = leading.LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
            var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(
                    SyntaxFactory.IdentifierName(attribute),
                    SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(lockText))))))))
                .WithTrailingTrivia(newLine);

            // The new attribute goes on its own line above the member, keeping the member's comments and indentation.
            var first = member.GetFirstToken();
            var bare = member.ReplaceToken(first, first.WithLeadingTrivia(indentation));
            list = list.WithLeadingTrivia(leading);
            SyntaxNode newMember = bare switch
            {
                BaseMethodDeclarationSyntax method => method.WithAttributeLists(method.AttributeLists.Insert(0, list)),
                AccessorDeclarationSyntax accessor => accessor.WithAttributeLists(accessor.AttributeLists.Insert(0, list)),
                PropertyDeclarationSyntax property => property.WithAttributeLists(property.AttributeLists.Insert(0, list)),
                LocalFunctionStatementSyntax local => local.WithAttributeLists(local.AttributeLists.Insert(0, list)),
                _ => member,
            };
            var newRoot = SyntaxHelpers.WithAnnotationsUsing(root.ReplaceNode(member, newMember));
            return document.WithSyntaxRoot(newRoot);
        }
    }
}
