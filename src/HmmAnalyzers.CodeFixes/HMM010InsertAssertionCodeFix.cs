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
    /// <summary>HMM010: inserts the Lockdep assertion of the method's contract as its first statement.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HMM010InsertAssertionCodeFix))]
    [Shared]
    public sealed class HMM010InsertAssertionCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.MissingAssertion);

        public override FixAllProvider GetFixAllProvider() => new OwnKeyFixAllProvider(nameof(HMM010InsertAssertionCodeFix));

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not { } node ||
                    !diagnostic.Properties.TryGetValue(FixProperties.Assertions, out var assertions) || string.IsNullOrEmpty(assertions))
                {
                    continue;
                }

                var member = node.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax);
                if (member is null)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Assert the lock contract with Lockdep",
                        token => InsertAsync(context.Document, member, assertions!, token),
                        nameof(HMM010InsertAssertionCodeFix)),
                    diagnostic);
            }
        }

        private static async Task<Document> InsertAsync(Document document, SyntaxNode member, string assertions, CancellationToken cancellationToken)
        {
            var original = member;
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root)
            {
                return document;
            }

            var newLine = SyntaxHelpers.NewLine(root);
            var statements = assertions.Split(';')
                .Select(a => SyntaxFactory.ParseStatement($"Lockdep.{a};")
                    .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
                    .WithTrailingTrivia(newLine)
                    .WithAdditionalAnnotations(SyntaxHelpers.Format))
                .ToArray();
            var (body, expression, returnsValue) = member switch
            {
                BaseMethodDeclarationSyntax method => (method.Body, method.ExpressionBody, method is MethodDeclarationSyntax m && !IsVoid(m.ReturnType)),
                AccessorDeclarationSyntax accessor => (accessor.Body, accessor.ExpressionBody, accessor.IsKind(SyntaxKind.GetAccessorDeclaration)),
                LocalFunctionStatementSyntax local => (local.Body, local.ExpressionBody, !IsVoid(local.ReturnType)),
                _ => (null, null, false),
            };

            BlockSyntax newBody;
            if (body is not null && !IsOneLine(body))
            {
                newBody = body.WithStatements(body.Statements.InsertRange(0, statements));
            }
            else if (body is not null || expression is not null)
            {
                // An expression body, or a block on one line (`get { return _n; }`), becomes a block laid out on its own lines.
                var rest = body is not null
                    ? body.Statements.Select(s => s.WithoutLeadingTrivia().WithTrailingTrivia(newLine))
                    : new StatementSyntax[] { returnsValue ? SyntaxFactory.ReturnStatement(expression!.Expression) : SyntaxFactory.ExpressionStatement(expression!.Expression) };
                newBody = SyntaxFactory.Block(statements.Concat(rest.Select(s => s.WithAdditionalAnnotations(SyntaxHelpers.Format))))
                    .WithLeadingTrivia(newLine)
                    .WithAdditionalAnnotations(SyntaxHelpers.Format);
                var before = (SyntaxNode?)body ?? expression!;
                var previous = before.GetFirstToken().GetPreviousToken();
                member = member.ReplaceToken(previous, previous.WithTrailingTrivia());
            }
            else
            {
                return document;
            }

            SyntaxNode newMember = member switch
            {
                BaseMethodDeclarationSyntax method => method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(newBody),
                AccessorDeclarationSyntax accessor => accessor.WithExpressionBody(null).WithSemicolonToken(default).WithBody(newBody),
                LocalFunctionStatementSyntax local => local.WithExpressionBody(null).WithSemicolonToken(default).WithBody(newBody),
                _ => member,
            };
            var newRoot = SyntaxHelpers.WithAnnotationsUsing(root.ReplaceNode(original, newMember));
            return document.WithSyntaxRoot(newRoot);
        }

        private static bool IsOneLine(BlockSyntax block)
        {
            var span = block.GetLocation().GetLineSpan();
            return span.StartLinePosition.Line == span.EndLinePosition.Line;
        }

        private static bool IsVoid(TypeSyntax type) => type is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword);
    }
}
