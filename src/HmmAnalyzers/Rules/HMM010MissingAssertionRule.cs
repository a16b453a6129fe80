using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HmmAnalyzers.Rules
{
    /// <summary>
    /// HMM010: a method with a <c>[Requires*]</c> contract that does not assert it at run time (a Lockdep or
    /// <c>[AssertsHeld*]</c> call) before its first guarded access or call.
    /// </summary>
    internal sealed class HMM010MissingAssertionRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM010);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            if (facts.IsNested || facts.Contract.Requires.IsEmpty)
            {
                return;
            }

            // A constructor's initializer (': base(...)', ': this(...)') runs before any statement of its body could assert.
            var firstEffect = facts.FirstEffects.Where(o => !InConstructorInitializer(o)).Select(o => o.Syntax.SpanStart).DefaultIfEmpty(int.MaxValue).Min();
            var missing = new List<string>();
            var assertions = new List<string>();
            foreach (var required in facts.Contract.Requires)
            {
                if (required.Path is not { } path)
                {
                    continue;
                }

                var asserted = facts.Asserts.Any(a => a.Path.Equals(path) && a.Operation.Syntax.SpanStart < firstEffect);
                if (!asserted)
                {
                    var info = facts.EntryRequirements.FirstOrDefault(r => r.Path.Equals(path))?.Info;
                    missing.Add(RuleContext.Requirement(path, required.Mode, info));
                    assertions.Add($"{FixProperties.AssertionFor(required.Mode, info)}({path})");
                }
            }

            if (missing.Count > 0)
            {
                var properties = ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Assertions, string.Join(";", assertions.Distinct()));
                context.Report(HmmAnalyzers.Descriptors.HMM010, facts.NameLocation, null, properties, RuleContext.NameOf(facts.Symbol), string.Join(" and ", missing.Distinct()));
            }
        }

        private static bool InConstructorInitializer(IOperation operation) => operation.Syntax.FirstAncestorOrSelf<ConstructorInitializerSyntax>() is not null;
    }
}
