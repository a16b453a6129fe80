using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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
                    if (IsLeftToCallers(release, facts))
                    {
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

        /// <summary>
        /// A release for the function's callers that no contract can state: the function asked whether it holds the lock
        /// (a lock service's exit), or it takes no lock, holds none, and gives one back only under a condition, where
        /// its own state says its caller holds it (a depth count, an open engine).
        /// </summary>
        private static bool IsLeftToCallers(ReleaseFact release, MethodFacts facts)
            => facts.Queried.Contains(release.Path) || (release.Before.Locks.IsEmpty && facts.Acquisitions.Count == 0 && IsConditional(release.Site));

        /// <summary>Whether the code at <paramref name="site"/> runs only on some paths through its function: under a branch, a loop or a handler.</summary>
        private static bool IsConditional(Location site)
        {
            for (var node = site.SourceTree?.GetRoot().FindNode(site.SourceSpan, getInnermostNodeForTie: true).Parent; node is not null; node = node.Parent)
            {
                switch (node)
                {
                    case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax:
                        return false;
                    case IfStatementSyntax or SwitchSectionSyntax or SwitchExpressionArmSyntax or CatchClauseSyntax or ConditionalAccessExpressionSyntax
                        or ConditionalExpressionSyntax or WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax:
                        return true;
                    case BinaryExpressionSyntax binary when binary.Kind() is SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression or SyntaxKind.CoalesceExpression:
                        return true;
                }
            }

            return false;
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
