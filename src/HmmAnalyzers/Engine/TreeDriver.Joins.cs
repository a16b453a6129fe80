using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>The tree driver's loops, try statements and joins: where paths meet, and where it gives up for the graph.</summary>
    internal sealed partial class TreeDriver
    {
        private FlowState ExecuteLoop(ILoopOperation loop, FlowState state) => loop switch
        {
            IWhileLoopOperation { ConditionIsTop: true } whileLoop => ExecuteWhile(whileLoop, state),
            IWhileLoopOperation doWhile => ExecuteDoWhile(doWhile, state),
            IForLoopOperation forLoop => ExecuteFor(forLoop, state),
            IForEachLoopOperation { IsAsynchronous: false } forEach => ExecuteForEach(forEach, state),
            _ => throw new NeedsFlowGraph(),
        };

        private FlowState ExecuteWhile(IWhileLoopOperation loop, FlowState head)
        {
            var (enter, leave) = LoopCondition(loop.Condition, loop.ConditionIsUntil, head);
            var (end, breaks, continues) = ExecuteLoopBody(loop, enter);
            continues.Add(end);
            CompareWithHead(head, continues);
            breaks.Insert(0, leave);
            return Join(breaks);
        }

        private FlowState ExecuteDoWhile(IWhileLoopOperation loop, FlowState head)
        {
            var (end, breaks, continues) = ExecuteLoopBody(loop, head);
            continues.Add(end);
            var (again, leave) = LoopCondition(loop.Condition, loop.ConditionIsUntil, Join(continues));
            CompareWithHead(head, again);
            breaks.Add(leave);
            return Join(breaks);
        }

        private FlowState ExecuteFor(IForLoopOperation loop, FlowState state)
        {
            foreach (var before in loop.Before)
            {
                state = Execute(before, state);
            }

            var head = state;
            var (enter, leave) = LoopCondition(loop.Condition, false, head);
            var (end, breaks, continues) = ExecuteLoopBody(loop, enter);
            continues.Add(end);
            CompareWithHead(head, continues);
            state = Join(continues);
            foreach (var step in loop.AtLoopBottom)
            {
                state = Execute(step, state);
            }

            CompareWithHead(head, state);
            breaks.Insert(0, leave);
            return Join(breaks);
        }

        private FlowState ExecuteForEach(IForEachLoopOperation loop, FlowState state)
        {
            var head = _transfer.Visit(loop.Collection, state);
            var (end, breaks, continues) = ExecuteLoopBody(loop, head);
            continues.Add(end);
            CompareWithHead(head, continues);
            breaks.Insert(0, head);
            return Join(breaks);
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
        private (FlowState End, List<FlowState> Breaks, List<FlowState> Continues) ExecuteLoopBody(ILoopOperation loop, FlowState state)
        {
            var mark = _jumps.Count;
            var end = Execute(loop.Body, state);
            return (end, TakeJumps(mark, loop.ExitLabel), TakeJumps(mark, loop.ContinueLabel));
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

        private FlowState ExecuteTry(ITryOperation tryOperation, FlowState entry)
        {
            var all = new TryObserver(entry);
            var body = new TryObserver(entry);
            _observers.Add(all);
            _observers.Add(body);
            var mark = _jumps.Count;
            var ends = new List<FlowState> { Execute(tryOperation.Body, entry) };
            _observers.Remove(body);
            foreach (var handler in tryOperation.Catches)
            {
                if (handler.Filter is not null || body.Changed)
                {
                    throw new NeedsFlowGraph();
                }

                ends.Add(Execute(handler.Handler, entry));
            }

            _observers.Remove(all);
            return tryOperation.Finally is { } finallyBlock ? ExecuteFinally(finallyBlock, entry, all.Changed, mark, ends) : Join(ends);
        }

        /// <summary>
        /// A finally runs on every way out of its try: each end of the try and its handlers, and each jump that left them
        /// since <paramref name="mark"/>, once per distinct state. Reached only by exceptions, it still runs from the
        /// try's entry, when nothing inside changed it (<paramref name="changedInside"/>).
        /// </summary>
        private FlowState ExecuteFinally(IBlockOperation finallyBlock, FlowState entry, bool changedInside, int mark, List<FlowState> ends)
        {
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

                var after = Execute(finallyBlock, state);
                results.Add((state, after));
                return after;
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
                if (changedInside)
                {
                    throw new NeedsFlowGraph();
                }

                Execute(finallyBlock, entry);
            }

            return Join(ends);
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
        /// driver's to report (or to carry in a bool local), and the tree driver gives up.
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

            return single is null ? FlowState.Unreachable : count == 1 ? single : FlowState.Merge(states, (_, _, _) => throw new NeedsFlowGraph());
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

        /// <summary>Records, for every try being executed, whether <paramref name="state"/> lost something the try was entered with.</summary>
        private void Observe(FlowState state)
        {
            foreach (var observer in _observers)
            {
                if (!observer.Changed && !state.IsUnreachable && !observer.Entry.Keeps(state))
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
    }
}
