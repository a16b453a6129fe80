using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM005: a lock held at exit, held on only some paths into a join, changed by a loop, or a broken acquire/release contract.</summary>
    internal sealed class HMM005LockNotReleasedRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(
            HmmAnalyzers.Descriptors.HMM005HeldOnSomePath,
            HmmAnalyzers.Descriptors.HMM005HeldOnEveryPath,
            HmmAnalyzers.Descriptors.HMM005HeldOnEveryPathDeclarable,
            HmmAnalyzers.Descriptors.HMM005Join,
            HmmAnalyzers.Descriptors.HMM005JoinDiffers,
            HmmAnalyzers.Descriptors.HMM005LoopReleases,
            HmmAnalyzers.Descriptors.HMM005LoopAcquires,
            HmmAnalyzers.Descriptors.HMM005LoopDiffers,
            HmmAnalyzers.Descriptors.HMM005LeakedByException,
            HmmAnalyzers.Descriptors.HMM005LeakedByThrow,
            HmmAnalyzers.Descriptors.HMM005AcquiresBroken,
            HmmAnalyzers.Descriptors.HMM005RequiredReleased,
            HmmAnalyzers.Descriptors.HMM005ReleasesBroken);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            var name = RuleContext.NameOf(facts.Symbol);
            var quoted = RuleContext.Quoted(facts.Symbol);
            // A function that asks whether it holds a lock takes it on some paths only on purpose (a reentrant enter, a lock
            // service that takes it for its callers unless they hold it already).
            foreach (var exit in facts.Exits.Where(e => context.Model.IsChecked(e.Path) && (e.OnEveryPath || !facts.Queried.Contains(e.Path))))
            {
                var contract = exit.OnEveryPath ? RuleContext.ContractHint(facts.Symbol, exit.Path, exit.Held.Mode, acquire: true) : null;
                var additional = new[] { exit.Exit };
                if (contract is not null)
                {
                    var properties = FixProperties.ForContract(exit.Path, contract);
                    context.Report(HmmAnalyzers.Descriptors.HMM005HeldOnEveryPathDeclarable, exit.Held.Site, additional, properties, exit.Path, quoted, contract);
                }
                else
                {
                    var descriptor = exit.OnEveryPath ? HmmAnalyzers.Descriptors.HMM005HeldOnEveryPath : HmmAnalyzers.Descriptors.HMM005HeldOnSomePath;
                    context.Report(descriptor, exit.Held.Site, additional, exit.Path, quoted);
                }
            }

            foreach (var join in facts.Joins.Where(j => context.Model.IsChecked(j.Path) && !facts.Queried.Contains(j.Path)))
            {
                if (join.Other is { } other)
                {
                    var (some, others) = join.Held.Mode != other.Mode ? (Way(join.Held.Mode), Way(other.Mode)) : (Times(join.Held.Count), Times(other.Count));
                    context.Report(HmmAnalyzers.Descriptors.HMM005JoinDiffers, join.Location, new[] { join.Held.Site }, join.Path, some, others);
                }
                else
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM005Join, join.Location, new[] { join.Held.Site }, join.Path);
                }
            }

            foreach (var loop in facts.Loops.Where(l => context.Model.IsChecked(l.Path)))
            {
                var additional = new[] { loop.Site };
                if (loop.AtHead is { } atHead && loop.OnBackEdge is { } onBackEdge)
                {
                    var (first, next) = atHead.Mode != onBackEdge.Mode ? (Way(atHead.Mode), Way(onBackEdge.Mode)) : (Times(atHead.Count), Times(onBackEdge.Count));
                    context.Report(HmmAnalyzers.Descriptors.HMM005LoopDiffers, loop.Location, additional, loop.Path, first, next);
                }
                else
                {
                    var descriptor = loop.AtHead is not null ? HmmAnalyzers.Descriptors.HMM005LoopReleases : HmmAnalyzers.Descriptors.HMM005LoopAcquires;
                    context.Report(descriptor, loop.Location, additional, loop.Path);
                }
            }

            foreach (var leak in facts.LeaksOnThrow.Where(l => context.Model.IsChecked(l.Path)))
            {
                var descriptor = leak.IsThrow ? HmmAnalyzers.Descriptors.HMM005LeakedByThrow : HmmAnalyzers.Descriptors.HMM005LeakedByException;
                context.Report(descriptor, leak.Held.Site, new[] { leak.Thrower.GetLocation() }, leak.Path, RuleContext.Excerpt(leak.Thrower));
            }

            foreach (var broken in facts.BrokenContracts)
            {
                var descriptor = broken.Required ? HmmAnalyzers.Descriptors.HMM005RequiredReleased
                    : broken.ShouldBeHeld ? HmmAnalyzers.Descriptors.HMM005AcquiresBroken : HmmAnalyzers.Descriptors.HMM005ReleasesBroken;
                context.Report(descriptor, broken.Exit, name, broken.Path);
            }
        }

        private static string Way(Model.LockMode mode) => mode switch
        {
            Model.LockMode.Shared => "shared",
            Model.LockMode.Upgradeable => "upgradeable",
            _ => "exclusively",
        };

        private static string Times(int count) => count == 1 ? "once" : $"{count} times";
    }
}
