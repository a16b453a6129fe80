using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM006: releasing a lock that is not held, or with the wrong kind.</summary>
    internal sealed class HMM006ReleaseNotHeldRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(
            HmmAnalyzers.Descriptors.HMM006NotHeld,
            HmmAnalyzers.Descriptors.HMM006NotHeldDeclarable,
            HmmAnalyzers.Descriptors.HMM006MaybeNotHeld,
            HmmAnalyzers.Descriptors.HMM006WrongKind);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var release in facts.Releases.Where(r => context.Model.IsChecked(r.Path)))
            {
                if (release.CarriedBy is { } carrier)
                {
                    var where = LockReferenceResolver.TypeOf(carrier)?.SpecialType == SpecialType.System_Boolean
                        ? $"'{carrier.Name}' is true"
                        : $"'{carrier.Name}' is not null";
                    context.Report(HmmAnalyzers.Descriptors.HMM006MaybeNotHeld, release.Site, release.Path, where);
                }
                else if (release.Existing is not { } held)
                {
                    if (facts.Queried.Contains(release.Path))
                    {
                        // It asked whether it holds the lock: a release by that answer, for its callers (a lock service's exit).
                        continue;
                    }

                    // A method that never takes the lock itself may be meant to release it for its caller.
                    var contract = facts.Acquisitions.Exists(a => a.Path.Equals(release.Path))
                        ? null
                        : RuleContext.ContractHint(facts.Symbol, release.Path, release.Mode, acquire: false);
                    var instead = RuleContext.HeldInstead(release.Before, release.Path);
                    if (contract is null)
                    {
                        context.Report(HmmAnalyzers.Descriptors.HMM006NotHeld, release.Site, release.Path, instead);
                    }
                    else
                    {
                        context.Report(
                            HmmAnalyzers.Descriptors.HMM006NotHeldDeclarable,
                            release.Site,
                            null,
                            FixProperties.ForContract(release.Path, contract),
                            release.Path,
                            instead,
                            RuleContext.Quoted(facts.Symbol),
                            contract);
                    }
                }
                else if (IsWrongKind(held, release.Mode))
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM006WrongKind, release.Site, release.Path, Kind(release.Mode), Kind(held.Mode));
                }
            }
        }

        private static bool IsWrongKind(Held held, LockMode released)
        {
            if (held.Mode == LockMode.Any || !held.Info.HasShared)
            {
                return false;
            }

            // A recursive lock's write holder may also take the read lock: with a depth over one, a weaker release ends that nested hold.
            if (held.Count > 1 && held.Info.Reentrant && released < held.Mode)
            {
                return false;
            }

            return held.Upgraded ? released == LockMode.Shared : held.Mode != released;
        }

        private static string Kind(LockMode mode) => mode switch
        {
            LockMode.Shared => "shared",
            LockMode.Upgradeable => "upgradeable",
            _ => "exclusive",
        };
    }
}
