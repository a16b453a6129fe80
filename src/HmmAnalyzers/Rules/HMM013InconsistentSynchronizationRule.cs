using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM013: an unannotated member accessed without the lock that guards it nearly everywhere else (see <see cref="GuardInference"/>).</summary>
    internal sealed class HMM013InconsistentSynchronizationRule : LockRule
    {
        /// <summary>How many of the locked writes a diagnostic points at, besides its own location.</summary>
        private const int MaxLockedSites = 10;

        /// <summary>
        /// The <c>.editorconfig</c> option that reports every read without the inferred guard (<c>all</c>), not only those
        /// that go wrong (the default, <c>harmful</c>).
        /// </summary>
        public const string ReadsOption = "hmm_analyzers.inferred_guard_reads";

        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM013);

        public override void AnalyzeType(TypeFacts type, RuleContext context, CancellationToken cancellationToken)
        {
            var everyRead = context.Option(ReadsOption) == "all";
            foreach (var access in GuardInference.Run(type, context.Model, cancellationToken, everyRead))
            {
                var guard = access.Guard;
                context.Report(
                    HmmAnalyzers.Descriptors.HMM013,
                    access.Operation.Syntax.GetLocation(),
                    guard.LockedWrites.Take(MaxLockedSites).Select(w => w.Syntax.GetLocation()),
                    FixProperties.ForInferredGuard(guard.Member, guard.Lock),
                    RuleContext.NameOf(guard.Member),
                    guard.Lock,
                    guard.Holding,
                    guard.Total,
                    access.IsWrite ? "write" : "read",
                    access.IsWrite && access.HeldShared ? " exclusively" : string.Empty);
            }
        }
    }
}
