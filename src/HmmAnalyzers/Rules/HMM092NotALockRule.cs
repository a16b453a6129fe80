using System.Collections.Immutable;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>HMM092: a <c>[GuardedBy]</c> guard that is not a lock, or a lock field whose identity can change.</summary>
    internal sealed class HMM092NotALockRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM092);

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
                    context.Report(HmmAnalyzers.Descriptors.HMM092, location,
                        $"'{RuleContext.NameOf(symbol)}' is guarded by '{guard.Text}', a {type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}, which is not a lock");
                }
                else if (lockSymbol is IFieldSymbol { IsReadOnly: false, IsConst: false } field && info.Family != LockFamily.SpinLock)
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM092, location,
                        $"'{RuleContext.NameOf(field)}' guards '{RuleContext.NameOf(symbol)}' but is not readonly; if it is reassigned, threads lock different objects");
                }
                else if (lockSymbol is IFieldSymbol { IsReadOnly: true } spin && info.Family == LockFamily.SpinLock)
                {
                    context.Report(HmmAnalyzers.Descriptors.HMM092, location,
                        $"'{RuleContext.NameOf(spin)}' is a readonly SpinLock field; every call on it operates on a copy, so it must not be readonly");
                }
            }
        }
    }
}
