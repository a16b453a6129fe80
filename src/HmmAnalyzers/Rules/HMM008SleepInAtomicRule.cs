using System.Collections.Immutable;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM008: a call that may sleep while a spinning lock is held or inside an <c>[AtomicContext]</c> method.</summary>
    internal sealed class HMM008SleepInAtomicRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM008);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var call in facts.Calls)
            {
                if (!call.IsBlocking || (call.State.Locks.IsEmpty && !facts.Contract.AtomicContext))
                {
                    continue;
                }

                string? reason = SpinningLock(call.State) is { } spinning
                    ? $"the spinning lock '{spinning}' is held"
                    : facts.Contract.AtomicContext ? $"'{RuleContext.NameOf(facts.Symbol)}' runs in atomic context" : null;
                if (reason is not null)
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM008, call.Operation.Syntax.GetLocation(), RuleContext.NameOf(call.Method), reason);
                }
            }
        }

        /// <summary>A spinning lock held in <paramref name="state"/>; of several, the first by name, so the message does not depend on hash order.</summary>
        private static LockPath? SpinningLock(FlowState state)
        {
            LockPath? first = null;
            string? firstName = null;
            foreach (var entry in state.Locks)
            {
                if (!entry.Value.Info.Spinning)
                {
                    continue;
                }

                if (first is null)
                {
                    first = entry.Key;
                    continue;
                }

                firstName ??= first.ToString();
                var name = entry.Key.ToString();
                if (string.CompareOrdinal(name, firstName) < 0)
                {
                    (first, firstName) = (entry.Key, name);
                }
            }

            return first;
        }
    }
}
