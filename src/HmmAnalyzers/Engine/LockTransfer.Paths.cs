using System.Collections.Generic;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>Symbolic paths of expressions, contract substitution, and how an operation uses a member.</summary>
    internal sealed partial class LockTransfer
    {
        /// <summary>
        /// Constructors and finalizers of the member's type (no other thread can see the object yet, or any more) and
        /// objects created in this method (not yet published) need no lock.
        /// </summary>
        private bool IsExempt(LockPath instancePath, ISymbol member, IOperation at)
        {
            if (instancePath.IsThis && _owner is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.Destructor } constructor &&
                IsSameOrDerived(constructor.ContainingType, member.ContainingType))
            {
                return true;
            }

            return instancePath.Members.IsEmpty && IsFresh(instancePath, at.Syntax.SpanStart);
        }

        /// <summary>
        /// Whether a path starts at a local that only ever holds an object this method created, not yet published at
        /// <paramref name="position"/> (<see cref="Publication"/>).
        /// </summary>
        private bool IsFresh(LockPath path, int position)
        {
            if (path.Root is not ILocalSymbol local || !SingleAssignments.TryGetValue(local, out var value) || value?.WithoutConversions() is not IObjectCreationOperation)
            {
                return false;
            }

            if (_publications is null)
            {
                var created = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                foreach (var entry in SingleAssignments)
                {
                    if (entry.Value?.WithoutConversions() is IObjectCreationOperation)
                    {
                        created.Add(entry.Key);
                    }
                }

                _publications = Publication.Find(_facts.Root, created);
            }

            return !_publications.TryGetValue(local, out var published) || !Publication.IsPublishedAt(published, position);
        }

        /// <summary>The first publication of each local that holds an object the function created, found on first use.</summary>
        private Dictionary<ILocalSymbol, SyntaxNode>? _publications;

        private static bool IsSameOrDerived(ITypeSymbol? type, ITypeSymbol? baseType)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType?.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        internal static bool IsWrite(IOperation operation)
        {
            // Compound and coalescing assignments may be lowered to a read and a separate store; the syntax still says "write".
            switch (operation.Syntax.Parent)
            {
                case AssignmentExpressionSyntax assignment when assignment.Left == operation.Syntax:
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression }:
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }:
                    return true;
            }

            var parent = operation.Parent;
            return parent switch
            {
                ISimpleAssignmentOperation assignment => assignment.Target == operation,
                ICompoundAssignmentOperation compound => compound.Target == operation,
                ICoalesceAssignmentOperation coalesce => coalesce.Target == operation,
                IIncrementOrDecrementOperation increment => increment.Target == operation,
                IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
                ITupleOperation tuple => IsDeconstructionTarget(tuple),
                IMemberReferenceOperation member when member.Instance == operation && operation.Type?.IsValueType == true => IsWrite(member),
                _ => false,
            };
        }

        private static bool IsDeconstructionTarget(ITupleOperation tuple)
            => tuple.Parent switch
            {
                IDeconstructionAssignmentOperation deconstruction => deconstruction.Target == tuple,
                ITupleOperation outer => IsDeconstructionTarget(outer),
                _ => false,
            };

        /// <summary>The symbolic path an expression names, if it is one: <c>this</c>, parameters, locals (through aliases), member chains, captures.</summary>
        public LockPath? ResolvePath(IOperation? operation, int depth = 0)
        {
            if (operation is null || depth > 16)
            {
                return null;
            }

            switch (operation.WithoutConversions())
            {
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    return LockPath.This;
                case IParameterReferenceOperation parameter:
                    return LockPath.ForRoot(parameter.Parameter);
                case ILocalReferenceOperation local:
                    return AliasOf(local.Local, depth) ?? LockPath.ForRoot(local.Local);
                case IFieldReferenceOperation field:
                    return field.Field.IsStatic ? LockPath.ForRoot(field.Field) : ResolvePath(field.Instance, depth + 1)?.Append(field.Field);
                case IPropertyReferenceOperation { Arguments.IsEmpty: true } property:
                    return property.Property.IsStatic ? LockPath.ForRoot(property.Property) : ResolvePath(property.Instance, depth + 1)?.Append(property.Property);
                case IFlowCaptureReferenceOperation capture:
                    return _captures is not null && _captures.TryGetValue(capture.Id, out var value) ? ResolvePath(value, depth + 1) : null;
                case IConditionalAccessInstanceOperation instance:
                    return ResolvePath(ConditionalReceiver(instance), depth + 1);
                case ICoalesceOperation orThrow when orThrow.WhenNull.WithoutConversions() is IThrowOperation:
                    // 'x ?? throw ...' is x where it has a value (the graph captures x and branches to the throw).
                    return ResolvePath(orThrow.Value, depth + 1);
                default:
                    return null;
            }
        }

        /// <summary>In <c>a?.B</c> (operation tree, not lowered), the receiver <c>a</c> that the implicit instance stands for.</summary>
        private static IOperation? ConditionalReceiver(IConditionalAccessInstanceOperation instance)
        {
            IOperation previous = instance;
            for (var current = instance.Parent; current is not null; previous = current, current = current.Parent)
            {
                if (current is IConditionalAccessOperation access && access.WhenNotNull == previous)
                {
                    return access.Operation;
                }
            }

            return null;
        }

        /// <summary>A local assigned exactly once from a path stands for that path.</summary>
        private LockPath? AliasOf(ILocalSymbol local, int depth)
        {
            _aliases ??= new Dictionary<ILocalSymbol, LockPath?>(SymbolEqualityComparer.Default);
            if (_aliases.TryGetValue(local, out var alias))
            {
                return alias;
            }

            _aliases[local] = null;
            if (SingleAssignments.TryGetValue(local, out var value) && value is not null && !local.IsRef)
            {
                alias = ResolvePath(value, depth + 1);
            }

            _aliases[local] = alias;
            return alias;
        }

        /// <summary>
        /// Rewrites a callee's contract path into the caller's terms: <c>this</c> becomes the receiver, a parameter
        /// becomes its argument. A local function or lambda shares the caller's <c>this</c>.
        /// </summary>
        private LockPath? Substitute(LockPath? template, IOperation? instance, CallArguments arguments, bool calleeIsLocal = false)
        {
            if (template is null)
            {
                return null;
            }

            switch (template.Root)
            {
                case null:
                    return instance is null ? (calleeIsLocal ? template : null) : ResolvePath(instance)?.Append(template.Members);
                case IParameterSymbol parameter:
                    var argument = arguments.ValueFor(parameter);
                    return argument is null ? null : ResolvePath(argument)?.Append(template.Members);
                default:
                    return template;
            }
        }

        private void AddLocalFunctionState(IMethodSymbol localFunction, FlowState state)
        {
            var key = localFunction.OriginalDefinition;
            _localFunctionStates ??= new Dictionary<IMethodSymbol, List<FlowState>>(SymbolEqualityComparer.Default);
            if (!_localFunctionStates.TryGetValue(key, out var states))
            {
                _localFunctionStates[key] = states = new List<FlowState>();
            }

            states.Add(state);
        }

        /// <summary>Whether a delegate is handed to an API that runs it later or on another thread, or stored away.</summary>
        private bool IsDeferred(IOperation function)
        {
            var parent = function.Parent;
            while (parent is IDelegateCreationOperation or IConversionOperation)
            {
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IArgumentOperation { Parent: IInvocationOperation invocation } argument:
                    return IsDeferringType(invocation.TargetMethod.ContainingType) || RunsLater(argument.Parameter);
                case IArgumentOperation { Parent: IObjectCreationOperation creation } argument:
                    return IsDeferringType(creation.Type) || RunsLater(argument.Parameter);
                case ISimpleAssignmentOperation assignment:
                    return assignment.Target is not ILocalReferenceOperation;
                case IEventAssignmentOperation:
                case IReturnOperation:
                    return true;
                default:
                    return false;
            }
        }

        private bool RunsLater(IParameterSymbol? parameter) => parameter is not null && _model.RunsLater(parameter);

        private static bool IsDeferringType(ITypeSymbol? type)
            => KnownTypes.Of(type) is KnownType.Task or KnownType.TaskOfT or KnownType.TaskFactory or KnownType.ThreadPool or KnownType.Thread or
                KnownType.Timer or KnownType.Parallel or KnownType.ParallelEnumerable or KnownType.CancellationToken;
    }
}
