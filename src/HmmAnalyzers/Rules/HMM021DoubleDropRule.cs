using System.Collections.Immutable;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM021: a counted reference dropped twice.</summary>
    internal sealed class HMM021DoubleDropRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM021);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var drop in facts.Drops)
            {
                if (drop.Previous is { } previous)
                {
                    context.Report(
                        HmmAnalyzers.Descriptors.HMM021, drop.Operation.Syntax.GetLocation(), new[] { previous }, drop.Path.ToString(), HMM020UseAfterDropRule.Line(previous));
                }
            }
        }
    }
}
