using System.Collections.Immutable;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM005: a lock held at exit, held on only some paths into a join, changed by a loop, or a broken acquire/release contract.</summary>
    internal sealed class HMM005LockNotReleasedRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM005);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            var descriptor = HmmAnalyzers.Descriptors.HMM005;
            var name = RuleContext.NameOf(facts.Symbol);
            var quoted = RuleContext.Quoted(facts.Symbol);
            foreach (var exit in facts.Exits)
            {
                var contract = exit.OnEveryPath ? RuleContext.ContractHint(facts.Symbol, exit.Path, exit.Held.Mode, acquire: true) : null;
                var message = !exit.OnEveryPath
                    ? $"'{exit.Path}' is acquired here but still held at the end of {quoted} on some path"
                    : contract is not null
                        ? $"'{exit.Path}' is acquired here and still held on every return from {quoted}; if {quoted} is meant to return holding it, declare that with [{contract}]"
                        : $"'{exit.Path}' is acquired here and still held on every return from {quoted}";
                var properties = contract is null ? null : FixProperties.ForContract(exit.Path, contract);
                context.Report(descriptor, exit.Held.Site, new[] { exit.Exit }, properties, message);
            }

            foreach (var join in facts.Joins)
            {
                context.Report(descriptor, join.Location, new[] { join.Held.Site }, $"'{join.Path}' is held on some paths reaching this point but not on others");
            }

            foreach (var loop in facts.Loops)
            {
                var message = loop.HeldAtHead
                    ? $"'{loop.Path}' is held when the loop starts but released before the next iteration"
                    : $"'{loop.Path}' is acquired in the loop but still held when the next iteration starts";
                context.Report(descriptor, loop.Location, loop.HeldAtHead ? new[] { loop.Held.Site } : null, message);
            }

            foreach (var broken in facts.BrokenContracts)
            {
                var message = broken.ShouldBeHeld
                    ? $"'{name}' promises to return holding '{broken.Path}' ([Acquires]) but does not hold it on some return path"
                    : $"'{name}' promises to release '{broken.Path}' ([Releases]) but still holds it on some return path";
                context.Report(descriptor, broken.Exit, message);
            }
        }
    }
}
