using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using HmmAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

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
                    !properties.TryGetValue(FixProperties.Mode, out var mode) ||
                    SyntaxHelpers.AnnotatableMember(node) is not { } member)
                {
                    continue;
                }

                var attribute = mode == "Exclusive" ? "RequiresExclusive" : "RequiresShared";
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Add [{attribute}(\"{lockText}\")] to the enclosing member",
                        token => SyntaxHelpers.AddAttributeAsync(context.Document, member, attribute, lockText, token),
                        nameof(HMM001AddRequiresCodeFix) + attribute + lockText),
                    diagnostic);
            }
        }
    }
}
