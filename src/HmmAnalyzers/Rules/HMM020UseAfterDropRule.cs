using System.Collections.Immutable;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM020: a counted reference used after it was dropped (on any path).</summary>
    internal sealed class HMM020UseAfterDropRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM020);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var use in facts.Uses)
            {
                context.Report(HmmAnalyzers.Descriptors.HMM020, use.Operation.Syntax.GetLocation(), new[] { use.DropSite }, use.Path.ToString(), Line(use.DropSite));
            }
        }

        internal static int Line(Location location) => location.GetLineSpan().StartLinePosition.Line + 1;
    }
}
