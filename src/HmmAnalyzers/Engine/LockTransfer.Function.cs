using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>The function as a whole: its entry state, the checks at its exits, its locals and flow captures.</summary>
    internal sealed partial class LockTransfer
    {
        private Dictionary<CaptureId, IOperation>? _captures;
        private Dictionary<ILocalSymbol, IOperation?>? _singleAssignments;
        private Dictionary<ILocalSymbol, LockPath?>? _aliases;

        /// <summary>The entry lockset: <paramref name="state"/> with what the function's <c>[Requires*]</c> and <c>[Releases*]</c> contracts say is held.</summary>
        public FlowState Entry(FlowState state, Location location)
        {
            var contract = _facts.Contract;
            foreach (var required in contract.Requires.AddRange(contract.Releases))
            {
                if (required.Path is not { } path)
                {
                    continue;
                }

                var info = InfoOf(path);
                _facts.EntryRequirements.Add(new Requirement(path, required.Mode, info));
                var mustRelease = contract.Releases.Names(path);
                state = state.WithLock(path, new Held(required.Mode, HoldSource.Contract, info ?? LockInfo.Monitor, location, mustRelease: mustRelease));
            }

            // [MethodImpl(MethodImplOptions.Synchronized)]: the runtime holds the monitor of 'this' for the whole body.
            if (_owner is IMethodSymbol { IsStatic: false } method && (method.MethodImplementationFlags & MethodImplAttributes.Synchronized) != 0)
            {
                state = state.WithLock(LockPath.This, new Held(LockMode.Exclusive, HoldSource.Contract, InfoOf(LockPath.This) ?? LockInfo.Monitor, location));
            }

            return state;
        }

        /// <summary>
        /// What a lambda or local function starts from: the locks its creator or caller holds, as a contract (they are
        /// not the nested function's to release), and the references already dropped.
        /// </summary>
        public static FlowState Inherited(FlowState inherited)
            => FlowState.Empty.WithDropped(inherited.Dropped)
                .WithLocks(inherited.Locks.ToImmutableDictionary(e => e.Key, e => e.Value.With(source: HoldSource.Contract)));

        /// <summary>What a local function starts from: the merge of the states at its calls (empty when it is never called).</summary>
        public FlowState CallersState(IMethodSymbol localFunction)
        {
            var state = _localFunctionStates is not null && _localFunctionStates.TryGetValue(localFunction, out var states) ? FlowState.Merge(states, null) : FlowState.Empty;
            return state.IsUnreachable ? FlowState.Empty : state;
        }

        /// <summary>
        /// The state a lambda kept in a local runs in: the states where the local is invoked or passed to a method, joined,
        /// and none where it also leaves the method otherwise (returned, stored). A lambda not kept in a local, or kept and never used, keeps
        /// <paramref name="created"/>.
        /// </summary>
        private FlowState DelegateStates(IOperation function, FlowState created)
        {
            if (BoundLocal(function) is not { } local)
            {
                return created;
            }

            var states = _delegateCalls is not null && _delegateCalls.TryGetValue(local, out var calls) ? new List<FlowState>(calls) : new List<FlowState>();
            if (!UsedOnlyAs(local, IsCallOrArgument))
            {
                states.Add(FlowState.Empty.WithDropped(created.Dropped));
            }

            return states.Count == 0 ? created : FlowState.Merge(states, null);
        }

        private bool IsCallOrArgument(IOperation? parent)
            => parent is IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke } or IArgumentOperation { Parent: IInvocationOperation } &&
                !InNestedFunction(parent);

        /// <summary>Whether <paramref name="operation"/> lies in a lambda or local function inside the analyzed one: it runs whenever that does.</summary>
        private bool InNestedFunction(IOperation operation)
        {
            for (var current = operation.Parent; current is not null && current != _facts.Root; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The local a lambda is assigned to (<c>Func&lt;int&gt; f = () =&gt; ...;</c>, <c>f = () =&gt; ...;</c>), if any.</summary>
        private static ILocalSymbol? BoundLocal(IOperation function) => ReceivingLocal(function, out _);

        /// <summary>
        /// The local that <paramref name="value"/> (through conversions and delegate creations) is stored in by a declaration
        /// or a plain assignment, if any; <paramref name="parent"/> is the operation that uses the value.
        /// </summary>
        private static ILocalSymbol? ReceivingLocal(IOperation value, out IOperation? parent)
        {
            parent = value.Parent;
            while (parent is IDelegateCreationOperation or IConversionOperation)
            {
                parent = parent.Parent;
            }

            return parent switch
            {
                IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
                _ => null,
            };
        }

        /// <summary>The checks where the function returns, over the states that reach its end.</summary>
        public void Exit(List<FlowState> inputs)
        {
            var contract = _facts.Contract;
            Location? exitLocation = null;
            foreach (var state in inputs)
            {
                if (state.IsUnreachable || (state.Locks.IsEmpty && state.Bools.IsEmpty && contract.Acquires.IsEmpty && contract.Requires.IsEmpty))
                {
                    continue;
                }

                var exit = exitLocation ??= _facts.Root.Syntax.GetLastToken().GetLocation();
                ExitLocks(inputs, state, exit);
                foreach (var acquired in contract.Acquires)
                {
                    if (acquired.Path is { } path && !state.Locks.ContainsKey(path))
                    {
                        _facts.BrokenContracts.Add(new ContractBroken(path, ShouldBeHeld: true, exit));
                    }
                }

                // Held on entry by [Requires*], so held on return: a method that releases it breaks its callers' hold.
                foreach (var required in contract.Requires)
                {
                    if (required.Path is { } path && !state.Locks.ContainsKey(path) && !contract.Releases.Names(path))
                    {
                        _facts.BrokenContracts.Add(new ContractBroken(path, ShouldBeHeld: true, exit, Required: true));
                    }
                }
            }
        }

        /// <summary>
        /// Where a <c>[TryAcquires(success, ...)]</c> method returns <c>success</c>, the locks it names are held for the
        /// caller by contract, not leaked.
        /// </summary>
        public FlowState Returning(IOperation? returned, FlowState state)
        {
            if (_facts.Contract.TryAcquires.IsEmpty || returned?.WithoutConversions().ConstantValue is not { HasValue: true, Value: bool value })
            {
                return state;
            }

            foreach (var attempt in _facts.Contract.TryAcquires)
            {
                foreach (var promised in attempt.Locks)
                {
                    if (attempt.Success == value && promised.Path is { } path && state.Find(path) is { } held)
                    {
                        state = state.WithLock(path, held.With(source: HoldSource.Contract));
                    }
                }
            }

            return state;
        }

        /// <summary>The locks one exit state still holds (directly, or carried by a bool) that the contract does not let it keep.</summary>
        private void ExitLocks(List<FlowState> inputs, FlowState state, Location exit)
        {
            var contract = _facts.Contract;
            foreach (var entry in state.LocksByName)
            {
                // Promised by [Acquires], or required on entry and taken back before returning, as its callers expect.
                var promised = contract.Acquires.Names(entry.Key) || (contract.Requires.Names(entry.Key) && !contract.Releases.Names(entry.Key));
                if (entry.Value.IsTracked && !promised)
                {
                    _facts.Exits.Add(new HeldAtExit(entry.Key, entry.Value, exit, OnEveryPath: inputs.TrueForAll(s => s.IsUnreachable || s.Locks.ContainsKey(entry.Key))));
                }

                if (entry.Value.MustRelease)
                {
                    _facts.BrokenContracts.Add(new ContractBroken(entry.Key, ShouldBeHeld: false, exit));
                }
            }

            // A lock that a bool still carries may be held here.
            if (!state.Bools.IsEmpty)
            {
                foreach (var carried in state.Bools.Values.Where(b => b.Restores).SelectMany(b => b.WhenTrue))
                {
                    if (carried.Value.IsTracked)
                    {
                        _facts.Exits.Add(new HeldAtExit(carried.Key, carried.Value, exit, OnEveryPath: false));
                    }
                }
            }
        }

        /// <summary>Collects a graph's flow captures and single assignments of locals (for aliases and fresh objects) up front.</summary>
        public void Prepare(ControlFlowGraph cfg)
        {
            var counts = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);
            var stack = new Stack<IOperation>();
            foreach (var block in cfg.Blocks)
            {
                foreach (var root in block.Operations)
                {
                    stack.Push(root);
                }

                if (block.BranchValue is { } branchValue)
                {
                    stack.Push(branchValue);
                }

                Collect(stack, counts);
            }

            Finish(counts);
        }

        /// <summary>
        /// Locals assigned exactly once, with their value (null for the others). Over a control flow graph they are
        /// collected up front with the flow captures; over an operation tree, on first use, since most methods never ask.
        /// </summary>
        private Dictionary<ILocalSymbol, IOperation?> SingleAssignments
        {
            get
            {
                if (_singleAssignments is null)
                {
                    var counts = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);
                    var stack = new Stack<IOperation>();
                    foreach (var child in _facts.Root.ChildOperations)
                    {
                        stack.Push(child);
                    }

                    Collect(stack, counts);
                    Finish(counts);
                }

                return _singleAssignments!;
            }
        }

        /// <summary>Whether a local is assigned from another local somewhere in the method (<c>prev = next;</c>).</summary>
        private bool IsHandOverTarget(ILocalSymbol local)
            => SingleAssignments is not null && _handOverTargets is not null && _handOverTargets.Contains(local);

        /// <summary>
        /// Whether a local's current path may be followed through the flow (<see cref="FlowState.Points"/>): assigned more
        /// than once, only by plain assignments, none of them repeated by a loop (or a goto) around the local's scope.
        /// </summary>
        private bool IsPointable(ILocalSymbol local)
            => SingleAssignments.TryGetValue(local, out var single) && single is null && !_hasLabels && !local.IsRef && (_unpointable is null || !_unpointable.Contains(local));

        /// <summary>
        /// Whether an assignment to <paramref name="local"/> is repeated by a loop while the local lives on: the nearest
        /// loop around it does not declare the local afresh in its body (a <c>for</c> variable lives across iterations).
        /// </summary>
        private static bool IsLoopCarried(IOperation assignment, ILocalSymbol local)
        {
            var declaration = local.DeclaringSyntaxReferences.FirstOrDefault()?.Span;
            for (var node = assignment.Syntax.Parent; node is not null; node = node.Parent)
            {
                var body = node switch
                {
                    WhileStatementSyntax loop => loop.Statement,
                    DoStatementSyntax loop => loop.Statement,
                    ForStatementSyntax loop => loop.Statement,
                    CommonForEachStatementSyntax loop => loop.Statement,
                    _ => null,
                };
                if (body is not null)
                {
                    return declaration is not { } span || !body.Span.Contains(span);
                }
            }

            return false;
        }

        private void Collect(Stack<IOperation> stack, Dictionary<ILocalSymbol, int> counts)
        {
            _singleAssignments ??= new Dictionary<ILocalSymbol, IOperation?>(SymbolEqualityComparer.Default);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                switch (operation)
                {
                    case IFlowCaptureOperation capture:
                        (_captures ??= new())[capture.Id] = capture.Value;
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local.IsRef: true }, IsRef: false }:
                        // A write through a ref local writes what it refers to; it does not bind it again.
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                        Count(counts, local.Local);
                        if (assignment.Value.WithoutConversions() is ILocalReferenceOperation)
                        {
                            (_handOverTargets ??= new(SymbolEqualityComparer.Default)).Add(local.Local);
                        }

                        _singleAssignments[local.Local] = assignment.Value;
                        if (IsLoopCarried(assignment, local.Local))
                        {
                            (_unpointable ??= new(SymbolEqualityComparer.Default)).Add(local.Local);
                        }

                        break;
                    case ILocalReferenceOperation { Local.IsRef: false } local when DeconstructionOf(local) is not null:
                        // One write: the local may still stand for a path on each way the deconstructed value was built.
                        Count(counts, local.Local);
                        (_unpointable ??= new(SymbolEqualityComparer.Default)).Add(local.Local);
                        break;
                    case ILocalReferenceOperation { Local.IsRef: false } local when IsOtherWrite(local):
                        Count(counts, local.Local, 2);
                        (_unpointable ??= new(SymbolEqualityComparer.Default)).Add(local.Local);
                        break;
                    case ILabeledOperation:
                        _hasLabels = true;
                        break;
                    case IVariableDeclaratorOperation { Symbol: { } declared } declarator:
                        if (declarator.Initializer is { } initializer)
                        {
                            Count(counts, declared);
                            _singleAssignments[declared] = initializer.Value;
                        }

                        break;
                    case IFlowAnonymousFunctionOperation or IAnonymousFunctionOperation or ILocalFunctionOperation:
                        // A nested function's own assignments are its own analysis's business, as in the graph.
                        continue;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        private void Finish(Dictionary<ILocalSymbol, int> counts)
        {
            _singleAssignments ??= new Dictionary<ILocalSymbol, IOperation?>(SymbolEqualityComparer.Default);
            foreach (var entry in counts)
            {
                if (entry.Value > 1)
                {
                    _singleAssignments[entry.Key] = null;
                }
            }
        }

        private static void Count(Dictionary<ILocalSymbol, int> counts, ILocalSymbol local, int by = 1)
            => counts[local] = (counts.TryGetValue(local, out var count) ? count : 0) + by;

        /// <summary>The deconstruction that assigns <paramref name="local"/> (<c>var (a, b) = ...</c>, <c>(a, b) = ...</c>), if any.</summary>
        private static IDeconstructionAssignmentOperation? DeconstructionOf(ILocalReferenceOperation local)
        {
            IOperation current = local;
            for (var parent = local.Parent; parent is ITupleOperation or IDeclarationExpressionOperation; parent = parent.Parent)
            {
                current = parent;
            }

            return current.Parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == current ? deconstruction : null;
        }

        private static bool IsOtherWrite(ILocalReferenceOperation local) => local.Parent switch
        {
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            ICompoundAssignmentOperation compound => compound.Target == local,
            IIncrementOrDecrementOperation increment => increment.Target == local,
            ICoalesceAssignmentOperation coalesce => coalesce.Target == local,
            ITupleOperation => true,
            IDeclarationExpressionOperation => true,
            _ => local.IsDeclaration && local.Parent is not ISimpleAssignmentOperation,
        };
    }
}
