using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM009: <c>await</c> while a thread-affine lock is held.</summary>
    internal sealed class HMM009AwaitWhileHeldRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM009);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var awaited in facts.Awaits)
            {
                var held = awaited.State.Locks
                    .Where(l => l.Value.Info.ThreadAffine && !(facts.IsNested && l.Value.Source == HoldSource.Contract))
                    .OrderBy(l => l.Key.ToString(), System.StringComparer.Ordinal)
                    .FirstOrDefault();
                if (held.Key is not null)
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM009, awaited.Operation.Syntax.GetLocation(), held.Value.Describe(held.Key));
                }
            }
        }
    }
}
