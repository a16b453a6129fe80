using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace HmmAnalyzers.CodeFixes
{
    internal static class SyntaxHelpers
    {
        public const string AnnotationsNamespace = "HmmAnalyzers.Annotations";

        /// <summary>Adds <c>using HmmAnalyzers.Annotations;</c> unless the file already has it.</summary>
        public static CompilationUnitSyntax WithAnnotationsUsing(CompilationUnitSyntax root)
        {
            var present = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
                .OfType<UsingDirectiveSyntax>()
                .Any(u => u.Name?.ToString() == AnnotationsNamespace);
            return present
                ? root
                : root.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(AnnotationsNamespace)).WithAdditionalAnnotations(Formatter.Annotation));
        }

        /// <summary>An elastic end of line in the document's own style.</summary>
        public static SyntaxTrivia NewLine(SyntaxNode root)
        {
            var existing = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            return SyntaxFactory.ElasticEndOfLine(existing.IsKind(SyntaxKind.EndOfLineTrivia) ? existing.ToString() : "\n");
        }

        public static SyntaxAnnotation[] Format { get; } = { Formatter.Annotation, Simplifier.Annotation };

        /// <summary>The member around <paramref name="node"/> that can carry a contract attribute; none inside a lambda.</summary>
        public static SyntaxNode? AnnotatableMember(SyntaxNode node)
        {
            var member = node.AncestorsAndSelf().FirstOrDefault(n =>
                n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or LocalFunctionStatementSyntax ||
                n is AnonymousFunctionExpressionSyntax);
            return member is AnonymousFunctionExpressionSyntax ? null : member;
        }

        /// <summary>
        /// The lock as the document names locks: <c>nameof(_gate)</c> where its attributes already use <c>nameof</c> (or
        /// <paramref name="preferNameof"/>) and the lock is one name (a path such as <c>mm.MmapSem</c> needs the string:
        /// <c>nameof</c> would keep only its last part).
        /// </summary>
        private static ExpressionSyntax LockArgument(CompilationUnitSyntax root, string lockText, bool preferNameof)
        {
            var usesNameof = SyntaxFacts.IsValidIdentifier(lockText) && (preferNameof || root.DescendantNodes().OfType<AttributeArgumentSyntax>()
                .Any(a => a.Expression is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } }));
            return usesNameof
                ? SyntaxFactory.InvocationExpression(
                    SyntaxFactory.IdentifierName("nameof"),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(lockText)))))
                : SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(lockText));
        }

        /// <summary>Adds <c>[attribute("lockText")]</c> on its own line above <paramref name="member"/>, keeping its comments and indentation.</summary>
        public static async Task<Document> AddAttributeAsync(Document document, SyntaxNode member, string attribute, string lockText, CancellationToken cancellationToken)
        {
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root)
            {
                return document;
            }

            return document.WithSyntaxRoot(WithAnnotationsUsing(root.ReplaceNode(member, WithAttribute(root, member, attribute, lockText, preferNameof: false))));
        }

        /// <summary><paramref name="member"/> (a node of <paramref name="root"/>, or a rewrite of one) with <c>[attribute(lock)]</c> on its own line above it.</summary>
        public static SyntaxNode WithAttribute(CompilationUnitSyntax root, SyntaxNode member, string attribute, string lockText, bool preferNameof)
        {
            var leading = member.GetLeadingTrivia();
            var indentation = leading.LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
            var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(
                    SyntaxFactory.IdentifierName(attribute),
                    SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.AttributeArgument(LockArgument(root, lockText, preferNameof)))))))
                .WithTrailingTrivia(NewLine(root))
                .WithLeadingTrivia(leading);

            var first = member.GetFirstToken();
            var bare = member.ReplaceToken(first, first.WithLeadingTrivia(indentation));
            return bare switch
            {
                BaseMethodDeclarationSyntax method => method.WithAttributeLists(method.AttributeLists.Insert(0, list)),
                AccessorDeclarationSyntax accessor => accessor.WithAttributeLists(accessor.AttributeLists.Insert(0, list)),
                PropertyDeclarationSyntax property => property.WithAttributeLists(property.AttributeLists.Insert(0, list)),
                FieldDeclarationSyntax field => field.WithAttributeLists(field.AttributeLists.Insert(0, list)),
                LocalFunctionStatementSyntax local => local.WithAttributeLists(local.AttributeLists.Insert(0, list)),
                _ => member,
            };
        }
    }
}
