using System.Linq;
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
    }
}
