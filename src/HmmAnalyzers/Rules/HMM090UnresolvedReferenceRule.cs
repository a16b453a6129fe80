using System.Collections.Immutable;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM090 and HMM091: a lock reference in an annotation that does not resolve, or resolves to more than one lock.</summary>
    internal sealed class HMM090UnresolvedReferenceRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } =
            ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM090, HmmAnalyzers.Descriptors.HMM090Unreadable, HmmAnalyzers.Descriptors.HMM091);

        public override void AnalyzeSymbol(ISymbol symbol, AnnotationModel model, RuleContext context)
        {
            foreach (var reference in model.AllReferences(symbol))
            {
                if (reference.Status == ResolutionStatus.Resolved || AttributeLocations.Of(reference) is not { } location)
                {
                    continue;
                }

                if (reference.Status == ResolutionStatus.Unreadable)
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM090Unreadable, location, reference.Text);
                }
                else if (reference.Status == ResolutionStatus.Ambiguous)
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM091, location, reference.Text, reference.Hint ?? "several locks");
                }
                else
                {
                    var hint = reference.Hint is null ? string.Empty : $"; did you mean '{reference.Hint}'?";
                    context.Report(HmmAnalyzers.Descriptors.HMM090, location, reference.Text, hint);
                }
            }
        }
    }
}
