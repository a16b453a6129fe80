using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM011: an assertion weaker than the method's contract, or asserting a lock the method excludes.</summary>
    internal sealed class HMM011WeakAssertionRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(
            HmmAnalyzers.Descriptors.HMM011Weaker, HmmAnalyzers.Descriptors.HMM011Excluded);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var assertion in facts.Asserts)
            {
                var required = facts.EntryRequirements.FirstOrDefault(r => r.Path.Equals(assertion.Path));
                var info = required?.Info;
                if (required is { Mode: LockMode.Exclusive } && info?.HasShared == true && assertion.Mode != LockMode.Exclusive)
                {
                    var asserted = assertion.Mode == LockMode.Shared ? "held shared" : "held in some mode";
                    context.Report(HmmAnalyzers.Descriptors.HMM011Weaker, assertion.Operation.Syntax.GetLocation(), assertion.Path, asserted, RuleContext.NameOf(facts.Symbol));
                }
                else if (facts.Contract.Excludes.Names(assertion.Path))
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM011Excluded, assertion.Operation.Syntax.GetLocation(), assertion.Path, RuleContext.NameOf(facts.Symbol));
                }
            }
        }
    }
}
