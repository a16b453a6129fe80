using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The tree driver: the same transfer functions, driven over the operation tree instead of a control flow graph,
    /// for functions whose control flow is made of statements (blocks, if, loops, switch, try/catch/finally, using,
    /// lock, break/continue/return/throw). It follows the graph driver's semantics edge for edge: a loop head keeps the
    /// state it is first reached with and back edges are compared with it, a finally runs once for each state that
    /// leaves its try, a handler starts from what holds everywhere in its try. Wherever the two could differ (a lock
    /// held on some paths into a join only, a back edge that changes the lockset, a handler entered with a lockset that
    /// changed inside the try) it gives up, and the caller runs the graph driver: that is where the diagnostics are,
    /// and the graph driver words them. Building Roslyn's control flow graph costs more than the rest of the analysis
    /// together, and most methods never need it. The driver owns the pending jumps and the try observers; every
    /// statement takes a state and returns the state after it.
    /// </summary>
    internal sealed partial class TreeDriver
    {
        private readonly LockTransfer _transfer;
        private readonly CancellationToken _cancellationToken;

        /// <summary>Jumps (break, continue, return) that have left the statement being executed, with their states.</summary>
        private readonly List<(ILabelSymbol? Target, FlowState State)> _jumps = new();

        /// <summary>The try blocks being executed: their entry state, and whether some state inside lost part of it.</summary>
        private readonly List<TryObserver> _observers = new();

        /// <summary>Local functions declared in the body, reachable or not.</summary>
        private List<ILocalFunctionOperation>? _localFunctions;

        public TreeDriver(LockTransfer transfer, CancellationToken cancellationToken)
        {
            _transfer = transfer;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The local functions declared in the body, in source order.</summary>
        public IReadOnlyList<ILocalFunctionOperation> LocalFunctions
        {
            get
            {
                _localFunctions?.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));
                return (IReadOnlyList<ILocalFunctionOperation>?)_localFunctions ?? Array.Empty<ILocalFunctionOperation>();
            }
        }

        /// <summary>Runs a method's root or a nested function's body to its exits and checks them; false when it needs the control flow graph.</summary>
        public bool RunToExit(IOperation body, FlowState entry, bool isRoot)
        {
            FlowState end;
            try
            {
                end = isRoot ? ExecuteRoot(body, entry) : Execute(body, entry);
            }
            catch (NeedsFlowGraph)
            {
                return false;
            }

            var exits = new List<FlowState> { end };
            foreach (var (target, state) in _jumps)
            {
                if (target is not null)
                {
                    return false;
                }

                exits.Add(state);
            }

            _transfer.Exit(exits);
            return true;
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

        private FlowState ExecuteRoot(IOperation root, FlowState state)
        {
            switch (root)
            {
                case IMethodBodyOperation method:
                    return ExecuteBody(method.BlockBody, method.ExpressionBody, state);
                case IConstructorBodyOperation constructor:
                    if (constructor.Initializer is { } initializer)
                    {
                        state = _transfer.Visit(initializer, state);
                    }

                    return ExecuteBody(constructor.BlockBody, constructor.ExpressionBody, state);
                case IBlockOperation block:
                    return Execute(block, state);
                default:
                    throw new NeedsFlowGraph();
            }
        }

        private FlowState ExecuteBody(IBlockOperation? block, IBlockOperation? expression, FlowState state)
        {
            if (block is not null && expression is not null)
            {
                throw new NeedsFlowGraph();
            }

            return (block ?? expression) is { } body ? Execute(body, state) : state;
        }

        private FlowState Execute(IOperation statement, FlowState state)
        {
            if (state.IsUnreachable)
            {
                DeclareUnreachable(statement);
                return state;
            }

            _cancellationToken.ThrowIfCancellationRequested();
            switch (statement.Kind)
            {
                case OperationKind.Block:
                    return ExecuteStatements(((IBlockOperation)statement).Operations, 0, state);
                case OperationKind.ExpressionStatement:
                    state = _transfer.Visit(statement, state);
                    return ((IExpressionStatementOperation)statement).Operation.Kind == OperationKind.Throw ? FlowState.Unreachable : state;
                case OperationKind.VariableDeclarationGroup or OperationKind.Empty or OperationKind.YieldReturn:
                    return _transfer.Visit(statement, state);
                case OperationKind.Throw:
                    _transfer.Visit(statement, state);
                    return FlowState.Unreachable;
                case OperationKind.Conditional:
                    return ExecuteIf((IConditionalOperation)statement, state);
                case OperationKind.Loop:
                    return ExecuteLoop((ILoopOperation)statement, state);
                case OperationKind.Switch:
                    return ExecuteSwitch((ISwitchOperation)statement, state);
                case OperationKind.Try:
                    return ExecuteTry((ITryOperation)statement, state);
                case OperationKind.Lock:
                    return ExecuteLock((ILockOperation)statement, state);
                case OperationKind.Using:
                    return ExecuteUsing((IUsingOperation)statement, state);
                case OperationKind.Branch when statement is IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } branch:
                    return Jump(branch.Target, state);
                case OperationKind.Return:
                    return Jump(null, _transfer.Returning(((IReturnOperation)statement).ReturnedValue, _transfer.Visit(statement, state)));
                case OperationKind.YieldBreak:
                    return Jump(null, state);
                case OperationKind.LocalFunction:
                    Declare((ILocalFunctionOperation)statement);
                    return state;
                default:
                    // goto and labels, fixed, and whatever a later language version adds.
                    throw new NeedsFlowGraph();
            }
        }

        private FlowState ExecuteStatements(ImmutableArray<IOperation> statements, int start, FlowState state)
        {
            for (var i = start; i < statements.Length; i++)
            {
                if (state.IsUnreachable)
                {
                    DeclareUnreachable(statements[i]);
                    continue;
                }

                Observe(state);
                if (statements[i] is IUsingDeclarationOperation declaration)
                {
                    if (declaration.IsAsynchronous)
                    {
                        throw new NeedsFlowGraph();
                    }

                    return ExecuteUsingDeclaration(declaration, statements, i + 1, state);
                }

                state = Execute(statements[i], state);
            }

            Observe(state);
            return state;
        }

        private FlowState Jump(ILabelSymbol? target, FlowState state)
        {
            _jumps.Add((target, state));
            return FlowState.Unreachable;
        }

        private FlowState ExecuteIf(IConditionalOperation conditional, FlowState state)
        {
            var (whenTrue, whenFalse) = Condition(conditional.Condition, state);
            var afterTrue = Execute(conditional.WhenTrue, whenTrue);
            var afterFalse = conditional.WhenFalse is { } otherwise ? Execute(otherwise, whenFalse) : whenFalse;
            return Join(afterTrue, afterFalse);
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
                    return _transfer.Split(condition, _transfer.Visit(condition, state));
            }
        }

        private FlowState ExecuteSwitch(ISwitchOperation switchOperation, FlowState state)
        {
            var start = _transfer.Visit(switchOperation.Value, state);
            var mark = _jumps.Count;
            var hasDefault = false;
            foreach (var section in switchOperation.Cases)
            {
                foreach (var clause in section.Clauses)
                {
                    hasDefault |= clause.CaseKind == CaseKind.Default;
                    _transfer.Visit(clause, start);
                }

                if (!ExecuteStatements(section.Body, 0, start).IsUnreachable)
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

            return Join(exits);
        }

        /// <summary>A <c>lock</c> statement: held for the body, released however the body is left, as the lowered Enter/Exit are.</summary>
        private FlowState ExecuteLock(ILockOperation lockOperation, FlowState state)
        {
            state = _transfer.Visit(lockOperation.LockedValue, state);
            if (_transfer.ResolvePath(lockOperation.LockedValue) is not { } path)
            {
                return Execute(lockOperation.Body, state);
            }

            // On a System.Threading.Lock the compiler lowers the statement to a scope (EnterScope and its Dispose), on
            // anything else to Monitor.Enter and Exit: a scoped hold, or an acquired one, as the graph sees it.
            var site = lockOperation.LockedValue.Syntax.GetLocation();
            var source = KnownTypes.Of(lockOperation.LockedValue.Type) == KnownType.Lock ? HoldSource.Scoped : HoldSource.Acquired;
            state = _transfer.Acquire(state, site, path, LockMode.Exclusive, source);
            var mark = _jumps.Count;
            var end = Execute(lockOperation.Body, state);
            return CloseScopes(mark, new List<(LockPath, Location)>(1) { (path, site) }, end);
        }

        /// <summary>A <c>using</c> statement: the scopes its resources open are released however the body is left.</summary>
        private FlowState ExecuteUsing(IUsingOperation usingOperation, FlowState state)
        {
            if (usingOperation.IsAsynchronous)
            {
                throw new NeedsFlowGraph();
            }

            // The scopes this statement's resources open, taken before the body opens its own.
            var count = _transfer.OpenedScopeCount;
            state = _transfer.Visit(usingOperation.Resources, state);
            var opened = DisposedAt(usingOperation.Resources, _transfer.OpenedSince(count));
            var mark = _jumps.Count;
            var end = Execute(usingOperation.Body, state);
            return CloseScopes(mark, opened, end);
        }

        /// <summary>A <c>using</c> declaration: its scopes are released however the rest of the block is left.</summary>
        private FlowState ExecuteUsingDeclaration(IUsingDeclarationOperation declaration, ImmutableArray<IOperation> statements, int next, FlowState state)
        {
            var count = _transfer.OpenedScopeCount;
            state = _transfer.Visit(declaration.DeclarationGroup, state);
            var opened = DisposedAt(declaration.DeclarationGroup, _transfer.OpenedSince(count));
            var mark = _jumps.Count;
            var end = ExecuteStatements(statements, next, state);
            return CloseScopes(mark, opened, end);
        }

        /// <summary>
        /// The scopes a <c>using</c> opened, each with where it is disposed, as the compiler lowers it: the declarator
        /// that holds the scope (<c>s = l.EnterScope()</c>), or the resource expression itself.
        /// </summary>
        private static List<(LockPath Path, Location Site)>? DisposedAt(IOperation resources, List<(LockPath Path, Location Site)>? opened)
        {
            if (opened is null)
            {
                return null;
            }

            var disposed = new List<(LockPath Path, Location Site)>(opened.Count);
            foreach (var (path, site) in opened)
            {
                var owner = resources.DescendantsAndSelf().OfType<IVariableDeclaratorOperation>().FirstOrDefault(d => d.Syntax.Span.Contains(site.SourceSpan));
                disposed.Add((path, (owner ?? resources).Syntax.GetLocation()));
            }

            return disposed;
        }

        /// <summary>
        /// Releases scopes (innermost first) on every way out of the statements just executed: their end, and each
        /// break, continue or return that left them since <paramref name="mark"/>.
        /// </summary>
        private FlowState CloseScopes(int mark, List<(LockPath Path, Location Site)>? opened, FlowState end)
        {
            if (opened is null)
            {
                return end;
            }

            FlowState Close(FlowState state)
            {
                if (state.IsUnreachable)
                {
                    return state;
                }

                for (var i = opened.Count - 1; i >= 0; i--)
                {
                    state = _transfer.Release(state, opened[i].Site, opened[i].Path, state.Find(opened[i].Path)?.Mode ?? LockMode.Exclusive);
                }

                return state;
            }

            if (_jumps.Count > mark)
            {
                LeaveThrough(mark, Close);
            }

            return Close(end);
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

        private sealed class NeedsFlowGraph : Exception
        {
        }
    }
}
