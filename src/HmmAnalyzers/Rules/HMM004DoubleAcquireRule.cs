using System.Collections.Immutable;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM004: a non-reentrant lock acquired by its holder; an <c>[Excludes]</c> method called with its lock held.</summary>
    internal sealed class HMM004DoubleAcquireRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(
            HmmAnalyzers.Descriptors.HMM004Reacquired, HmmAnalyzers.Descriptors.HMM004ReadLockUpgraded, HmmAnalyzers.Descriptors.HMM004ExcludedHeld);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var acquisition in facts.Acquisitions)
            {
                if (acquisition.Existing is not { } existing || !acquisition.Rejected || !context.Model.IsChecked(acquisition.Path))
                {
                    continue;
                }

                if (AcquireFact.IsUpgradeFromShared(acquisition.Info, existing, acquisition.Mode))
                {
                    var how = acquisition.Mode == LockMode.Exclusive ? "exclusively" : "for upgrade";
                    context.Report(HmmAnalyzers.Descriptors.HMM004ReadLockUpgraded, acquisition.Site, acquisition.Path, how);
                    continue;
                }

                context.Report(HmmAnalyzers.Descriptors.HMM004Reacquired, acquisition.Site, acquisition.Path, existing.Describe(acquisition.Path));
            }

            foreach (var call in facts.Calls)
            {
                foreach (var excluded in call.Excludes)
                {
                    if (call.State.Find(excluded.Path) is { } held)
                    {
                        context.Report(
                            HmmAnalyzers.Descriptors.HMM004ExcludedHeld, call.Operation.Syntax.GetLocation(), RuleContext.NameOf(call.Method), held.Describe(excluded.Path));
                    }
                }
            }
        }
    }
}
