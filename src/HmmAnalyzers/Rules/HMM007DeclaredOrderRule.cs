using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM007: an acquisition against the order declared with <c>[AcquiredBefore]</c>/<c>[AcquiredAfter]</c>, or a cycle in the declarations.</summary>
    internal sealed class HMM007DeclaredOrderRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(
            HmmAnalyzers.Descriptors.HMM007AgainstOrder, HmmAnalyzers.Descriptors.HMM007DeclaredCycle);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var acquisition in facts.Acquisitions)
            {
                if (acquisition.Before.Locks.IsEmpty || context.Model.LockIdentity(acquisition.Path) is not { } taken)
                {
                    continue;
                }

                var order = context.Model.DeclaredOrder;
                if (order.IsEmpty)
                {
                    return;
                }

                foreach (var held in acquisition.Before.Locks.Keys.OrderBy(k => k.ToString(), System.StringComparer.Ordinal))
                {
                    if (context.Model.LockIdentity(held) is not { } holding || SymbolEqualityComparer.Default.Equals(holding, taken))
                    {
                        continue;
                    }

                    if (order.Chain(taken, holding) is { } chain)
                    {
                        var declared = string.Join(" -> ", chain.Select(LockOrderGraph.NameOf));
                        context.Report(HmmAnalyzers.Descriptors.HMM007AgainstOrder, acquisition.Site, acquisition.Path, held, declared);
                        break;
                    }
                }
            }
        }

        public override void AnalyzeSymbol(ISymbol symbol, AnnotationModel model, RuleContext context)
        {
            if (symbol is not (IFieldSymbol or IPropertySymbol))
            {
                return;
            }

            var self = symbol.OriginalDefinition;
            foreach (var reference in model.AllReferences(symbol))
            {
                var name = AttributeNames.NameOf(reference.Attribute);
                if (name is not (AttributeNames.AcquiredBefore or AttributeNames.AcquiredAfter) || reference.Path?.Identity is not { } other)
                {
                    continue;
                }

                // The declaration is the edge self -> other (or other -> self); it closes a cycle when the rest leads back.
                var back = name == AttributeNames.AcquiredBefore
                    ? model.DeclaredOrder.Chain(other.OriginalDefinition, self)
                    : model.DeclaredOrder.Chain(self, other.OriginalDefinition);
                if (back is null || AttributeLocations.Of(reference) is not { } location)
                {
                    continue;
                }

                var cycle = name == AttributeNames.AcquiredBefore ? new[] { self }.Concat(back).ToList() : back.Concat(new[] { self }).ToList();
                var first = cycle.Distinct(SymbolEqualityComparer.Default).OrderBy(LockOrderGraph.SourceOrder).First();
                if (SymbolEqualityComparer.Default.Equals(first, self))
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM007DeclaredCycle, location, string.Join(" -> ", cycle.Select(LockOrderGraph.NameOf)));
                    return;
                }
            }
        }
    }
}
