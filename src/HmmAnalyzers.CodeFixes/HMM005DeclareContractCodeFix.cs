using System.Collections.Immutable;
using System.Composition;
using HmmAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HmmAnalyzers.CodeFixes
{
    /// <summary>
    /// HMM005/HMM006: declares that the method takes the lock for its caller (<c>[Acquires]</c>, held on every return)
    /// or gives it back (<c>[Releases]</c>, released without being taken), as the diagnostic's message suggests.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HMM005DeclareContractCodeFix))]
    [Shared]
    public sealed class HMM005DeclareContractCodeFix : AddContractAttributeCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(RuleIdentifiers.LockNotReleased, RuleIdentifiers.ReleaseNotHeld);

        protected override string? AttributeFor(ImmutableDictionary<string, string?> properties)
            => properties.TryGetValue(FixProperties.Contract, out var attribute) ? attribute : null;

        protected override string Title(string attribute, string lockText) => $"Declare [{attribute}(\"{lockText}\")] on the enclosing member";
    }
}
