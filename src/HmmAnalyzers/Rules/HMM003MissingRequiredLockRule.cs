using System.Collections.Immutable;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM003: a method with a <c>[Requires*]</c> contract is called without the locks it requires.</summary>
    internal sealed class HMM003MissingRequiredLockRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM003);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var call in facts.Calls)
            {
                foreach (var required in call.Requires)
                {
                    if (call.State.Find(required.Path) is { } held && held.Satisfies(required.Mode))
                    {
                        continue;
                    }

                    var callee = call.Method.AssociatedSymbol ?? call.Method;
                    context.Report(
                        HmmAnalyzers.Descriptors.HMM003,
                        call.Operation.Syntax.GetLocation(),
                        null,
                        FixProperties.ForRequirement(facts, required.Path, required.Mode, required.Info),
                        RuleContext.NameOf(callee),
                        RuleContext.Requirement(required.Path, required.Mode, required.Info),
                        RuleContext.HeldInstead(call.State, required.Path));
                }
            }
        }
    }
}
