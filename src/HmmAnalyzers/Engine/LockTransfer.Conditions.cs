using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>Conditional edges: try-acquire results, bool locals and known values.</summary>
    internal sealed partial class LockTransfer
    {
        private Dictionary<IOperation, BoolFact>? _tryResults;

        private Dictionary<CaptureId, BoolFact>? _captureTries;

        private HashSet<ISymbol>? _writtenSymbols;

        /// <summary>The states of the two edges of a conditional branch: try-acquire results and known bools.</summary>
        public (FlowState WhenTrue, FlowState WhenFalse) Split(IOperation condition, FlowState state)
        {
            var fact = ConditionFact(condition.WithoutConversions(), state);

            // A bool local that carries lock facts (a try-acquire's result, a lockTaken flag, or locks from a join) is
            // known on each edge once tested: its locks are in the lockset now, and testing it again adds nothing.
            // A bool that cannot change in this method (a parameter it never writes, a readonly field outside a
            // constructor) is known on each edge too, so a lock taken under it can follow it through a join.
            // A reference that names a lock is known on each edge of its null test the same way: a lock taken when it
            // is not null ('m?.WaitOne()') is held exactly where it is not null.
            var flag = TestedFlag(condition, state, out var negated);

            // A bool that was true exactly where another one took the locks it carries is tested as that one.
            var carrier = fact is null && flag is not null ? CarrierFor(flag, state) : null;
            if (carrier is not null)
            {
                fact = negated ? state.Bools[carrier].Negate() : state.Bools[carrier];
            }

            if (fact is null && flag is null)
            {
                return (state, state);
            }

            var whenTrue = fact is null ? state : fact.Known == false ? FlowState.Unreachable : AddAll(state, fact.WhenTrue, fact.Restores);
            var whenFalse = fact is null ? state : fact.Known == true ? FlowState.Unreachable : AddAll(state, fact.WhenFalse, fact.Restores);
            Know(flag, negated, ref whenTrue, ref whenFalse);
            Know(carrier, negated, ref whenTrue, ref whenFalse);
            return (whenTrue, whenFalse);
        }

        /// <summary>The tested bool is known on each edge: true where the condition is (false where it is negated).</summary>
        private static void Know(ISymbol? flag, bool negated, ref FlowState whenTrue, ref FlowState whenFalse)
        {
            if (flag is not null)
            {
                whenTrue = whenTrue.IsUnreachable ? whenTrue : whenTrue.WithBool(flag, negated ? BoolFact.False : BoolFact.True);
                whenFalse = whenFalse.IsUnreachable ? whenFalse : whenFalse.WithBool(flag, negated ? BoolFact.True : BoolFact.False);
            }
        }

        /// <summary>The bool whose carried locks list <paramref name="flag"/> as an equivalent, when the flag itself carries nothing.</summary>
        private static ISymbol? CarrierFor(ISymbol flag, FlowState state)
        {
            if (state.Bools.ContainsKey(flag))
            {
                return null;
            }

            foreach (var entry in state.Bools)
            {
                if (entry.Value.Restores && entry.Value.Equivalents.Contains(flag, SymbolEqualityComparer.Default))
                {
                    return entry.Key;
                }
            }

            return null;
        }

        /// <summary>
        /// The bool a condition tests, directly or under <c>!</c>: a local; a parameter passed by value; a readonly field
        /// of <c>this</c> or a static one, outside the constructors that may still assign it.
        /// </summary>
        private ISymbol? TestedFlag(IOperation condition, FlowState state, out bool negated)
        {
            negated = false;
            var operation = condition.WithoutConversions();
            while (operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            {
                negated = !negated;
                operation = not.Operand.WithoutConversions();
            }

            if (NullTested(operation, out var isNull) is { } tested)
            {
                negated ^= isNull;
                return NullnessFlag(tested, state);
            }

            var flag = FlagOf(operation);
            return flag is ILocalSymbol && !state.Bools.ContainsKey(flag) && CarrierFor(flag, state) is null ? null : flag;
        }

        /// <summary>
        /// The bool behind a reference, when the analysis may keep facts about it: a local; a parameter of this method
        /// passed by value that the method never writes; a readonly field of <c>this</c> in a class (a struct method may
        /// assign <c>this</c>) or a static one, outside the constructors that may still assign it.
        /// </summary>
        private ISymbol? FlagOf(IOperation operation) => operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Boolean } parameter }
                when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _owner) && !WrittenSymbols.Contains(parameter) => parameter,
            IFieldReferenceOperation { Field: { IsReadOnly: true, Type.SpecialType: SpecialType.System_Boolean } field } reference
                when (field.IsStatic ||
                        (field.ContainingType.IsReferenceType &&
                            reference.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })) &&
                    _owner is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } => field,
            _ => null,
        };

        /// <summary>The parameters and fields the method assigns, passes by reference or lets a lambda assign.</summary>
        private HashSet<ISymbol> WrittenSymbols
        {
            get
            {
                if (_writtenSymbols is null)
                {
                    _writtenSymbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                    foreach (var operation in _facts.Root.Descendants())
                    {
                        var target = operation switch
                        {
                            IAssignmentOperation assignment => assignment.Target,
                            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                            _ => null,
                        };
                        foreach (var written in target?.DescendantsAndSelf() ?? Enumerable.Empty<IOperation>())
                        {
                            switch (written)
                            {
                                case IParameterReferenceOperation reference:
                                    _writtenSymbols.Add(reference.Parameter);
                                    break;
                                case IFieldReferenceOperation fieldReference:
                                    _writtenSymbols.Add(fieldReference.Field.OriginalDefinition);
                                    break;
                            }
                        }
                    }
                }

                return _writtenSymbols;
            }
        }

        private FlowState AddAll(FlowState state, ImmutableArray<KeyValuePair<LockPath, Held>> locks, bool restore)
        {
            foreach (var entry in locks)
            {
                state = restore
                    ? state.WithLock(entry.Key, entry.Value)
                    : Acquire(state, entry.Value.Site, entry.Key, entry.Value.Mode, entry.Value.Source, isTry: true);
            }

            return state;
        }

        /// <summary>What is known about locks on each side of a bool-valued operation, in <paramref name="state"/>.</summary>
        private BoolFact? ConditionFact(IOperation operation, FlowState state, int depth = 0)
        {
            if (depth > 8)
            {
                return null;
            }

            switch (operation.WithoutConversions())
            {
                case ILiteralOperation { ConstantValue: { HasValue: true, Value: bool value } }:
                    return value ? BoolFact.True : BoolFact.False;
                case var reference when reference is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation:
                    return !state.Bools.IsEmpty && FlagOf(reference) is { } flag && state.Bools.TryGetValue(flag, out var known) ? known : null;
                case IFlowCaptureReferenceOperation capture:
                    if (_captureTries is not null && _captureTries.TryGetValue(capture.Id, out var captured))
                    {
                        return captured;
                    }

                    return _captures is not null && _captures.TryGetValue(capture.Id, out var capturedValue) ? ConditionFact(capturedValue, state, depth + 1) : null;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return ConditionFact(not.Operand, state, depth + 1)?.Negate();
                case var test when !state.Bools.IsEmpty && NullTested(test, out var isNull) is { } tested:
                    var nullness = NullnessFlag(tested, state) is { } carrier && state.Bools.TryGetValue(carrier, out var carried) ? carried : null;
                    return isNull ? nullness?.Negate() : nullness;
                case IAwaitOperation awaited:
                    // 'await x.WaitAsync(t).ConfigureAwait(false)' is the awaited try-acquire's result.
                    var task = awaited.Operation.WithoutConversions();
                    return ConditionFact(
                        task is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured } ? configured : task,
                        state,
                        depth + 1);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when binary.RightOperand.ConstantValue is { HasValue: true, Value: bool constant }:
                    var left = ConditionFact(binary.LeftOperand, state, depth + 1);
                    return (constant == (binary.OperatorKind == BinaryOperatorKind.Equals)) ? left : left?.Negate();
                case var other:
                    return _tryResults is not null && _tryResults.TryGetValue(other, out var result) ? result : null;
            }
        }
    }
}
