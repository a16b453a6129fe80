using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM008: a call that may sleep while a spinning lock is held or inside an <c>[AtomicContext]</c> method.</summary>
    internal sealed class HMM008SleepInAtomicRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM008);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var call in facts.Calls.Where(c => c.IsBlocking))
            {
                var spinning = call.State.Locks.Where(l => l.Value.Info.Spinning).OrderBy(l => l.Key.ToString(), System.StringComparer.Ordinal).FirstOrDefault();
                string? reason = spinning.Key is not null
                    ? $"the spinning lock '{spinning.Key}' is held"
                    : facts.Contract.AtomicContext ? $"'{RuleContext.NameOf(facts.Symbol)}' runs in atomic context" : null;
                if (reason is not null)
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM008, call.Operation.Syntax.GetLocation(), RuleContext.NameOf(call.Method), reason);
                }
            }
        }
    }
}
