using System.Collections.Immutable;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM092: a <c>[GuardedBy]</c> guard that is not a lock, or a lock field whose identity can change.</summary>
    internal sealed class HMM092NotALockRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(
            HmmAnalyzers.Descriptors.HMM092NotALock, HmmAnalyzers.Descriptors.HMM092NotReadOnly, HmmAnalyzers.Descriptors.HMM092ReadOnlySpinLock);

        public override void AnalyzeSymbol(ISymbol symbol, AnnotationModel model, RuleContext context)
        {
            if (symbol is not (IFieldSymbol or IPropertySymbol))
            {
                return;
            }

            foreach (var guard in model.GetGuards(symbol))
            {
                if (guard.Path is not { } path || AttributeLocations.Of(guard) is not { } location)
                {
                    continue;
                }

                var lockSymbol = path.Last;
                var type = path.IsThis ? symbol.ContainingType : LockReferenceResolver.TypeOf(lockSymbol);
                if (type is null || type.TypeKind == TypeKind.Error)
                {
                    continue;
                }

                var info = model.Classify(type, lockSymbol);
                if (info is null)
                {
                    var typeName = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                    context.Report(HmmAnalyzers.Descriptors.HMM092NotALock, location, RuleContext.NameOf(symbol), guard.Text, typeName);
                }
                else if (lockSymbol is IFieldSymbol { IsReadOnly: false, IsConst: false } field && info.Family != LockFamily.SpinLock)
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM092NotReadOnly, location, RuleContext.NameOf(field), RuleContext.NameOf(symbol));
                }
                else if (lockSymbol is IFieldSymbol { IsReadOnly: true } spin && info.Family == LockFamily.SpinLock)
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM092ReadOnlySpinLock, location, RuleContext.NameOf(spin));
                }
            }
        }
    }
}
