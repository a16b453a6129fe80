using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>The transfer functions: what each operation does to the lockset, and the facts it records.</summary>
    internal sealed partial class MethodAnalysis
    {
        private readonly Dictionary<IOperation, LockPath> _scopeResults = new();
        private readonly Dictionary<CaptureId, LockPath> _captureScopes = new();
        private readonly Dictionary<ILocalSymbol, LockPath> _localScopes = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<IOperation, BoolFact> _tryResults = new();
        private readonly Dictionary<CaptureId, BoolFact> _captureTries = new();

        private void Visit(IOperation operation)
        {
            switch (operation)
            {
                case IFlowAnonymousFunctionOperation lambda:
                    _lambdas.Add((lambda, IsDeferred(lambda) ? FlowState.Empty.WithDropped(_state.Dropped) : _state));
                    return;
                case INameOfOperation or ITypeOfOperation or ISizeOfOperation or IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return;
            }

            foreach (var child in operation.ChildOperations)
            {
                Visit(child);
            }

            switch (operation)
            {
                case IFieldReferenceOperation field:
                    OnMemberReference(field, field.Field, field.Instance);
                    break;
                case IPropertyReferenceOperation property:
                    OnMemberReference(property, property.Property, property.Instance);
                    OnPropertyContract(property);
                    break;
                case IInvocationOperation invocation:
                    OnInvocation(invocation);
                    break;
                case IObjectCreationOperation creation:
                    OnObjectCreation(creation);
                    break;
                case ISimpleAssignmentOperation assignment:
                    OnAssignment(assignment);
                    break;
                case IFlowCaptureOperation capture:
                    OnCapture(capture);
                    break;
                case IInvalidOperation invalid when invalid.Syntax.Parent is LockStatementSyntax lockStatement && lockStatement.Expression == invalid.Syntax:
                    OnUnloweredLock(invalid, lockStatement);
                    break;
                case IAwaitOperation awaitOperation:
                    _facts.Awaits.Add(new AwaitFact(awaitOperation, _state));
                    break;
                case IParameterReferenceOperation or ILocalReferenceOperation or IInstanceReferenceOperation:
                    CheckUse(operation);
                    break;
                case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference:
                    AddLocalFunctionState(reference.Method, IsDeferred(reference) ? FlowState.Empty : _state);
                    break;
            }
        }

        /// <summary>
        /// Some compilers leave a <c>lock</c> on a <c>System.Threading.Lock</c> unlowered in the control flow graph (an
        /// invalid operation, then the body's statements without a try/finally). The lock is then held for the body's span.
        /// </summary>
        private void OnUnloweredLock(IInvalidOperation invalid, LockStatementSyntax lockStatement)
        {
            var operand = invalid.ChildOperations.FirstOrDefault();
            if (operand is null || ResolvePath(operand) is not { } path)
            {
                return;
            }

            var site = lockStatement.LockKeyword.GetLocation();
            var existing = _state.Find(path);
            var info = InfoOf(path) ?? LockInfo.Lock;
            _facts.Acquisitions.Add(new AcquireFact(site, path, LockMode.Exclusive, info, existing, _state));
            if (existing is null)
            {
                _state = _state.WithLock(path, new Held(LockMode.Exclusive, HoldSource.Scoped, info, site, region: lockStatement.Statement.Span));
            }
        }

        private void OnMemberReference(IOperation operation, ISymbol member, IOperation? instance)
        {
            CheckUse(operation);
            var guards = _model.GetGuards(member);
            if (guards.IsEmpty)
            {
                return;
            }

            LockPath? instancePath = null;
            if (!member.IsStatic)
            {
                if (instance is null || (instancePath = ResolvePath(instance)) is null || IsExempt(instancePath, member))
                {
                    return;
                }
            }
            else if (_owner is IMethodSymbol { MethodKind: MethodKind.StaticConstructor } && SymbolEqualityComparer.Default.Equals(member.ContainingType, _thisType))
            {
                return;
            }

            var isWrite = IsWrite(operation);
            foreach (var guard in guards)
            {
                if (guard.Path is not { } template)
                {
                    continue;
                }

                LockPath? required = template.Root is null ? (instancePath is null ? null : template.Rebase(instancePath)) : template;
                if (required is null)
                {
                    continue;
                }

                _facts.Accesses.Add(new GuardedAccess(operation, member, isWrite, required, InfoOf(required), _state));
            }

            _facts.FirstEffects.Add(operation);
        }

        /// <summary>
        /// Constructors and finalizers of the member's type (no other thread can see the object yet, or any more) and
        /// objects created in this method (not yet published) need no lock.
        /// </summary>
        private bool IsExempt(LockPath instancePath, ISymbol member)
        {
            if (instancePath.IsThis && _owner is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.Destructor } constructor &&
                IsSameOrDerived(constructor.ContainingType, member.ContainingType))
            {
                return true;
            }

            return instancePath.Members.IsEmpty && instancePath.Root is ILocalSymbol local &&
                _singleAssignments.TryGetValue(local, out var value) && value?.WithoutConversions() is IObjectCreationOperation;
        }

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

        private void OnPropertyContract(IPropertyReferenceOperation property)
        {
            var accessor = IsWrite(property) ? property.Property.SetMethod : property.Property.GetMethod;
            if (accessor is not null)
            {
                var contract = _model.GetContract(accessor);
                if (!contract.Requires.IsEmpty || !contract.Excludes.IsEmpty || LockApi.IsBlocking(accessor, contract))
                {
                    RecordCall(property, accessor, contract, property.Instance, property.Arguments);
                }
            }
        }

        private void OnInvocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind == MethodKind.LocalFunction)
            {
                AddLocalFunctionState(method, _state);
            }

            var contract = _model.GetContract(method);
            RecordCall(invocation, method, contract, invocation.Instance, invocation.Arguments);

            if (method.Name == "Dispose" && method.Parameters.IsEmpty && invocation.Instance is { } disposed)
            {
                var scope = ScopeOf(disposed.WithoutConversions());
                if (scope is not null)
                {
                    Release(invocation.Syntax.GetLocation(), scope, _state.Find(scope)?.Mode ?? LockMode.Exclusive);
                    return;
                }

                if (_model.IsScopedLockType(disposed.WithoutConversions().Type))
                {
                    return;
                }
            }

            if (LockApi.Describe(invocation, _model, contract) is { } effects)
            {
                foreach (var effect in effects)
                {
                    Apply(invocation, effect);
                }
            }

            foreach (var assertion in contract.Asserts)
            {
                if (Substitute(assertion.Path, invocation.Instance, invocation.Arguments) is { } path)
                {
                    _facts.Asserts.Add(new AssertFact(invocation, path, assertion.Mode, _state));
                    var existing = _state.Find(path);
                    if (existing is null || (existing.Mode == LockMode.Any && assertion.Mode != LockMode.Any))
                    {
                        _state = _state.WithLock(path, new Held(assertion.Mode, HoldSource.Asserted, InfoOf(path) ?? LockInfo.Monitor, invocation.Syntax.GetLocation()));
                    }
                }
            }

            ApplyDrops(invocation, contract, invocation.Instance, invocation.Arguments);
        }

        private void OnObjectCreation(IObjectCreationOperation creation)
        {
            if (creation.Constructor is not { } constructor)
            {
                return;
            }

            var contract = _model.GetContract(constructor);
            RecordCall(creation, constructor, contract, null, creation.Arguments);
            foreach (var acquired in contract.Acquires)
            {
                if (Substitute(acquired.Path, null, creation.Arguments) is { } path)
                {
                    Acquire(creation.Syntax.GetLocation(), path, acquired.Mode, HoldSource.Scoped);
                    _scopeResults[creation] = path;
                }
            }

            ApplyDrops(creation, contract, null, creation.Arguments);
        }

        private void RecordCall(IOperation operation, IMethodSymbol method, MethodContract contract, IOperation? instance, ImmutableArray<IArgumentOperation> arguments)
        {
            var isLocal = method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction;
            var requires = Substituted(contract.Requires, instance, arguments, isLocal);
            var excludes = Substituted(contract.Excludes, instance, arguments, isLocal);
            var blocking = LockApi.IsBlocking(method, contract);
            _facts.Calls.Add(new CallFact(operation, method, contract, requires, excludes, blocking, _state));
            if (contract.Asserts.IsEmpty)
            {
                _facts.FirstEffects.Add(operation);
            }
        }

        private ImmutableArray<Requirement> Substituted(ImmutableArray<ContractLock> locks, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, bool calleeIsLocal)
        {
            if (locks.IsEmpty)
            {
                return ImmutableArray<Requirement>.Empty;
            }

            var builder = ImmutableArray.CreateBuilder<Requirement>();
            foreach (var item in locks)
            {
                if (Substitute(item.Path, instance, arguments, calleeIsLocal) is { } path)
                {
                    builder.Add(new Requirement(path, item.Mode, InfoOf(path)));
                }
            }

            return builder.ToImmutable();
        }

        private void Apply(IInvocationOperation invocation, LockEffect effect)
        {
            var path = effect.Operand is not null
                ? ResolvePath(effect.Operand)
                : Substitute(effect.Contract?.Path, invocation.Instance, invocation.Arguments);
            if (path is null)
            {
                return;
            }

            var site = invocation.Syntax.GetLocation();
            var flag = effect.Flag?.WithoutConversions() as ILocalReferenceOperation;
            switch (effect.Kind)
            {
                case LockEffectKind.Acquire:
                    Acquire(site, path, effect.Mode, HoldSource.Acquired);
                    if (flag is not null)
                    {
                        _state = _state.WithBool(flag.Local, BoolFact.True);
                    }

                    break;
                case LockEffectKind.Scope:
                    Acquire(site, path, effect.Mode, HoldSource.Scoped);
                    _scopeResults[invocation] = path;
                    break;
                case LockEffectKind.Release:
                    Release(site, path, effect.Mode);
                    break;
                case LockEffectKind.TryAcquire:
                    var held = new Held(effect.Mode, HoldSource.Acquired, InfoOf(path) ?? LockInfo.Monitor, site);
                    var facts = ImmutableArray.Create(new KeyValuePair<LockPath, Held>(path, held));
                    var empty = ImmutableArray<KeyValuePair<LockPath, Held>>.Empty;
                    var fact = effect.Success ? new BoolFact(null, facts, empty) : new BoolFact(null, empty, facts);
                    if (flag is not null)
                    {
                        _state = _state.WithBool(flag.Local, fact);
                    }
                    else
                    {
                        _tryResults[invocation] = _tryResults.TryGetValue(invocation, out var previous)
                            ? new BoolFact(null, previous.WhenTrue.AddRange(fact.WhenTrue), previous.WhenFalse.AddRange(fact.WhenFalse))
                            : fact;
                    }

                    break;
            }
        }

        private void Acquire(Location site, LockPath path, LockMode mode, HoldSource source)
        {
            var info = InfoOf(path) ?? LockInfo.Monitor;
            var existing = _state.Find(path);
            _facts.Acquisitions.Add(new AcquireFact(site, path, mode, info, existing, _state));
            if (existing is null)
            {
                _state = _state.WithLock(path, new Held(mode, source, info, site));
            }
            else if (existing.Mode == LockMode.Upgradeable && mode == LockMode.Exclusive && info.Family == LockFamily.ReaderWriter)
            {
                _state = _state.WithLock(path, existing.With(mode: LockMode.Exclusive, upgraded: true));
            }
            else
            {
                // A non-reentrant re-acquisition is reported by HMM004; counting it keeps the matching release from cascading.
                _state = _state.WithLock(path, existing.With(mode: existing.Mode >= mode ? existing.Mode : mode, count: existing.Count + 1));
            }
        }

        private void Release(Location site, LockPath path, LockMode mode)
        {
            var existing = _state.Find(path);
            if (existing is null && ReleaseCarried(path))
            {
                return;
            }

            _facts.Releases.Add(new ReleaseFact(site, path, mode, existing, _state));
            if (existing is null)
            {
                return;
            }

            if (existing.Upgraded && mode == LockMode.Exclusive)
            {
                _state = _state.WithLock(path, existing.With(mode: LockMode.Upgradeable, upgraded: false));
            }
            else if (existing.Count > 1)
            {
                _state = _state.WithLock(path, existing.With(count: existing.Count - 1));
            }
            else
            {
                _state = _state.WithoutLock(path);
            }
        }

        /// <summary>
        /// Releasing a lock that a bool local carries (held where the flag is true) without testing the flag: the
        /// analysis cannot tell which, so the release is taken as the matching one and the flag stops carrying it.
        /// </summary>
        private bool ReleaseCarried(LockPath path)
        {
            foreach (var entry in _state.Bools)
            {
                if (!entry.Value.Restores || !entry.Value.WhenTrue.Any(l => l.Key.Equals(path)))
                {
                    continue;
                }

                var rest = entry.Value.WhenTrue.RemoveAll(l => l.Key.Equals(path));
                _state = _state.WithBool(entry.Key, rest.IsEmpty ? null : new BoolFact(null, rest, entry.Value.WhenFalse, restores: true));
                return true;
            }

            return false;
        }

        private void ApplyDrops(IOperation operation, MethodContract contract, IOperation? instance, ImmutableArray<IArgumentOperation> arguments)
        {
            if (contract.DropsThis && instance is not null && ResolvePath(instance) is { } self)
            {
                Drop(operation, self);
            }

            foreach (var parameter in contract.DeferredFreeParameters)
            {
                var argument = arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal);
                if (argument is not null && ResolvePath(argument.Value) is { } freed)
                {
                    // The argument is the freed object itself when its type has grace-period protected members;
                    // otherwise it is a field of the freed object (its rcu head), which stands for the object.
                    var owner = freed.Members.IsEmpty || HasProtectedMembers(argument.Value.WithoutConversions().Type) ? freed : OwnerOf(freed);
                    _facts.DeferredFrees.Add(new DeferredFreeFact(operation, owner, _state));
                }
            }

            foreach (var parameter in contract.DroppedParameters)
            {
                var argument = arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal);
                if (argument is not null && ResolvePath(argument.Value) is { } path)
                {
                    Drop(operation, path);
                }
            }
        }

        private static bool HasProtectedMembers(ITypeSymbol? type)
            => type is not null && type.GetMembers().Any(m => AttributeNames.Has(m, AttributeNames.GracePeriodProtected));

        private static LockPath OwnerOf(LockPath path)
        {
            var owner = path.Root is null ? LockPath.This : LockPath.ForRoot(path.Root);
            for (var i = 0; i < path.Members.Length - 1; i++)
            {
                owner = owner.Append(path.Members[i]);
            }

            return owner;
        }

        private void Drop(IOperation operation, LockPath path)
        {
            var previous = _state.FindDropped(path, strict: false);
            _facts.Drops.Add(new DropFact(operation, path, previous?.Value));
            _state = _state.WithDropped(_state.Dropped.SetItem(path, operation.Syntax.GetLocation()));
        }

        private void OnAssignment(ISimpleAssignmentOperation assignment)
        {
            var value = assignment.Value.WithoutConversions();
            if (assignment.Target is ILocalReferenceOperation local)
            {
                if (local.Local.Type?.SpecialType == SpecialType.System_Boolean)
                {
                    _state = _state.WithBool(local.Local, ConditionFact(value));
                }

                if (ScopeOf(value) is { } scope)
                {
                    _localScopes[local.Local] = scope;
                }
            }

            if (ResolvePath(assignment.Target) is { } target && !_state.Dropped.IsEmpty)
            {
                var dropped = _state.Dropped.Where(d => d.Key.StartsWith(target)).Select(d => d.Key).ToList();
                if (dropped.Count > 0)
                {
                    _state = _state.WithDropped(_state.Dropped.RemoveRange(dropped));
                }
            }
        }

        private void OnCapture(IFlowCaptureOperation capture)
        {
            var value = capture.Value.WithoutConversions();
            if (ScopeOf(value) is { } scope)
            {
                _captureScopes[capture.Id] = scope;
            }

            if (_tryResults.TryGetValue(value, out var fact))
            {
                _captureTries[capture.Id] = fact;
            }
        }

        private LockPath? ScopeOf(IOperation value) => value switch
        {
            IFlowCaptureReferenceOperation capture => _captureScopes.TryGetValue(capture.Id, out var path) ? path : null,
            ILocalReferenceOperation local => _localScopes.TryGetValue(local.Local, out var path) ? path : null,
            _ => _scopeResults.TryGetValue(value, out var path) ? path : null,
        };

        /// <summary>The states of the two edges of a conditional branch: try-acquire results and known bools.</summary>
        private (FlowState WhenTrue, FlowState WhenFalse) Split(IOperation condition, FlowState state)
        {
            _state = state;
            var fact = ConditionFact(condition.WithoutConversions());
            if (fact is null)
            {
                return (state, state);
            }

            var whenTrue = fact.Known == false ? FlowState.Unreachable : AddAll(state, fact.WhenTrue, fact.Restores);
            var whenFalse = fact.Known == true ? FlowState.Unreachable : AddAll(state, fact.WhenFalse, fact.Restores);

            // A bool that carried locks from a join is now known on each edge; the locks are back in the lockset.
            if (fact.Restores && condition.WithoutConversions() is ILocalReferenceOperation flag)
            {
                whenTrue = whenTrue.IsUnreachable ? whenTrue : whenTrue.WithBool(flag.Local, BoolFact.True);
                whenFalse = whenFalse.IsUnreachable ? whenFalse : whenFalse.WithBool(flag.Local, BoolFact.False);
            }

            return (whenTrue, whenFalse);
        }

        private FlowState AddAll(FlowState state, ImmutableArray<KeyValuePair<LockPath, Held>> locks, bool restore)
        {
            _state = state;
            foreach (var entry in locks)
            {
                if (restore)
                {
                    _state = _state.WithLock(entry.Key, entry.Value);
                }
                else
                {
                    Acquire(entry.Value.Site, entry.Key, entry.Value.Mode, entry.Value.Source);
                }
            }

            return _state;
        }

        private BoolFact? ConditionFact(IOperation operation, int depth = 0)
        {
            if (depth > 8)
            {
                return null;
            }

            switch (operation.WithoutConversions())
            {
                case ILiteralOperation { ConstantValue: { HasValue: true, Value: bool value } }:
                    return value ? BoolFact.True : BoolFact.False;
                case ILocalReferenceOperation local:
                    return _state.Bools.TryGetValue(local.Local, out var known) ? known : null;
                case IFlowCaptureReferenceOperation capture:
                    if (_captureTries.TryGetValue(capture.Id, out var captured))
                    {
                        return captured;
                    }

                    return _captures.TryGetValue(capture.Id, out var capturedValue) ? ConditionFact(capturedValue, depth + 1) : null;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return ConditionFact(not.Operand, depth + 1)?.Negate();
                case IAwaitOperation awaited:
                    return ConditionFact(awaited.Operation, depth + 1);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when binary.RightOperand.ConstantValue is { HasValue: true, Value: bool constant }:
                    var left = ConditionFact(binary.LeftOperand, depth + 1);
                    return (constant == (binary.OperatorKind == BinaryOperatorKind.Equals)) ? left : left?.Negate();
                case var other:
                    return _tryResults.TryGetValue(other, out var result) ? result : null;
            }
        }

        /// <summary>
        /// A use of a dropped reference is reported where the dropped path itself appears (<c>hmm.Mm</c> in
        /// <c>hmm.Mm.Users++</c>), once per expression; writing a new reference over it is not a use.
        /// </summary>
        private void CheckUse(IOperation operation)
        {
            if (_state.Dropped.IsEmpty)
            {
                return;
            }

            switch (operation.Parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == operation:
                    return;
                case IArgumentOperation { Parent: IInvocationOperation or IObjectCreationOperation } argument when IsDroppedArgument(argument):
                    return;
                case IInvocationOperation invocation when invocation.Instance == operation && _model.GetContract(invocation.TargetMethod).DropsThis:
                    return;
            }

            if (ResolvePath(operation) is { } path && _state.Dropped.TryGetValue(path, out var site))
            {
                _facts.Uses.Add(new UseAfterDrop(operation, path, site));
            }
        }

        private bool IsDroppedArgument(IArgumentOperation argument)
        {
            var method = argument.Parent switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };
            return method is not null && argument.Parameter is { } parameter &&
                _model.GetContract(method).DroppedParameters.Any(p => p.Ordinal == parameter.Ordinal);
        }

        private static bool IsWrite(IOperation operation)
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
        private LockPath? ResolvePath(IOperation? operation, int depth = 0)
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
                    return _captures.TryGetValue(capture.Id, out var value) ? ResolvePath(value, depth + 1) : null;
                default:
                    return null;
            }
        }

        /// <summary>A local assigned exactly once from a path stands for that path.</summary>
        private LockPath? AliasOf(ILocalSymbol local, int depth)
        {
            if (_aliases.TryGetValue(local, out var alias))
            {
                return alias;
            }

            _aliases[local] = null;
            if (_singleAssignments.TryGetValue(local, out var value) && value is not null && !local.IsRef)
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
        private LockPath? Substitute(LockPath? template, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, bool calleeIsLocal = false)
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
                    var argument = arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal);
                    return argument is null ? null : ResolvePath(argument.Value)?.Append(template.Members);
                default:
                    return template;
            }
        }

        private void AddLocalFunctionState(IMethodSymbol localFunction, FlowState state)
        {
            var key = localFunction.OriginalDefinition;
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
                case IArgumentOperation { Parent: IInvocationOperation invocation }:
                    return IsDeferringType(invocation.TargetMethod.ContainingType);
                case IArgumentOperation { Parent: IObjectCreationOperation creation }:
                    return IsDeferringType(creation.Type);
                case ISimpleAssignmentOperation assignment:
                    return assignment.Target is not ILocalReferenceOperation;
                case IEventAssignmentOperation:
                case IReturnOperation:
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsDeferringType(ITypeSymbol? type)
            => KnownTypes.Of(type) is KnownType.Task or KnownType.TaskOfT or KnownType.TaskFactory or KnownType.ThreadPool or KnownType.Thread or
                KnownType.Timer or KnownType.Parallel or KnownType.ParallelEnumerable;
    }
}
