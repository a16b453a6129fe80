using System.Collections.Immutable;
using System.Threading.Tasks;
using HmmAnalyzers.Rules;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HmmAnalyzers.CodeFixes
{
    /// <summary>
    /// A fix that adds a contract attribute naming the diagnostic's lock (<see cref="FixProperties.Lock"/>) to the
    /// member around it; the subclass picks the attribute from the diagnostic's properties.
    /// </summary>
    public abstract class AddContractAttributeCodeFix : CodeFixProvider
    {
        public override FixAllProvider GetFixAllProvider() => new OwnKeyFixAllProvider(GetType().Name);

        /// <summary>The attribute to add, or null when the diagnostic has none to offer.</summary>
        protected abstract string? AttributeFor(ImmutableDictionary<string, string?> properties);

        /// <summary>The code action's title for <c>[attribute("lockText")]</c>.</summary>
        protected abstract string Title(string attribute, string lockText);

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (AttributeFor(diagnostic.Properties) is not { } attribute ||
                    !diagnostic.Properties.TryGetValue(FixProperties.Lock, out var lockText) || lockText is null ||
                    root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node ||
                    SyntaxHelpers.AnnotatableMember(node) is not { } member)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title(attribute, lockText),
                        token => SyntaxHelpers.AddAttributeAsync(context.Document, member, attribute, lockText, token),
                        // One key for every contract: Fix All declares on each member the contract its own diagnostic names.
                        GetType().Name),
                    diagnostic);
            }
        }
    }
}
