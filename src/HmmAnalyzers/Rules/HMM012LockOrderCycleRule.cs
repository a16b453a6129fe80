using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM012: a cycle in the lock order inferred over the whole compilation (a possible deadlock), once per cycle.</summary>
    internal sealed class HMM012LockOrderCycleRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM012);

        public override void AnalyzeCompilationEnd(LockOrderGraph lockOrder, RuleContext context, CancellationToken cancellationToken)
        {
            foreach (var cycle in lockOrder.FindCycles(cancellationToken))
            {
                context.Report(HmmAnalyzers.Descriptors.HMM012, cycle.Site, cycle.OtherSites, string.Join(" -> ", cycle.Locks.Select(n => $"'{n}'")));
            }
        }
    }
}
