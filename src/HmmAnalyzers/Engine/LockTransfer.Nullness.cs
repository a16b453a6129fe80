using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// Null tests of references that name locks: a lock taken through <c>m?.WaitOne()</c> (or under <c>if (m != null)</c>)
    /// is held exactly where <c>m</c> is not null, so the reference carries it as a bool local does, and its next null
    /// test (<c>m?.ReleaseMutex()</c> in a finally) gives it back on the not-null edge.
    /// </summary>
    internal sealed partial class LockTransfer
    {
        /// <summary>
        /// The operand a condition tests against null, and whether the condition is true when it is null:
        /// <c>x == null</c>, <c>x != null</c>, <c>x is null</c>, <c>x is not null</c>, and the graph's test of <c>x?.</c>.
        /// </summary>
        private static IOperation? NullTested(IOperation condition, out bool isNull)
        {
            isNull = true;
            switch (condition)
            {
                case IIsNullOperation test:
                    return test.Operand;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals, OperatorMethod: null } binary:
                    isNull = binary.OperatorKind == BinaryOperatorKind.Equals;
                    return IsNullConstant(binary.RightOperand) ? binary.LeftOperand : IsNullConstant(binary.LeftOperand) ? binary.RightOperand : null;
                case IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern when IsNullConstant(constant.Value):
                    return pattern.Value;
                case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } pattern when IsNullConstant(constant.Value):
                    isNull = false;
                    return pattern.Value;
                default:
                    return null;
            }
        }

        private static bool IsNullConstant(IOperation operation)
            => operation.WithoutConversions() is { ConstantValue: { HasValue: true, Value: null } };

        /// <summary>
        /// The symbol whose nullness may carry lock facts: a reference that names a lock (or already carries one) and
        /// cannot change unseen here: a local, or a parameter, a field of <c>this</c> or a static field that this
        /// method never writes (outside constructors).
        /// </summary>
        private ISymbol? NullnessFlag(IOperation operand, FlowState state)
        {
            var operation = operand.WithoutConversions();
            if (operation is IFlowCaptureReferenceOperation capture && _captures is not null && _captures.TryGetValue(capture.Id, out var captured))
            {
                operation = captured.WithoutConversions();
            }

            ISymbol? symbol = operation switch
            {
                ILocalReferenceOperation { Local: { Type.IsReferenceType: true } local } => local,
                IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, Type.IsReferenceType: true } parameter }
                    when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _owner) => parameter,
                IFieldReferenceOperation { Field: { Type.IsReferenceType: true } field } reference
                    when (field.IsStatic || reference.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }) &&
                        _owner is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } => field,
                _ => null,
            };
            if (symbol is null || state.Bools.ContainsKey(symbol))
            {
                return symbol;
            }

            // Most null tests are of references that name no lock: that is asked first, before the method's writes are collected.
            if (ResolvePath(operation) is not { } path || InfoOf(path) is null)
            {
                return null;
            }

            return symbol is ILocalSymbol || !WrittenSymbols.Contains(symbol is IFieldSymbol tested ? tested.OriginalDefinition : symbol) ? symbol : null;
        }
    }
}
