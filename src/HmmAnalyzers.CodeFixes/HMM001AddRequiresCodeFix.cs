using System.Collections.Immutable;
using System.Composition;
using HmmAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HmmAnalyzers.CodeFixes
{
    /// <summary>HMM001-HMM003: adds the missing <c>[RequiresExclusive]</c>/<c>[RequiresShared]</c> to the enclosing method, moving the obligation to its callers.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HMM001AddRequiresCodeFix))]
    [Shared]
    public sealed class HMM001AddRequiresCodeFix : AddContractAttributeCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(RuleIdentifiers.GuardedRead, RuleIdentifiers.GuardedWrite, RuleIdentifiers.MissingRequiredLock);

        protected override string? AttributeFor(ImmutableDictionary<string, string?> properties)
            => !properties.TryGetValue(FixProperties.Annotatable, out var annotatable) || annotatable != "true" ||
               !properties.TryGetValue(FixProperties.Mode, out var mode)
                ? null
                : mode == "Exclusive" ? "RequiresExclusive" : "RequiresShared";

        protected override string Title(string attribute, string lockText) => $"Add [{attribute}(\"{lockText}\")] to the enclosing member";
    }
}
