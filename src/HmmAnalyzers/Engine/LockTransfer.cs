using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The transfer functions of one function (a method, a lambda or a local function): what each operation does to a
    /// <see cref="FlowState"/>, which comes in as an argument and goes out as the result, and the facts it records.
    /// Both drivers (<see cref="TreeDriver"/>, <see cref="GraphDriver"/>) call these and keep their own bookkeeping; the
    /// fields here are the function's context (its facts, its captures and aliases, the scopes and try-results
    /// produced by operations), never a current state.
    /// </summary>
    internal sealed partial class LockTransfer
    {
        private readonly AnnotationModel _model;
        private readonly ISymbol _owner;
        private readonly INamedTypeSymbol? _thisType;
        private readonly MethodFacts _facts;

        /// <summary>Whether the operations come from a control flow graph (flow captures) rather than the operation tree.</summary>
        private readonly bool _overGraph;

        /// <summary>Lambdas met on the way (flow lambdas in a graph, lambdas in a tree), with the state each starts from.</summary>
        private List<(IOperation Function, FlowState State)>? _lambdas;

        private Dictionary<ILocalSymbol, List<FlowState>>? _delegateCalls;

        private HashSet<ILocalSymbol>? _unpointable;

        private HashSet<ILocalSymbol>? _handOverTargets;

        private bool _hasLabels;

        private Dictionary<IMethodSymbol, List<FlowState>>? _localFunctionStates;

        public LockTransfer(AnnotationModel model, MethodFacts facts, bool overGraph, Dictionary<ILocalSymbol, LockPath?>? outerAliases)
        {
            _model = model;
            _owner = facts.Symbol;
            _thisType = _owner.ContainingType;
            _facts = facts;
            _overGraph = overGraph;
            _aliases = outerAliases is null ? null : new(outerAliases, SymbolEqualityComparer.Default);
        }

        public MethodFacts Facts => _facts;

        public AnnotationModel Model => _model;

        /// <summary>The aliases known so far, which a nested function inherits.</summary>
        public Dictionary<ILocalSymbol, LockPath?>? Aliases => _aliases;

        /// <summary>
        /// The lambdas met, each with the state it runs in: where it was created, or none when it is handed on to run later;
        /// a lambda kept in a local runs where the local is invoked (<see cref="DelegateStates"/>).
        /// </summary>
        public IEnumerable<(IOperation Function, FlowState State)> Lambdas
            => _lambdas?.Select(l => (l.Function, DelegateStates(l.Function, l.State))) ?? Enumerable.Empty<(IOperation, FlowState)>();

        /// <summary>The state after <paramref name="operation"/> (its operands first, then the operation itself).</summary>
        public FlowState Visit(IOperation operation, FlowState state)
        {
            switch (operation.Kind)
            {
                case OperationKind.FlowAnonymousFunction or OperationKind.AnonymousFunction:
                    // A lambda in a graph, or in a tree: analyzed afterwards, on its own.
                    (_lambdas ??= new()).Add((operation, IsDeferred(operation) ? FlowState.Empty.WithDropped(state.Dropped) : state));
                    return state;
                case OperationKind.NameOf or OperationKind.TypeOf or OperationKind.SizeOf or OperationKind.LocalFunction:
                    return state;
            }

            foreach (var child in operation.ChildOperations)
            {
                state = Visit(child, state);
            }

            if (operation.Kind is OperationKind.Await or OperationKind.PropertyReference or OperationKind.Conversion)
            {
                OnOtherMayThrow(operation, state);
            }

            return Transfer(operation, state);
        }

        private FlowState Transfer(IOperation operation, FlowState state)
        {
            switch (operation.Kind)
            {
                case OperationKind.FieldReference:
                    var field = (IFieldReferenceOperation)operation;
                    OnMemberReference(field, field.Field, field.Instance, state);
                    return state;
                case OperationKind.PropertyReference:
                    var property = (IPropertyReferenceOperation)operation;
                    OnMemberReference(property, property.Property, property.Instance, state);
                    OnPropertyContract(property, state);
                    if (LockApi.HeldQuery(property) is var (queried, _))
                    {
                        OnHeldQuery(queried);
                    }

                    return state;
                case OperationKind.Invocation:
                    return OnInvocation((IInvocationOperation)operation, state);
                case OperationKind.ObjectCreation:
                    return OnObjectCreation((IObjectCreationOperation)operation, state);
                case OperationKind.DeconstructionAssignment:
                    return OnDeconstruction((IDeconstructionAssignmentOperation)operation, state);
                case OperationKind.SimpleAssignment:
                    return OnAssignment((ISimpleAssignmentOperation)operation, state);
                case OperationKind.VariableDeclarator when ((IVariableDeclaratorOperation)operation).Initializer is { } initializer:
                    return OnLocalAssigned(((IVariableDeclaratorOperation)operation).Symbol, initializer.Value.WithoutConversions(), state);
                case OperationKind.FlowCapture:
                    OnCapture((IFlowCaptureOperation)operation);
                    return state;
                case OperationKind.Invalid when operation.Syntax.Parent is LockStatementSyntax lockStatement && lockStatement.Expression == operation.Syntax:
                    return OnUnloweredLock((IInvalidOperation)operation, lockStatement, state);
                case OperationKind.Await:
                    _facts.Awaits.Add(new AwaitFact(operation, state));
                    return state;
                case OperationKind.Throw when ((IThrowOperation)operation).Exception is { } thrown:
                    OnThrow(thrown, state);
                    return state;
                case OperationKind.LocalReference when ((ILocalReferenceOperation)operation).Local is { IsRef: true } refLocal:
                    CheckUse(operation, state);
                    OnRefLocal(operation, refLocal, state);
                    return state;
                case OperationKind.ParameterReference or OperationKind.LocalReference or OperationKind.InstanceReference:
                    CheckUse(operation, state);
                    return state;
                case OperationKind.Binary or OperationKind.Unary or OperationKind.CompoundAssignment or OperationKind.Increment or OperationKind.Decrement
                    or OperationKind.Conversion when UserOperator.Of(operation) is { } userOperator:
                    OnOperator(operation, userOperator, state);
                    return state;
                case OperationKind.MethodReference when ((IMethodReferenceOperation)operation).Method is { MethodKind: MethodKind.LocalFunction } localFunction:
                    AddLocalFunctionState(localFunction, IsDeferred(operation) ? FlowState.Empty : state);
                    return state;
                default:
                    return state;
            }
        }

        private void OnMemberReference(IOperation operation, ISymbol member, IOperation? instance, FlowState state)
        {
            CheckUse(operation, state);
            var guards = _model.GetGuards(member);
            if (guards.IsEmpty)
            {
                if (Observation.Watches(member, instance, _thisType) && Observation.Access(operation, member, state) is { } observed)
                {
                    _facts.Observed.Add(observed);
                }

                return;
            }

            LockPath? instancePath = null;
            if (!member.IsStatic)
            {
                if (instance is null || (instancePath = ResolvePath(instance)) is null || IsExempt(instancePath, member, operation))
                {
                    return;
                }
            }
            else if (_owner is IMethodSymbol { MethodKind: MethodKind.StaticConstructor } && SymbolEqualityComparer.Default.Equals(member.ContainingType, _thisType))
            {
                return;
            }

            if (IsLockFreeByIntent(operation, member))
            {
                return;
            }

            var isWrite = IsWrite(operation) || Mutations.ChangesThrough(operation);
            foreach (var guard in guards)
            {
                if (guard.Path is not { } template || (!isWrite && guard.LockFreeReads))
                {
                    continue;
                }

                LockPath? required = template.Root is null ? (instancePath is null ? null : template.Rebase(instancePath)) : template;
                if (required is null)
                {
                    continue;
                }

                _facts.Accesses.Add(new GuardedAccess(operation, member, isWrite, required, InfoOf(required), state));
            }

            _facts.FirstEffects.Add(operation);
        }

        /// <summary>
        /// An access that says it is atomic on purpose, as the kernel's <c>READ_ONCE</c>/<c>WRITE_ONCE</c>: the member
        /// passed by reference to <c>Volatile</c> or <c>Interlocked</c>, or a <c>volatile</c> field.
        /// </summary>
        internal static bool IsLockFreeByIntent(IOperation operation, ISymbol member)
            => member is IFieldSymbol { IsVolatile: true } ||
                operation.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.ContainingType: var type } } &&
                KnownTypes.Of(type) is KnownType.Volatile or KnownType.Interlocked;

        /// <summary>A ref local bound to a guarded member (<c>ref int r = ref _a;</c>): reading or writing it reads or writes the member.</summary>
        private void OnRefLocal(IOperation operation, ILocalSymbol local, FlowState state)
        {
            if (operation is ILocalReferenceOperation { IsDeclaration: false } &&
                SingleAssignments.TryGetValue(local, out var value) && value?.WithoutConversions() is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol } bound)
            {
                OnMemberReference(operation, bound.Member, bound.Instance, state);
            }
        }

        private void OnPropertyContract(IPropertyReferenceOperation property, FlowState state)
        {
            var accessor = IsWrite(property) ? property.Property.SetMethod : property.Property.GetMethod;
            if (accessor is not null)
            {
                var contract = _model.GetContract(accessor);
                if (!contract.Requires.IsEmpty || !contract.Excludes.IsEmpty || LockApi.IsBlocking(accessor, contract))
                {
                    RecordCall(property, accessor, contract, property.Instance, property.Arguments, state);
                }
            }
        }

        /// <summary>A user-defined operator is a call: its contract is checked where it is used (<c>a + b</c>).</summary>
        private void OnOperator(IOperation operation, IMethodSymbol method, FlowState state)
        {
            var contract = _model.GetContract(method);
            if (!contract.IsEmpty)
            {
                RecordCall(operation, method, contract, null, CallArguments.Operands(UserOperator.Operands(operation)), state);
            }
        }

        private FlowState OnInvocation(IInvocationOperation invocation, FlowState state)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind == MethodKind.LocalFunction)
            {
                AddLocalFunctionState(method, state);
            }

            OnDelegateUses(invocation, state);
            if (LockApiTable.MayBeHeldQuery(method.Name) && LockApi.HeldQuery(InTree(invocation)) is var (queried, _))
            {
                OnHeldQuery(queried);
            }

            var contract = _model.GetContract(method);
            var checks = LockApi.IsFrameworkAssert(method) ? LockApi.FrameworkAssertions(InTree(invocation)) : null;
            RecordCall(invocation, method, contract, invocation.Instance, invocation.Arguments, state, asserts: checks is not null);

            if (LockApi.IsDispose(method) && invocation.Instance is { } disposed)
            {
                var scope = ScopeOf(disposed.WithoutConversions());
                if (scope is not null)
                {
                    return Release(state, invocation.Syntax.GetLocation(), scope, state.Find(scope)?.Mode ?? LockMode.Exclusive);
                }

                if (_model.IsScopedLockType(disposed.WithoutConversions().Type))
                {
                    return state;
                }
            }

            var effects = LockApi.Describe(invocation, _model, contract);
            OnCallMayThrow(invocation, method, contract, isLockOperation: effects is { Count: > 0 } || checks is not null || LockApi.IsLockApi(method), state);
            foreach (var effect in effects ?? Enumerable.Empty<LockEffect>())
            {
                state = Apply(invocation, effect, state);
            }

            foreach (var assertion in contract.Asserts)
            {
                if (Substitute(assertion.Path, invocation.Instance, invocation.Arguments) is { } path)
                {
                    state = Assert(invocation, path, assertion.Mode, state);
                }
            }

            foreach (var (checkedLock, mode) in checks ?? Enumerable.Empty<(IOperation, LockMode)>())
            {
                if (ResolvePath(checkedLock) is { } path)
                {
                    state = Assert(invocation, path, mode, state);
                }
            }

            return ApplyDrops(invocation, contract, invocation.Instance, invocation.Arguments, state);
        }

        /// <summary>
        /// A delegate local invoked here runs in this state; passed to a method, it runs in this state too, or in none
        /// when the method hands it to another thread or runs it later.
        /// </summary>
        private void OnDelegateUses(IInvocationOperation invocation, FlowState state)
        {
            if (invocation.TargetMethod.MethodKind == MethodKind.DelegateInvoke && invocation.Instance?.WithoutConversions() is ILocalReferenceOperation invoked)
            {
                AddDelegateState(invoked.Local, state);
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.Value.WithoutConversions() is ILocalReferenceOperation { Local.Type.TypeKind: TypeKind.Delegate } passed)
                {
                    var later = IsDeferringType(invocation.TargetMethod.ContainingType) || RunsLater(argument.Parameter);
                    AddDelegateState(passed.Local, later ? FlowState.Empty.WithDropped(state.Dropped) : state);
                }
            }
        }

        private void AddDelegateState(ILocalSymbol local, FlowState state)
        {
            _delegateCalls ??= new(SymbolEqualityComparer.Default);
            if (!_delegateCalls.TryGetValue(local, out var calls))
            {
                _delegateCalls[local] = calls = new List<FlowState>();
            }

            calls.Add(state);
        }

        /// <summary>A question whether the lock <paramref name="queried"/> names is held.</summary>
        private void OnHeldQuery(IOperation queried)
        {
            if (ResolvePath(queried) is { } path)
            {
                _facts.Queried.Add(path);
            }
        }

        /// <summary>
        /// In the control flow graph, a call whose argument branches (<c>Debug.Assert(a &amp;&amp; b)</c>) receives the
        /// argument as a flow capture; the call as it stands in the method's operation tree has the expression itself.
        /// </summary>
        private IInvocationOperation InTree(IInvocationOperation invocation)
            => _overGraph && invocation.Arguments.Any(a => a.Value.WithoutConversions() is IFlowCaptureReferenceOperation) ? InTree<IInvocationOperation>(invocation) : invocation;

        /// <summary>A run-time check that <paramref name="path"/> is held: from here on the analysis assumes it is.</summary>
        private FlowState Assert(IInvocationOperation invocation, LockPath path, LockMode mode, FlowState state)
        {
            _facts.Asserts.Add(new AssertFact(invocation, path, mode, state));
            var existing = state.Find(path);
            return existing is null || (existing.Mode == LockMode.Any && mode != LockMode.Any)
                ? state.WithLock(path, new Held(mode, HoldSource.Asserted, InfoOf(path) ?? LockInfo.Monitor, invocation.Syntax.GetLocation()))
                : state;
        }

        private FlowState OnObjectCreation(IObjectCreationOperation creation, FlowState state)
        {
            if (creation.Constructor is not { } constructor)
            {
                return state;
            }

            var contract = _model.GetContract(constructor);
            RecordCall(creation, constructor, contract, null, creation.Arguments, state);
            OnCallMayThrow(creation, constructor, contract, isLockOperation: false, state);
            foreach (var acquired in contract.Acquires)
            {
                if (Substitute(acquired.Path, null, creation.Arguments) is { } path)
                {
                    state = Acquire(state, creation.Syntax.GetLocation(), path, acquired.Mode, ScopeSource(creation));
                    (_scopeResults ??= new())[creation] = path;
                    _openedScopes.Add((path, creation.Syntax.GetLocation()));
                }
            }

            return ApplyDrops(creation, contract, null, creation.Arguments, state);
        }

        /// <param name="asserts">The call checks at run time that locks are held (a <c>Debug.Assert</c> of a framework lock query).</param>
        private void RecordCall(
            IOperation operation,
            IMethodSymbol method,
            MethodContract contract,
            IOperation? instance,
            CallArguments arguments,
            FlowState state,
            bool asserts = false)
        {
            var isLocal = method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction;
            var requires = Substituted(contract.Requires, instance, arguments, isLocal);

            // An object under construction, or created here and not yet published, needs no lock for its own helpers.
            if (!requires.IsEmpty && instance is not null && ResolvePath(instance) is { } receiver && IsExempt(receiver, method, operation))
            {
                requires = requires.RemoveAll(r => r.Path.StartsWith(receiver));
            }

            var excludes = Substituted(contract.Excludes, instance, arguments, isLocal);
            var blocking = LockApi.IsBlocking(method, contract);
            _facts.Calls.Add(new CallFact(operation, method, contract, requires, excludes, blocking, state));
            if (contract.Asserts.IsEmpty && !asserts)
            {
                _facts.FirstEffects.Add(operation);
            }
        }

        private ImmutableArray<Requirement> Substituted(ImmutableArray<ContractLock> locks, IOperation? instance, CallArguments arguments, bool calleeIsLocal)
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

        private FlowState OnAssignment(ISimpleAssignmentOperation assignment, FlowState state)
        {
            var value = assignment.Value.WithoutConversions();
            if (assignment.Target is ILocalReferenceOperation local)
            {
                state = OnLocalAssigned(local.Local, value, state);
            }

            if (ResolvePath(assignment.Target) is { } target && !state.Dropped.IsEmpty)
            {
                var dropped = state.Dropped.Where(d => d.Key.StartsWith(target)).Select(d => d.Key).ToList();
                if (dropped.Count > 0)
                {
                    state = state.WithDropped(state.Dropped.RemoveRange(dropped));
                }
            }

            return state;
        }

        /// <summary>
        /// <c>var (first, second) = c ? (a, b) : (b, a);</c>: each local the deconstruction alone assigns stands for the
        /// path of its element, on each way the value is built (<see cref="FlowState.Alternatives"/>).
        /// </summary>
        private FlowState OnDeconstruction(IDeconstructionAssignmentOperation deconstruction, FlowState state)
        {
            var original = _overGraph ? InTree(deconstruction) : deconstruction;
            var targets = TupleElements(original.Target);
            var value = original.Value.WithoutConversions();
            var branches = value is IConditionalOperation { WhenFalse: { } whenFalse } conditional
                ? new[] { conditional.WhenTrue, whenFalse }
                : new[] { value };
            var alternatives = ImmutableArray.CreateBuilder<ImmutableDictionary<ILocalSymbol, LockPath>>();
            foreach (var branch in branches)
            {
                var elements = TupleElements(branch);
                if (targets is null || elements is null || elements.Count != targets.Count)
                {
                    return state.Alternatives.IsEmpty ? state : state.WithAlternatives(default);
                }

                var alternative = ImmutableDictionary.Create<ILocalSymbol, LockPath>(SymbolEqualityComparer.Default);
                for (var i = 0; i < targets.Count; i++)
                {
                    if (targets[i] is ILocalReferenceOperation { Local: var local } && !SingleAssignments.ContainsKey(local) && ResolvePath(elements[i]) is { } path)
                    {
                        alternative = alternative.SetItem(local, state.Canonical(path));
                    }
                }

                alternatives.Add(alternative);
            }

            return state.WithAlternatives(alternatives.ToImmutable());
        }

        private static IReadOnlyList<IOperation>? TupleElements(IOperation operation) => operation.WithoutConversions() switch
        {
            ITupleOperation tuple => tuple.Elements,
            IDeclarationExpressionOperation { Expression: ITupleOperation tuple } => tuple.Elements,
            _ => null,
        };

        /// <summary>The operation as it stands in the method's operation tree (the graph's copy may have its value captured).</summary>
        private T InTree<T>(T operation)
            where T : class, IOperation
        {
            foreach (var candidate in _facts.Root.Descendants())
            {
                if (candidate is T original && original.Syntax == operation.Syntax)
                {
                    return original;
                }
            }

            return operation;
        }

        /// <summary>A local receives a value: a bool may carry a try-acquire's result, a local may hold a scope.</summary>
        private FlowState OnLocalAssigned(ILocalSymbol local, IOperation value, FlowState state)
        {
            state = ForgetPoints(local, state);
            if (local.Type?.SpecialType == SpecialType.System_Boolean)
            {
                state = state.WithBool(local, ConditionFact(value, state));
            }
            else if (state.Bools.TryGetValue(local, out var carried))
            {
                // A reference that carried lock facts by its nullness names something else now; a lock it carried may
                // still be held, under the name it had (a hand-over-hand loop that never released the previous node).
                state = state.WithBool(local, null);
                if (carried.Restores && IsHandOverTarget(local))
                {
                    foreach (var entry in carried.WhenTrue)
                    {
                        state = state.Find(entry.Key) is null ? state.WithLock(entry.Key, entry.Value) : state;
                    }
                }
            }

            if ((value is ILocalReferenceOperation || IsNullConstant(value)) && local.Type?.IsReferenceType == true && IsHandOverTarget(local))
            {
                state = value is ILocalReferenceOperation { Local: var from } ? HandOver(local, from, state) : state.WithBool(local, BoolFact.False);
            }

            if (ScopeOf(value) is { } scope)
            {
                (_localScopes ??= new(SymbolEqualityComparer.Default))[local] = scope;
            }

            return Repoint(local, value, state);
        }

        /// <summary>
        /// Hand-over-hand locking: <c>prev = next;</c> where <c>next</c> names held locks moves them to <c>prev</c>, which
        /// is not null from here on (it names a lock that was entered), and <c>next</c> names them through <c>prev</c>
        /// until it is assigned again. Nothing moves when <c>prev</c> still names a held lock of its own.
        /// </summary>
        private static FlowState HandOver(ILocalSymbol local, ILocalSymbol from, FlowState state)
        {
            if (SymbolEqualityComparer.Default.Equals(local, from) || state.Canonical(LockPath.ForRoot(from)) is not { Root: ILocalSymbol source, Members.IsEmpty: true } ||
                state.Locks.Keys.Any(k => SymbolEqualityComparer.Default.Equals(k.Root, local)))
            {
                return state;
            }

            var moved = Rekey(state, source, local);
            return moved == state ? state : moved.WithPoint(source, LockPath.ForRoot(local)).WithBool(local, BoolFact.True);
        }

        /// <summary>The holds named through local <paramref name="from"/> are named through <paramref name="to"/> instead.</summary>
        private static FlowState Rekey(FlowState state, ILocalSymbol from, ILocalSymbol to)
        {
            var locks = state.Locks;
            foreach (var entry in state.Locks)
            {
                if (SymbolEqualityComparer.Default.Equals(entry.Key.Root, from))
                {
                    locks = locks.Remove(entry.Key).SetItem(LockPath.ForRoot(to).Append(entry.Key.Members), entry.Value);
                }
            }

            return locks == state.Locks ? state : state.WithLocks(locks);
        }

        /// <summary>
        /// A local is assigned: it no longer names what it named. A local that named its locks through it (<c>next</c>
        /// through <c>prev</c>) names them itself again.
        /// </summary>
        private static FlowState ForgetPoints(ILocalSymbol local, FlowState state)
        {
            if (state.Points.IsEmpty)
            {
                return state;
            }

            state = state.WithPoint(local, null);
            foreach (var entry in state.Points)
            {
                if (SymbolEqualityComparer.Default.Equals(entry.Value.Root, local) && entry.Value.Members.IsEmpty)
                {
                    state = Rekey(state, local, entry.Key).WithPoint(entry.Key, null);
                }
            }

            return state;
        }

        /// <summary>A local assigned more than once names, from here on, the path of its new value (as Clang's capability aliases).</summary>
        private FlowState Repoint(ILocalSymbol local, IOperation value, FlowState state)
        {
            if (!IsPointable(local))
            {
                return state;
            }

            var target = ResolvePath(value) is { } path ? state.Canonical(path) : null;
            if (target?.Root is ILocalSymbol root && (SymbolEqualityComparer.Default.Equals(root, local) || IsPointable(root)))
            {
                // A path through a local that changes again would not stay the same path.
                target = null;
            }

            return state.WithPoint(local, target);
        }

        private LockInfo? InfoOf(LockPath path)
        {
            var type = path.IsThis ? _thisType : LockReferenceResolver.TypeOf(path.Last);
            return _model.Classify(type, path.Last);
        }
    }
}
