using System.Collections.Immutable;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM002: a <c>[GuardedBy]</c> member is written without its lock held exclusively.</summary>
    internal sealed class HMM002GuardedWriteRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM002);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var access in facts.Accesses)
            {
                if (!access.IsWrite || access.State.Find(access.Required) is { } held && held.Satisfies(LockMode.Exclusive))
                {
                    continue;
                }

                context.Report(
                    HmmAnalyzers.Descriptors.HMM002,
                    access.Operation.Syntax.GetLocation(),
                    null,
                    FixProperties.ForRequirement(facts, access.Required, LockMode.Exclusive, access.Info, heldInAnotherMode: access.State.Find(access.Required) is not null),
                    RuleContext.NameOf(access.Member),
                    RuleContext.Requirement(access.Required, LockMode.Exclusive, access.Info),
                    RuleContext.HeldInstead(access.State, access.Required));
            }
        }
    }
}
