using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The structured driver: the same transfer functions, driven over the operation tree instead of a control flow
    /// graph, for methods whose control flow is made of statements (blocks, if, loops, switch, try/catch/finally,
    /// using, lock, break/continue/return/throw), and for the lambdas and local functions in them. It follows the graph driver's semantics edge for edge: a loop head
    /// keeps the state it is first reached with and back edges are compared with it, a finally runs once for each
    /// state that leaves its try, a handler starts from what holds everywhere in its try. Wherever the two could
    /// differ (a lock held on some paths into a join only, a back edge that changes the lockset, a handler entered
    /// with a lockset that changed inside the try) it gives up, and the caller runs the graph driver: that is where
    /// the diagnostics are, and the graph driver words them. Building Roslyn's control flow graph costs more than the
    /// rest of the analysis together, and most methods never need it.
    /// </summary>
    internal sealed partial class MethodAnalysis
    {
        /// <summary>Jumps (break, continue, return) that have left the statement being executed, with their states.</summary>
        private readonly List<(ILabelSymbol? Target, FlowState State)> _jumps = new();

        /// <summary>Local functions declared in the body, reachable or not.</summary>
        private List<ILocalFunctionOperation>? _localFunctions;

        /// <summary>The try blocks being executed: their entry state, and whether some state inside lost part of it.</summary>
        private readonly List<TryObserver> _observers = new();

        /// <summary>
        /// Runs the structured driver on a method body; null when the method needs the control flow graph (see the
        /// class summary), in which case nothing it collected is kept.
        /// </summary>
        public static List<MethodFacts>? RunStructured(AnnotationModel model, IOperation body, IMethodSymbol method, Location nameLocation, System.Threading.CancellationToken cancellationToken)
        {
            var contract = model.GetContract(method);
            var facts = new MethodFacts(method, contract, body, nameLocation, isNested: false);
            var analysis = new MethodAnalysis(model, null, method, facts, null, cancellationToken);
            analysis._state = analysis.ContractEntry(FlowState.Empty, contract, nameLocation);
            var results = new List<MethodFacts> { facts };
            return analysis.ExecuteToExit(body, isRoot: true) && analysis.RunNestedTree(results) ? results : null;
        }

        /// <summary>Runs a method's root or a nested function's body to its exits and checks them; false when it needs the control flow graph.</summary>
        private bool ExecuteToExit(IOperation body, bool isRoot)
        {
            try
            {
                if (isRoot)
                {
                    ExecuteRoot(body);
                }
                else
                {
                    Execute(body);
                }
            }
            catch (NeedsFlowGraph)
            {
                return false;
            }

            var exits = new List<FlowState> { _state };
            foreach (var (target, state) in _jumps)
            {
                if (target is not null)
                {
                    return false;
                }

                exits.Add(state);
            }

            CheckExit(exits);
            return true;
        }

        /// <summary>
        /// Lambdas (from the state where they are created, or empty when they run later) and local functions (from
        /// the states of their calls), each analyzed on its own, as the graph driver does with their graphs.
        /// </summary>
        private bool RunNestedTree(List<MethodFacts> results)
        {
            foreach (var (function, state) in _lambdas ?? Enumerable.Empty<(IOperation, FlowState)>())
            {
                if (function is IAnonymousFunctionOperation lambda && !RunTreeChild(results, lambda, lambda.Symbol, lambda.Body, state, lambda.Syntax.GetLocation()))
                {
                    return false;
                }
            }

            _localFunctions?.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));
            foreach (var localFunction in _localFunctions ?? Enumerable.Empty<ILocalFunctionOperation>())
            {
                var symbol = localFunction.Symbol;
                if (localFunction.IgnoredBody is not null ||
                    !RunTreeChild(results, localFunction, symbol, localFunction.Body, CallersState(symbol), symbol.Locations.FirstOrDefault() ?? localFunction.Syntax.GetLocation()))
                {
                    return false;
                }
            }

            return true;
        }

        private bool RunTreeChild(List<MethodFacts> results, IOperation root, IMethodSymbol symbol, IBlockOperation? body, FlowState inherited, Location location)
        {
            if (Nested(null, root, symbol, inherited, location) is not { } child)
            {
                return true;
            }

            if (body is null || !child.ExecuteToExit(body, isRoot: false))
            {
                return false;
            }

            results.Add(child._facts);
            return child.RunNestedTree(results);
        }

        /// <summary>A local function declaration: its body is analyzed afterwards, on its own, from the states of the calls.</summary>
        private void Declare(ILocalFunctionOperation localFunction)
        {
            _localFunctions ??= new List<ILocalFunctionOperation>();
            if (!_localFunctions.Contains(localFunction))
            {
                _localFunctions.Add(localFunction);
            }
        }

        /// <summary>
        /// Unreachable statements are not executed, but the local functions declared in them are still analyzed (as
        /// the graph driver analyzes every local function of its graph): they are only looked for here.
        /// </summary>
        private void DeclareUnreachable(IOperation statement)
        {
            var stack = new Stack<IOperation>();
            stack.Push(statement);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                if (operation is ILocalFunctionOperation localFunction)
                {
                    Declare(localFunction);
                    continue;
                }

                if (operation is IAnonymousFunctionOperation)
                {
                    continue;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        private void ExecuteRoot(IOperation root)
        {
            switch (root)
            {
                case IMethodBodyOperation method:
                    ExecuteBody(method.BlockBody, method.ExpressionBody);
                    break;
                case IConstructorBodyOperation constructor:
                    if (constructor.Initializer is { } initializer)
                    {
                        Visit(initializer);
                    }

                    ExecuteBody(constructor.BlockBody, constructor.ExpressionBody);
                    break;
                case IBlockOperation block:
                    Execute(block);
                    break;
                default:
                    throw new NeedsFlowGraph();
            }
        }

        private void ExecuteBody(IBlockOperation? block, IBlockOperation? expression)
        {
            if (block is not null && expression is not null)
            {
                throw new NeedsFlowGraph();
            }

            if ((block ?? expression) is { } body)
            {
                Execute(body);
            }
        }

        private void Execute(IOperation statement)
        {
            if (_state.IsUnreachable)
            {
                DeclareUnreachable(statement);
                return;
            }

            _cancellationToken.ThrowIfCancellationRequested();
            switch (statement.Kind)
            {
                case OperationKind.Block:
                    ExecuteStatements(((IBlockOperation)statement).Operations, 0);
                    break;
                case OperationKind.ExpressionStatement:
                    Visit(statement);
                    if (((IExpressionStatementOperation)statement).Operation.Kind == OperationKind.Throw)
                    {
                        _state = FlowState.Unreachable;
                    }

                    break;
                case OperationKind.VariableDeclarationGroup:
                case OperationKind.Empty:
                    Visit(statement);
                    break;
                case OperationKind.Throw:
                    Visit(statement);
                    _state = FlowState.Unreachable;
                    break;
                case OperationKind.Conditional:
                    ExecuteIf((IConditionalOperation)statement);
                    break;
                case OperationKind.Loop:
                    ExecuteLoop((ILoopOperation)statement);
                    break;
                case OperationKind.Switch:
                    ExecuteSwitch((ISwitchOperation)statement);
                    break;
                case OperationKind.Try:
                    ExecuteTry((ITryOperation)statement);
                    break;
                case OperationKind.Lock:
                    ExecuteLock((ILockOperation)statement);
                    break;
                case OperationKind.Using:
                    ExecuteUsing((IUsingOperation)statement);
                    break;
                case OperationKind.Branch when statement is IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } branch:
                    Jump(branch.Target);
                    break;
                case OperationKind.Return:
                    Visit(statement);
                    Jump(null);
                    break;
                case OperationKind.YieldReturn:
                    Visit(statement);
                    break;
                case OperationKind.YieldBreak:
                    Jump(null);
                    break;
                case OperationKind.LocalFunction:
                    Declare((ILocalFunctionOperation)statement);
                    break;
                default:
                    // goto and labels, fixed, and whatever a later language version adds.
                    throw new NeedsFlowGraph();
            }
        }

        private void ExecuteStatements(ImmutableArray<IOperation> statements, int start)
        {
            for (var i = start; i < statements.Length; i++)
            {
                if (_state.IsUnreachable)
                {
                    DeclareUnreachable(statements[i]);
                    continue;
                }

                Observe();
                if (statements[i] is IUsingDeclarationOperation declaration)
                {
                    if (declaration.IsAsynchronous)
                    {
                        throw new NeedsFlowGraph();
                    }

                    ExecuteUsingDeclaration(declaration, statements, i + 1);
                    return;
                }

                Execute(statements[i]);
            }

            Observe();
        }

        private void Jump(ILabelSymbol? target)
        {
            _jumps.Add((target, _state));
            _state = FlowState.Unreachable;
        }

        private void ExecuteIf(IConditionalOperation conditional)
        {
            var (whenTrue, whenFalse) = Condition(conditional.Condition, _state);
            _state = whenTrue;
            Execute(conditional.WhenTrue);
            var afterTrue = _state;
            _state = whenFalse;
            if (conditional.WhenFalse is { } otherwise)
            {
                Execute(otherwise);
            }

            _state = Join(afterTrue, _state);
        }

        /// <summary>
        /// Evaluates a branch condition and returns the states of its two edges; <c>&amp;&amp;</c>, <c>||</c> and
        /// <c>!</c> are followed as the graph's short-circuit edges are.
        /// </summary>
        private (FlowState WhenTrue, FlowState WhenFalse) Condition(IOperation condition, FlowState state)
        {
            if (state.IsUnreachable)
            {
                return (state, state);
            }

            switch (condition.WithoutConversions())
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd, OperatorMethod: null } and:
                    var (leftTrue, leftFalse) = Condition(and.LeftOperand, state);
                    var (rightTrue, rightFalse) = Condition(and.RightOperand, leftTrue);
                    return (rightTrue, Join(leftFalse, rightFalse));
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr, OperatorMethod: null } or:
                    var (firstTrue, firstFalse) = Condition(or.LeftOperand, state);
                    var (secondTrue, secondFalse) = Condition(or.RightOperand, firstFalse);
                    return (Join(firstTrue, secondTrue), secondFalse);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                    var (operandTrue, operandFalse) = Condition(not.Operand, state);
                    return (operandFalse, operandTrue);
                default:
                    _state = state;
                    Visit(condition);
                    return Split(condition, _state);
            }
        }

        private void ExecuteLoop(ILoopOperation loop)
        {
            switch (loop)
            {
                case IWhileLoopOperation { ConditionIsTop: true } whileLoop:
                {
                    var head = _state;
                    var (enter, leave) = LoopCondition(whileLoop.Condition, whileLoop.ConditionIsUntil, head);
                    _state = enter;
                    var (breaks, continues) = ExecuteLoopBody(loop);
                    continues.Add(_state);
                    CompareWithHead(head, continues);
                    breaks.Insert(0, leave);
                    _state = Join(breaks);
                    break;
                }

                case IWhileLoopOperation whileLoop:
                {
                    var head = _state;
                    var (breaks, continues) = ExecuteLoopBody(loop);
                    continues.Add(_state);
                    var (again, leave) = LoopCondition(whileLoop.Condition, whileLoop.ConditionIsUntil, Join(continues));
                    CompareWithHead(head, again);
                    breaks.Add(leave);
                    _state = Join(breaks);
                    break;
                }

                case IForLoopOperation forLoop:
                {
                    foreach (var before in forLoop.Before)
                    {
                        Execute(before);
                    }

                    var head = _state;
                    var (enter, leave) = LoopCondition(forLoop.Condition, false, head);
                    _state = enter;
                    var (breaks, continues) = ExecuteLoopBody(loop);
                    continues.Add(_state);
                    CompareWithHead(head, continues);
                    _state = Join(continues);
                    foreach (var step in forLoop.AtLoopBottom)
                    {
                        Execute(step);
                    }

                    CompareWithHead(head, _state);
                    breaks.Insert(0, leave);
                    _state = Join(breaks);
                    break;
                }

                case IForEachLoopOperation { IsAsynchronous: false } forEach:
                {
                    Visit(forEach.Collection);
                    var head = _state;
                    var (breaks, continues) = ExecuteLoopBody(loop);
                    continues.Add(_state);
                    CompareWithHead(head, continues);
                    breaks.Insert(0, head);
                    _state = Join(breaks);
                    break;
                }

                default:
                    throw new NeedsFlowGraph();
            }
        }

        private (FlowState Enter, FlowState Leave) LoopCondition(IOperation? condition, bool isUntil, FlowState state)
        {
            if (condition is null)
            {
                return (state, FlowState.Unreachable);
            }

            var (whenTrue, whenFalse) = Condition(condition, state);
            return isUntil ? (whenFalse, whenTrue) : (whenTrue, whenFalse);
        }

        /// <summary>Executes a loop's body and takes back the breaks and continues that target this loop.</summary>
        private (List<FlowState> Breaks, List<FlowState> Continues) ExecuteLoopBody(ILoopOperation loop)
        {
            var mark = _jumps.Count;
            Execute(loop.Body);
            return (TakeJumps(mark, loop.ExitLabel), TakeJumps(mark, loop.ContinueLabel));
        }

        private List<FlowState> TakeJumps(int mark, ILabelSymbol? target)
        {
            var taken = new List<FlowState>();
            if (target is null || _jumps.Count == mark)
            {
                return taken;
            }

            for (var i = _jumps.Count - 1; i >= mark; i--)
            {
                if (SymbolEqualityComparer.Default.Equals(_jumps[i].Target, target))
                {
                    taken.Insert(0, _jumps[i].State);
                    _jumps.RemoveAt(i);
                }
            }

            return taken;
        }

        /// <summary>A back edge whose lockset differs from the loop head's is the graph driver's to report.</summary>
        private static void CompareWithHead(FlowState head, List<FlowState> backEdges)
        {
            foreach (var state in backEdges)
            {
                CompareWithHead(head, state);
            }
        }

        private static void CompareWithHead(FlowState head, FlowState backEdge)
        {
            if (!backEdge.IsUnreachable && backEdge.Locks != head.Locks && !head.SameLocks(backEdge))
            {
                throw new NeedsFlowGraph();
            }
        }

        private void ExecuteSwitch(ISwitchOperation switchOperation)
        {
            Visit(switchOperation.Value);
            var start = _state;
            var mark = _jumps.Count;
            var hasDefault = false;
            foreach (var section in switchOperation.Cases)
            {
                foreach (var clause in section.Clauses)
                {
                    hasDefault |= clause.CaseKind == CaseKind.Default;
                    _state = start;
                    Visit(clause);
                }

                _state = start;
                ExecuteStatements(section.Body, 0);
                if (!_state.IsUnreachable)
                {
                    // Only broken code falls out of a section; the graph makes of it what the compiler does.
                    throw new NeedsFlowGraph();
                }
            }

            var exits = TakeJumps(mark, switchOperation.ExitLabel);
            if (!hasDefault)
            {
                exits.Add(start);
            }

            _state = Join(exits);
        }

        private void ExecuteTry(ITryOperation tryOperation)
        {
            var entry = _state;
            var all = new TryObserver(entry);
            var body = new TryObserver(entry);
            _observers.Add(all);
            _observers.Add(body);
            var mark = _jumps.Count;
            Execute(tryOperation.Body);
            _observers.Remove(body);
            var ends = new List<FlowState> { _state };
            foreach (var handler in tryOperation.Catches)
            {
                if (handler.Filter is not null || body.Changed)
                {
                    throw new NeedsFlowGraph();
                }

                _state = entry;
                Execute(handler.Handler);
                ends.Add(_state);
            }

            _observers.Remove(all);
            if (tryOperation.Finally is not { } finallyBlock)
            {
                _state = Join(ends);
                return;
            }

            var ran = false;
            var results = new List<(FlowState Input, FlowState Output)>(2);
            FlowState RunFinally(FlowState state)
            {
                if (state.IsUnreachable)
                {
                    return state;
                }

                ran = true;
                foreach (var (input, output) in results)
                {
                    if (ReferenceEquals(input, state))
                    {
                        return output;
                    }
                }

                _state = state;
                Execute(finallyBlock);
                results.Add((state, _state));
                return _state;
            }

            if (_jumps.Count > mark)
            {
                LeaveThrough(mark, RunFinally);
            }

            for (var i = 0; i < ends.Count; i++)
            {
                ends[i] = RunFinally(ends[i]);
            }

            if (!ran)
            {
                // Reached only by exceptions: the finally still runs, from what held everywhere in the try.
                if (all.Changed)
                {
                    throw new NeedsFlowGraph();
                }

                _state = entry;
                Execute(finallyBlock);
            }

            _state = Join(ends);
        }

        /// <summary>A <c>lock</c> statement: held for the body, released however the body is left, as the lowered Enter/Exit are.</summary>
        private void ExecuteLock(ILockOperation lockOperation)
        {
            Visit(lockOperation.LockedValue);
            if (ResolvePath(lockOperation.LockedValue) is not { } path)
            {
                Execute(lockOperation.Body);
                return;
            }

            var site = lockOperation.LockedValue.Syntax.GetLocation();
            Acquire(site, path, LockMode.Exclusive, HoldSource.Acquired);
            var mark = _jumps.Count;
            Execute(lockOperation.Body);
            CloseScopes(mark, new List<(LockPath, Location)>(1) { (path, site) });
        }

        /// <summary>A <c>using</c> statement: the scopes its resources open are released however the body is left.</summary>
        private void ExecuteUsing(IUsingOperation usingOperation)
        {
            if (usingOperation.IsAsynchronous)
            {
                throw new NeedsFlowGraph();
            }

            var opened = _openedScopes.Count;
            Visit(usingOperation.Resources);
            var mark = _jumps.Count;
            Execute(usingOperation.Body);
            CloseScopes(mark, OpenedSince(opened));
        }

        /// <summary>A <c>using</c> declaration: its scopes are released however the rest of the block is left.</summary>
        private void ExecuteUsingDeclaration(IUsingDeclarationOperation declaration, ImmutableArray<IOperation> statements, int next)
        {
            var opened = _openedScopes.Count;
            Visit(declaration.DeclarationGroup);
            var mark = _jumps.Count;
            ExecuteStatements(statements, next);
            CloseScopes(mark, OpenedSince(opened));
        }

        private List<(LockPath Path, Location Site)>? OpenedSince(int count)
            => _openedScopes.Count == count ? null : _openedScopes.GetRange(count, _openedScopes.Count - count);

        /// <summary>
        /// Releases scopes (innermost first) on every way out of the statements just executed: their end, and each
        /// break, continue or return that left them since <paramref name="mark"/>.
        /// </summary>
        private void CloseScopes(int mark, List<(LockPath Path, Location Site)>? opened)
        {
            if (opened is null)
            {
                return;
            }

            FlowState Close(FlowState state)
            {
                if (state.IsUnreachable)
                {
                    return state;
                }

                _state = state;
                for (var i = opened.Count - 1; i >= 0; i--)
                {
                    Release(opened[i].Site, opened[i].Path, _state.Find(opened[i].Path)?.Mode ?? LockMode.Exclusive);
                }

                return _state;
            }

            var end = _state;
            if (_jumps.Count > mark)
            {
                LeaveThrough(mark, Close);
            }

            _state = Close(end);
        }

        /// <summary>
        /// Runs what a try's finally (or a scope's release) does on each jump that left it since <paramref name="mark"/>;
        /// callers test for such jumps first, so that the common case creates no delegate.
        /// </summary>
        private void LeaveThrough(int mark, Func<FlowState, FlowState> leave)
        {
            for (var i = mark; i < _jumps.Count; i++)
            {
                _jumps[i] = (_jumps[i].Target, leave(_jumps[i].State));
            }

            _jumps.RemoveAll(j => j.State.IsUnreachable);
        }

        private static FlowState Join(FlowState first, FlowState second)
        {
            if (second.IsUnreachable || ReferenceEquals(first, second))
            {
                return first;
            }

            return first.IsUnreachable ? second : Join(new List<FlowState>(2) { first, second });
        }

        /// <summary>
        /// The state after a join, when every reachable path holds the same locks; otherwise the join is the graph
        /// driver's to report (or to carry in a bool local), and the structured driver gives up.
        /// </summary>
        private static FlowState Join(List<FlowState> states)
        {
            FlowState? single = null;
            var count = 0;
            foreach (var state in states)
            {
                if (state.IsUnreachable)
                {
                    continue;
                }

                if (single is not null && !SameLockKeys(single, state))
                {
                    throw new NeedsFlowGraph();
                }

                single ??= state;
                count++;
            }

            return single is null ? FlowState.Unreachable : count == 1 ? single : FlowState.Merge(states, (_, _) => throw new NeedsFlowGraph());
        }

        private static bool SameLockKeys(FlowState first, FlowState other)
        {
            if (first.Locks == other.Locks)
            {
                return true;
            }

            if (first.Locks.Count != other.Locks.Count)
            {
                return false;
            }

            foreach (var entry in other.Locks)
            {
                if (!first.Locks.ContainsKey(entry.Key))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Records, for every try being executed, whether the state here lost something the try was entered with.</summary>
        private void Observe()
        {
            foreach (var observer in _observers)
            {
                if (!observer.Changed && !_state.IsUnreachable && !observer.Entry.Keeps(_state))
                {
                    observer.Changed = true;
                }
            }
        }

        private sealed class TryObserver
        {
            public TryObserver(FlowState entry) => Entry = entry;

            public FlowState Entry { get; }

            /// <summary>Some state inside lost a lock, a bool fact or gained a dropped reference: a handler's entry is not the try's.</summary>
            public bool Changed { get; set; }
        }

        private sealed class NeedsFlowGraph : Exception
        {
        }
    }
}
