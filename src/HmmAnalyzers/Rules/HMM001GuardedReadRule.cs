using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM001: a <c>[GuardedBy]</c> member is read without its lock.</summary>
    internal sealed class HMM001GuardedReadRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM001);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            if (facts.Accesses.Count == 0)
            {
                return;
            }

            var writes = facts.Accesses.Any(a => a.IsWrite) ? new HashSet<SyntaxNode>(facts.Accesses.Where(a => a.IsWrite).Select(a => a.Operation.Syntax)) : null;
            foreach (var access in facts.Accesses)
            {
                // A read-modify-write lowered to a read and a write is reported once, as the write.
                if (access.IsWrite || writes?.Contains(access.Operation.Syntax) == true || access.State.Find(access.Required) is { } held && held.Satisfies(LockMode.Shared))
                {
                    continue;
                }

                context.Report(
                    HmmAnalyzers.Descriptors.HMM001,
                    access.Operation.Syntax.GetLocation(),
                    null,
                    FixProperties.ForRequirement(facts, access.Required, LockMode.Shared, access.Info),
                    RuleContext.NameOf(access.Member),
                    RuleContext.Requirement(access.Required, LockMode.Shared, access.Info),
                    RuleContext.HeldInstead(access.State, access.Required));
            }
        }
    }
}
