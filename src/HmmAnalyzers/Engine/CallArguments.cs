using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>What a call passes for its callee's parameters: an invocation's arguments, or a user-defined operator's operands.</summary>
    internal readonly struct CallArguments
    {
        private readonly ImmutableArray<IArgumentOperation> _arguments;
        private readonly ImmutableArray<IOperation> _operands;

        private CallArguments(ImmutableArray<IArgumentOperation> arguments, ImmutableArray<IOperation> operands)
        {
            _arguments = arguments;
            _operands = operands;
        }

        public static implicit operator CallArguments(ImmutableArray<IArgumentOperation> arguments) => new(arguments, default);

        /// <summary>An operator's operands, in the order of its parameters.</summary>
        public static CallArguments Operands(ImmutableArray<IOperation> operands) => new(default, operands);

        /// <summary>
        /// The value passed for <paramref name="parameter"/> (matched by position, so a constructed method's parameters match its
        /// definition's), or null when the call passes none.
        /// </summary>
        public IOperation? ValueFor(IParameterSymbol parameter)
        {
            if (!_operands.IsDefault)
            {
                return parameter.Ordinal < _operands.Length ? _operands[parameter.Ordinal] : null;
            }

            return _arguments.IsDefault ? null : _arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal)?.Value;
        }
    }
}
