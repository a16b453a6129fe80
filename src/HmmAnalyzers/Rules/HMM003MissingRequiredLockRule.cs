using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM003: a method with a <c>[Requires*]</c> contract is called without the locks it requires.</summary>
    internal sealed class HMM003MissingRequiredLockRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } =
            ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM003, HmmAnalyzers.Descriptors.HMM003OverrideRequiresMore);

        /// <summary>Callers through an overridden or implemented member hold only what it requires: an override may not require more.</summary>
        public override void AnalyzeSymbol(ISymbol symbol, AnnotationModel model, RuleContext context)
        {
            if (symbol is not IMethodSymbol method || model.GetContract(method) is not { Requires.IsEmpty: false, InheritedFrom: null } contract ||
                AnnotationModel.InheritedFrom(method) is not { } inherited)
            {
                return;
            }

            var allowed = AnnotationModel.DeclaredRequirements(inherited, method).ToList();
            foreach (var required in contract.Requires)
            {
                if (required.Path is { } path && !allowed.Exists(a => path.Equals(a.Path) && (a.Mode == LockMode.Exclusive || required.Mode != LockMode.Exclusive)))
                {
                    var location = method.Locations.FirstOrDefault() ?? Location.None;
                    var baseName = RuleContext.NameOf(inherited.AssociatedSymbol ?? inherited);
                    var info = model.Classify(LockReferenceResolver.TypeOf(path.Last), path.Last);
                    context.Report(
                        HmmAnalyzers.Descriptors.HMM003OverrideRequiresMore,
                        location,
                        RuleContext.NameOf(method.AssociatedSymbol ?? method),
                        RuleContext.Requirement(path, required.Mode, info),
                        baseName);
                }
            }
        }

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            foreach (var call in facts.Calls)
            {
                foreach (var required in call.Requires)
                {
                    if (call.State.Find(required.Path) is { } held && held.Satisfies(required.Mode))
                    {
                        continue;
                    }

                    var callee = call.Method.AssociatedSymbol ?? call.Method;
                    context.Report(
                        HmmAnalyzers.Descriptors.HMM003,
                        call.Operation.Syntax.GetLocation(),
                        null,
                        FixProperties.ForRequirement(facts, required.Path, required.Mode, required.Info),
                        RuleContext.NameOf(callee),
                        RuleContext.Requirement(required.Path, required.Mode, required.Info),
                        RuleContext.HeldInstead(call.State, required.Path));
                }
            }
        }
    }
}
