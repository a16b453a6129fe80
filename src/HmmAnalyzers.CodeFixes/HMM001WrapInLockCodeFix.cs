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
    /// <summary>HMM001/HMM002: wraps the statement in <c>lock (guard)</c> when the guard is a Monitor or System.Threading.Lock.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HMM001WrapInLockCodeFix))]
    [Shared]
    public sealed class HMM001WrapInLockCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(RuleIdentifiers.GuardedRead, RuleIdentifiers.GuardedWrite);

        public override FixAllProvider GetFixAllProvider() => new OwnKeyFixAllProvider(nameof(HMM001WrapInLockCodeFix));

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node ||
                    !diagnostic.Properties.TryGetValue(FixProperties.Wrappable, out var wrappable) || wrappable != "true" ||
                    !diagnostic.Properties.TryGetValue(FixProperties.Lock, out var lockText) || lockText is null)
                {
                    continue;
                }

                // An expression-bodied member becomes a block whose one statement is locked.
                var arrow = node.Ancestors().OfType<ArrowExpressionClauseSyntax>().FirstOrDefault();
                if (arrow?.Parent is PropertyDeclarationSyntax or MethodDeclarationSyntax or AccessorDeclarationSyntax && !CreatesTheLambdaThatReads(node, arrow))
                {
                    var action = CodeAction.Create($"Wrap in lock ({lockText})", token => WrapBodyAsync(context.Document, arrow, lockText, token), nameof(HMM001WrapInLockCodeFix));
                    context.RegisterCodeFix(action, diagnostic);
                    continue;
                }

                // Only a whole statement inside a block, and not a declaration whose variables the lock would hide.
                var statement = node.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault();
                if (statement is null or LocalDeclarationStatementSyntax or BlockSyntax || statement.Parent is not BlockSyntax ||
                    CreatesTheLambdaThatReads(node, statement) || InsideLockOn(statement, lockText))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Wrap in lock ({lockText})",
                        token => WrapAsync(context.Document, statement, lockText, token),
                        nameof(HMM001WrapInLockCodeFix)),
                    diagnostic);
            }
        }

        /// <summary>The access is in a lambda the statement only creates: the lambda runs later, where the lock would not be held.</summary>
        private static bool CreatesTheLambdaThatReads(SyntaxNode access, SyntaxNode statement)
            => access.Ancestors().TakeWhile(a => a != statement).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);

        /// <summary>The statement is already inside a <c>lock</c> on the same expression: a second one would hide why it is not held.</summary>
        private static bool InsideLockOn(StatementSyntax statement, string lockText)
            => statement.Ancestors().OfType<LockStatementSyntax>().Any(l => l.Expression.ToString() == lockText || l.Expression.ToString() == "this." + lockText);

        /// <summary><c>int Size => _n;</c> becomes <c>int Size { get { lock (g) { return _n; } } }</c>, a method or accessor likewise.</summary>
        private static async Task<Document> WrapBodyAsync(Document document, ArrowExpressionClauseSyntax arrow, string lockText, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var returns = arrow.Parent switch
            {
                MethodDeclarationSyntax method => !(method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }),
                AccessorDeclarationSyntax accessor => accessor.IsKind(SyntaxKind.GetAccessorDeclaration),
                _ => true,
            };
            StatementSyntax inner = returns ? SyntaxFactory.ReturnStatement(arrow.Expression) : SyntaxFactory.ExpressionStatement(arrow.Expression);
            var body = SyntaxFactory.Block(SyntaxFactory.LockStatement(SyntaxFactory.ParseExpression(lockText), SyntaxFactory.Block(inner)));
            SyntaxNode replacement = arrow.Parent switch
            {
                PropertyDeclarationSyntax property => property.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(
                    SyntaxFactory.AccessorList(SyntaxFactory.SingletonList(SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, body)))),
                MethodDeclarationSyntax method => method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body),
                AccessorDeclarationSyntax accessor => accessor.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body),
                _ => arrow.Parent!,
            };
            // An accessor is formatted with its property, so that the property's one-line accessor list opens up too.
            if (arrow.Parent is AccessorDeclarationSyntax { Parent.Parent: BasePropertyDeclarationSyntax owner })
            {
                var updated = owner.ReplaceNode(arrow.Parent, replacement);
                if (updated.AccessorList is { } list)
                {
                    // Fresh braces and bare accessors: the formatter lays out what it did not see written on one line.
                    var accessors = list.Accessors.Select(a => a.WithoutLeadingTrivia().WithoutTrailingTrivia());
                    updated = updated.WithAccessorList(SyntaxFactory.AccessorList(SyntaxFactory.List(accessors)));
                }

                return document.WithSyntaxRoot(root.ReplaceNode(owner, updated.WithAdditionalAnnotations(SyntaxHelpers.Format)));
            }

            return document.WithSyntaxRoot(root.ReplaceNode(arrow.Parent!, replacement.WithAdditionalAnnotations(SyntaxHelpers.Format)));
        }

        private static async Task<Document> WrapAsync(Document document, StatementSyntax statement, string lockText, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var locked = SyntaxFactory.LockStatement(
                    SyntaxFactory.ParseExpression(lockText),
                    SyntaxFactory.Block(statement.WithoutLeadingTrivia()))
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithAdditionalAnnotations(SyntaxHelpers.Format);
            return document.WithSyntaxRoot(root.ReplaceNode(statement, locked));
        }
    }
}
