using System.Collections.Immutable;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>
    /// HMM022: a <c>[GracePeriodProtected]</c> reference of an object dropped before the object's deferred free
    /// (a <c>[DeferredFree]</c> call) ends its grace period: readers may still use it in between.
    /// </summary>
    internal sealed class HMM022DropBeforeGracePeriodRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM022);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var free in facts.DeferredFrees)
            {
                foreach (var dropped in free.State.Dropped)
                {
                    var path = dropped.Key;
                    if (path.Members.Length == free.Owner.Members.Length + 1 && path.StartsWith(free.Owner) &&
                        AttributeNames.Has(path.Members[path.Members.Length - 1], AttributeNames.GracePeriodProtected))
                    {
                        context.Report(HmmAnalyzers.Descriptors.HMM022, dropped.Value, new[] { free.Operation.Syntax.GetLocation() },
                            path.ToString(), free.Owner.ToString(), HMM020UseAfterDropRule.Line(free.Operation.Syntax.GetLocation()));
                    }
                }
            }
        }
    }
}
