using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Model
{
    /// <summary>User-defined operators (<c>a + b</c>, <c>-a</c>, <c>a += b</c>, <c>a++</c>, <c>(int)a</c>) seen as calls.</summary>
    internal static class UserOperator
    {
        /// <summary>The operator method an operation calls, or null for a built-in operator.</summary>
        public static IMethodSymbol? Of(IOperation operation) => operation switch
        {
            IBinaryOperation binary => binary.OperatorMethod,
            IUnaryOperation unary => unary.OperatorMethod,
            ICompoundAssignmentOperation compound => compound.OperatorMethod,
            IIncrementOrDecrementOperation increment => increment.OperatorMethod,
            IConversionOperation conversion => conversion.OperatorMethod,
            _ => null,
        };

        /// <summary>The operands in the order of the operator's parameters.</summary>
        public static ImmutableArray<IOperation> Operands(IOperation operation) => operation switch
        {
            IBinaryOperation binary => ImmutableArray.Create(binary.LeftOperand, binary.RightOperand),
            IUnaryOperation unary => ImmutableArray.Create(unary.Operand),
            ICompoundAssignmentOperation compound => ImmutableArray.Create(compound.Target, compound.Value),
            IIncrementOrDecrementOperation increment => ImmutableArray.Create(increment.Target),
            IConversionOperation conversion => ImmutableArray.Create(conversion.Operand),
            _ => ImmutableArray<IOperation>.Empty,
        };
    }
}
