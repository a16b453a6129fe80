using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using HmmAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HmmAnalyzers.CodeFixes
{
    /// <summary>
    /// HMM005/HMM006: declares that the method takes the lock for its caller (<c>[Acquires]</c>, held on every return)
    /// or gives it back (<c>[Releases]</c>, released without being taken), as the diagnostic's message suggests.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HMM005DeclareContractCodeFix))]
    [Shared]
    public sealed class HMM005DeclareContractCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(RuleIdentifiers.LockNotReleased, RuleIdentifiers.ReleaseNotHeld);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(FixProperties.Contract, out var attribute) || attribute is null ||
                    !diagnostic.Properties.TryGetValue(FixProperties.Lock, out var lockText) || lockText is null ||
                    root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node ||
                    SyntaxHelpers.AnnotatableMember(node) is not { } member)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Declare [{attribute}(\"{lockText}\")] on the enclosing member",
                        token => SyntaxHelpers.AddAttributeAsync(context.Document, member, attribute, lockText, token),
                        nameof(HMM005DeclareContractCodeFix) + attribute + lockText),
                    diagnostic);
            }
        }
    }
}
