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
                // A command-line build shows only the primary location: the message names the others, file and line.
                var others = string.Join(", ", cycle.OtherSites.Select(Where));
                context.Report(HmmAnalyzers.Descriptors.HMM012, cycle.Site, cycle.OtherSites, string.Join(" -> ", cycle.Locks.Select(n => $"'{n}'")), others);
            }
        }

        private static string Where(Location location)
        {
            var span = location.GetLineSpan();
            return $"{System.IO.Path.GetFileName(span.Path)}:{span.StartLinePosition.Line + 1}";
        }
    }
}
