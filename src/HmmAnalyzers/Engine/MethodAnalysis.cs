using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The lockset dataflow over one control flow graph (a method body, a lambda or a local function).
    /// Blocks are visited once in ordinal order, which Roslyn lays out so that every forward edge goes to a
    /// higher ordinal; a back edge is compared with the loop head's state rather than iterated, as Clang's
    /// thread safety analysis does. Finally regions have no predecessors in the graph: each branch that leaves
    /// a try runs the finally regions it lists, with the branch's own state. Catch handlers start from the
    /// intersection of the states inside their try.
    /// </summary>
    internal sealed partial class MethodAnalysis
    {
        private readonly AnnotationModel _model;
        private readonly ControlFlowGraph? _cfg;
        private readonly ISymbol _owner;
        private readonly INamedTypeSymbol? _thisType;
        private readonly MethodFacts _facts;
        private readonly CancellationToken _cancellationToken;
        private Dictionary<CaptureId, IOperation>? _captures;
        private Dictionary<ILocalSymbol, IOperation?>? _singleAssignments;
        private Dictionary<ILocalSymbol, LockPath?>? _aliases;
        private readonly FlowState?[] _entryStates;
        private readonly FlowState?[] _exitStates;
        private HashSet<int>? _executedFinally;
        private Dictionary<(int Region, FlowState Input), FlowState>? _finallyResults;
        /// <summary>Lambdas met on the way (flow lambdas in a graph, lambdas in a tree), with the state each starts from.</summary>
        private List<(IOperation Function, FlowState State)>? _lambdas;
        private Dictionary<IMethodSymbol, List<FlowState>>? _localFunctionStates;
        private FlowState _state = FlowState.Empty;

        private MethodAnalysis(AnnotationModel model, ControlFlowGraph? cfg, ISymbol owner, MethodFacts facts, Dictionary<ILocalSymbol, LockPath?>? outerAliases, CancellationToken cancellationToken)
        {
            _model = model;
            _cfg = cfg;
            _owner = owner;
            _thisType = owner.ContainingType;
            _facts = facts;
            _cancellationToken = cancellationToken;
            _aliases = outerAliases is null ? null : new(outerAliases, SymbolEqualityComparer.Default);
            _entryStates = cfg is null ? System.Array.Empty<FlowState?>() : new FlowState?[cfg.Blocks.Length];
            _exitStates = cfg is null ? System.Array.Empty<FlowState?>() : new FlowState?[cfg.Blocks.Length];
        }

        /// <summary>Analyzes a method and, separately, each lambda and local function in it.</summary>
        public static List<MethodFacts> Run(AnnotationModel model, ControlFlowGraph cfg, IMethodSymbol method, Location nameLocation, CancellationToken cancellationToken)
        {
            var results = new List<MethodFacts>();
            var contract = model.GetContract(method);
            var facts = new MethodFacts(method, contract, cfg.OriginalOperation, nameLocation, isNested: false);
            var analysis = new MethodAnalysis(model, cfg, method, facts, null, cancellationToken);
            analysis.Execute(analysis.ContractEntry(FlowState.Empty, contract, nameLocation));
            results.Add(facts);
            analysis.RunNested(results);
            return results;
        }

        private void RunNested(List<MethodFacts> results)
        {
            if (_cfg is null)
            {
                return;
            }

            foreach (var (function, state) in _lambdas ?? Enumerable.Empty<(IOperation, FlowState)>())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (function is not IFlowAnonymousFunctionOperation lambda)
                {
                    continue;
                }

                var graph = _cfg.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken);
                RunChild(results, graph, lambda.Symbol, state, lambda.Syntax.GetLocation());
            }

            foreach (var localFunction in _cfg.LocalFunctions)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var graph = _cfg.GetLocalFunctionControlFlowGraph(localFunction, _cancellationToken);
                RunChild(results, graph, localFunction, CallersState(localFunction), localFunction.Locations.FirstOrDefault() ?? graph.OriginalOperation.Syntax.GetLocation());
            }
        }

        private void RunChild(List<MethodFacts> results, ControlFlowGraph graph, IMethodSymbol symbol, FlowState inherited, Location location)
        {
            if (Nested(graph, graph.OriginalOperation, symbol, inherited, location) is { } child)
            {
                child.Execute(child._state);
                results.Add(child._facts);
                child.RunNested(results);
            }
        }

        /// <summary>
        /// The analysis of a lambda or local function, entered with what it inherits and what its own contract says;
        /// null when it opts out of lock analysis.
        /// </summary>
        private MethodAnalysis? Nested(ControlFlowGraph? graph, IOperation root, IMethodSymbol symbol, FlowState inherited, Location location)
        {
            var contract = _model.GetContract(symbol);
            if (contract.NoLockAnalysis)
            {
                return null;
            }

            var facts = new MethodFacts(symbol, contract, root, location, isNested: true);
            var child = new MethodAnalysis(_model, graph, symbol, facts, _aliases, _cancellationToken);
            child._state = child.ContractEntry(Inherited(inherited), contract, location);
            return child;
        }

        /// <summary>What a local function starts from: the merge of the states at its calls (empty when it is never called).</summary>
        private FlowState CallersState(IMethodSymbol localFunction)
        {
            var state = _localFunctionStates is not null && _localFunctionStates.TryGetValue(localFunction, out var states) ? FlowState.Merge(states, null) : FlowState.Empty;
            return state.IsUnreachable ? FlowState.Empty : state;
        }

        /// <summary>
        /// What a lambda or local function starts from: the locks its creator or caller holds, as a contract (they are
        /// not the nested function's to release), and the references already dropped.
        /// </summary>
        private static FlowState Inherited(FlowState inherited)
            => FlowState.Empty.WithDropped(inherited.Dropped)
                .WithLocks(inherited.Locks.ToImmutableDictionary(e => e.Key, e => e.Value.With(source: HoldSource.Contract)));

        /// <summary>The entry lockset: what the method's <c>[Requires*]</c> and <c>[Releases*]</c> contracts say is held.</summary>
        private FlowState ContractEntry(FlowState state, MethodContract contract, Location location)
        {
            foreach (var required in contract.Requires.AddRange(contract.Releases))
            {
                if (required.Path is not { } path)
                {
                    continue;
                }

                var info = InfoOf(path);
                _facts.EntryRequirements.Add(new Requirement(path, required.Mode, info));
                var mustRelease = contract.Releases.Any(r => r.Path?.Equals(path) == true);
                state = state.WithLock(path, new Held(required.Mode, HoldSource.Contract, info ?? LockInfo.Monitor, location, mustRelease: mustRelease));
            }

            return state;
        }

        private void Execute(FlowState entry)
        {
            Prepare();
            RunRange(0, _cfg!.Blocks.Length - 1, entry, main: true);

            // A finally region reached only by exceptions still gets its body checked, from the try's states.
            foreach (var block in _cfg!.Blocks)
            {
                var region = block.EnclosingRegion;
                if (region.Kind == ControlFlowRegionKind.Finally && region.FirstBlockOrdinal == block.Ordinal && !(_executedFinally?.Contains(block.Ordinal) ?? false))
                {
                    var tryRegion = region.EnclosingRegion?.NestedRegions.FirstOrDefault(r => r.Kind == ControlFlowRegionKind.Try);
                    if (tryRegion is not null)
                    {
                        var state = StatesIn(tryRegion);
                        if (!state.IsUnreachable)
                        {
                            RunRange(region.FirstBlockOrdinal, region.LastBlockOrdinal, state, main: false);
                        }
                    }
                }
            }
        }

        /// <summary>Collects flow captures and single assignments of locals (for aliases and fresh objects).</summary>
        private void Prepare()
        {
            var counts = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);
            var stack = new Stack<IOperation>();
            foreach (var block in _cfg!.Blocks)
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
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                        Count(counts, local.Local);
                        _singleAssignments[local.Local] = assignment.Value;
                        break;
                    case ILocalReferenceOperation local when IsOtherWrite(local):
                        Count(counts, local.Local, 2);
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

        private FlowState RunRange(int first, int last, FlowState input, bool main)
        {
            if (!main)
            {
                (_executedFinally ??= new()).Add(first);
            }

            var pending = new Dictionary<int, List<FlowState>> { [first] = new List<FlowState> { input } };
            var outputs = new List<FlowState>();
            var blocks = _cfg!.Blocks;
            for (var i = first; i <= last; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var block = blocks[i];
                if (InOtherFinally(block, first, main))
                {
                    continue;
                }

                FlowState state;
                if (pending.TryGetValue(i, out var inputs))
                {
                    if (block.Kind == BasicBlockKind.Exit)
                    {
                        CheckExit(inputs);
                        continue;
                    }

                    state = inputs.Count == 1 ? inputs[0] : FlowState.Merge(inputs, (path, held) => ReportJoin(block, path, held));
                }
                else if (HandlerTry(block) is { } tryRegion)
                {
                    state = StatesIn(tryRegion);
                }
                else
                {
                    continue;
                }

                if (state.IsUnreachable)
                {
                    continue;
                }

                _entryStates[i] = _entryStates[i] is { } previous ? FlowState.Merge(new[] { previous, state }, null) : state;
                _state = state;
                foreach (var operation in block.Operations)
                {
                    _state = _state.LeaveRegions(operation.Syntax.Span);
                    Visit(operation);
                }

                if (block.BranchValue is { } branchValue)
                {
                    _state = _state.LeaveRegions(branchValue.Syntax.Span);
                    Visit(branchValue);
                }

                state = _state;
                _exitStates[i] = _exitStates[i] is { } previousExit ? FlowState.Merge(new[] { previousExit, state }, null) : state;
                if (block.ConditionalSuccessor is { } conditional && block.BranchValue is { } condition)
                {
                    var (whenTrue, whenFalse) = Split(condition, state);
                    var jump = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? whenTrue : whenFalse;
                    var fall = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? whenFalse : whenTrue;
                    Follow(block, conditional, jump, pending, outputs);
                    Follow(block, block.FallThroughSuccessor, fall, pending, outputs);
                }
                else
                {
                    Follow(block, block.FallThroughSuccessor, state, pending, outputs);
                }
            }

            return FlowState.Merge(outputs, null);
        }

        private void Follow(BasicBlock from, ControlFlowBranch? branch, FlowState state, Dictionary<int, List<FlowState>> pending, List<FlowState> outputs)
        {
            if (branch is null || state.IsUnreachable)
            {
                return;
            }

            foreach (var region in branch.FinallyRegions)
            {
                // Many edges leave a try with the very same state (every 'break' of a switch in a lock): run the finally once for it.
                var key = (region.FirstBlockOrdinal, state);
                _finallyResults ??= new();
                if (!_finallyResults.TryGetValue(key, out var output))
                {
                    _finallyResults[key] = output = RunRange(region.FirstBlockOrdinal, region.LastBlockOrdinal, state, main: false);
                }

                state = output;
                if (state.IsUnreachable)
                {
                    return;
                }
            }

            var destination = branch.Destination;
            if (destination is null)
            {
                if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
                {
                    outputs.Add(state);
                }

                return;
            }

            if (destination.Ordinal <= from.Ordinal)
            {
                CheckBackEdge(from, destination, state);
                return;
            }

            if (!pending.TryGetValue(destination.Ordinal, out var list))
            {
                pending[destination.Ordinal] = list = new List<FlowState>();
            }

            list.Add(state);
        }

        private static bool InOtherFinally(BasicBlock block, int first, bool main)
        {
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Finally)
                {
                    return main || region.FirstBlockOrdinal != first;
                }
            }

            return false;
        }

        /// <summary>For the first block of a catch or filter handler, the try region whose states flow into it.</summary>
        private static ControlFlowRegion? HandlerTry(BasicBlock block)
        {
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.FirstBlockOrdinal != block.Ordinal)
                {
                    return null;
                }

                if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
                {
                    return region.EnclosingRegion?.NestedRegions.FirstOrDefault(r => r.Kind == ControlFlowRegionKind.Try);
                }
            }

            return null;
        }

        /// <summary>The intersection of every state seen inside a try region: what a handler may start from.</summary>
        private FlowState StatesIn(ControlFlowRegion tryRegion)
        {
            var states = new List<FlowState>();
            for (var i = tryRegion.FirstBlockOrdinal; i <= tryRegion.LastBlockOrdinal; i++)
            {
                if (_entryStates[i] is { } entry)
                {
                    states.Add(entry);
                }

                if (_exitStates[i] is { } exit)
                {
                    states.Add(exit);
                }
            }

            return FlowState.Merge(states, null);
        }

        private void CheckBackEdge(BasicBlock from, BasicBlock head, FlowState state)
        {
            if (_entryStates[head.Ordinal] is not { } headState || headState.SameLocks(state))
            {
                return;
            }

            var location = LocationOf(from) ?? LocationOf(head);
            if (location is null)
            {
                return;
            }

            foreach (var entry in state.Locks.Where(e => e.Value.IsTracked && !headState.Locks.ContainsKey(e.Key)))
            {
                _facts.Loops.Add(new LoopMismatch(entry.Value.Site, entry.Key, entry.Value, HeldAtHead: false));
            }

            foreach (var entry in headState.Locks.Where(e => e.Value.IsTracked && !state.Locks.ContainsKey(e.Key)))
            {
                _facts.Loops.Add(new LoopMismatch(location, entry.Key, entry.Value, HeldAtHead: true));
            }
        }

        private void CheckExit(List<FlowState> inputs)
        {
            var contract = _facts.Contract;
            Location? exitLocation = null;
            foreach (var state in inputs)
            {
                if (state.IsUnreachable || (state.Locks.IsEmpty && state.Bools.IsEmpty && contract.Acquires.IsEmpty))
                {
                    continue;
                }

                var exit = exitLocation ??= _facts.Root.Syntax.GetLastToken().GetLocation();
                foreach (var entry in state.Locks)
                {
                    var promised = contract.Acquires.Any(a => a.Path?.Equals(entry.Key) == true);
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

                foreach (var acquired in contract.Acquires)
                {
                    if (acquired.Path is { } path && !state.Locks.ContainsKey(path))
                    {
                        _facts.BrokenContracts.Add(new ContractBroken(path, ShouldBeHeld: true, exit));
                    }
                }
            }
        }

        private void ReportJoin(BasicBlock block, LockPath path, Held held)
        {
            if (LocationOf(block) is { } location)
            {
                _facts.Joins.Add(new JoinMismatch(location, path, held));
            }
        }

        /// <summary>The first operation at or after a block (following fall-through), for reporting.</summary>
        private static Location? LocationOf(BasicBlock block)
        {
            for (var steps = 0; block is not null && steps < 8; steps++)
            {
                var operation = block.Operations.FirstOrDefault(o => !o.IsImplicit) ?? block.Operations.FirstOrDefault() ?? block.BranchValue;
                if (operation is not null)
                {
                    return operation.Syntax.GetLocation();
                }

                block = block.FallThroughSuccessor?.Destination!;
            }

            return null;
        }

        private LockInfo? InfoOf(LockPath path)
        {
            var type = path.IsThis ? _thisType : LockReferenceResolver.TypeOf(path.Last);
            return _model.Classify(type, path.Last);
        }
    }
}
