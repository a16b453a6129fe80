using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The graph driver: runs the transfer functions over one control flow graph (a method body, a lambda or a local
    /// function). Blocks are visited once in ordinal order, which Roslyn lays out so that every forward edge goes to a
    /// higher ordinal; a back edge is compared with the loop head's state rather than iterated, as Clang's thread
    /// safety analysis does. Finally regions have no predecessors in the graph: each branch that leaves a try runs the
    /// finally regions it lists, with the branch's own state. Catch handlers start from the intersection of the states
    /// inside their try. The driver owns the per-block entry and exit states and the finally cache.
    /// </summary>
    internal sealed class GraphDriver
    {
        private readonly LockTransfer _transfer;
        private readonly ControlFlowGraph _cfg;
        private readonly CancellationToken _cancellationToken;
        private readonly FlowState?[] _entryStates;
        private readonly FlowState?[] _exitStates;
        private HashSet<int>? _executedFinally;
        private Dictionary<(int Region, FlowState Input), FlowState>? _finallyResults;

        /// <summary>Loop heads whose state this run starts from a widened one, found by an earlier run.</summary>
        private readonly Dictionary<int, FlowState>? _widenedHeads;

        public GraphDriver(LockTransfer transfer, ControlFlowGraph cfg, CancellationToken cancellationToken, Dictionary<int, FlowState>? widenedHeads = null)
        {
            _transfer = transfer;
            _cfg = cfg;
            _cancellationToken = cancellationToken;
            _entryStates = new FlowState?[cfg.Blocks.Length];
            _exitStates = new FlowState?[cfg.Blocks.Length];
            _widenedHeads = widenedHeads;
        }

        /// <summary>
        /// Loop heads whose back edge brought a state that differs from the head's only in what a bool or a reference's
        /// nullness carries (hand-over-hand locking: <c>prev</c> holds a lock exactly when it is not null): the run must
        /// be repeated from the join of the two, or null when no head needs it.
        /// </summary>
        public Dictionary<int, FlowState>? Widenings { get; private set; }

        public void Run(FlowState entry)
        {
            _transfer.Prepare(_cfg);
            RunRange(0, _cfg.Blocks.Length - 1, entry, main: true);

            // A finally region reached only by exceptions still gets its body checked, from the try's states.
            foreach (var block in _cfg.Blocks)
            {
                var region = block.EnclosingRegion;
                if (region.Kind == ControlFlowRegionKind.Finally && region.FirstBlockOrdinal == block.Ordinal && !(_executedFinally?.Contains(block.Ordinal) ?? false))
                {
                    var tryRegion = region.EnclosingRegion?.NestedRegions.FirstOrDefault(r => r.Kind == ControlFlowRegionKind.Try);
                    if (tryRegion is not null && StatesIn(tryRegion) is { IsUnreachable: false } state)
                    {
                        RunRange(region.FirstBlockOrdinal, region.LastBlockOrdinal, state, main: false);
                    }
                }
            }
        }

        /// <summary>Runs the blocks from <paramref name="first"/> to <paramref name="last"/> (the whole graph, or a finally region); the merge of the states leaving it.</summary>
        private FlowState RunRange(int first, int last, FlowState input, bool main)
        {
            if (!main)
            {
                (_executedFinally ??= new()).Add(first);
            }

            var pending = new Dictionary<int, List<FlowState>> { [first] = new List<FlowState> { input } };
            var outputs = new List<FlowState>();
            for (var i = first; i <= last; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var block = _cfg.Blocks[i];
                if (InOtherFinally(block, first, main) || Input(block, pending) is not { IsUnreachable: false } state)
                {
                    continue;
                }

                _entryStates[i] = _entryStates[i] is { } previous ? FlowState.Merge(new[] { previous, state }, null) : state;
                state = ExecuteBlock(block, state);
                _exitStates[i] = _exitStates[i] is { } previousExit ? FlowState.Merge(new[] { previousExit, state }, null) : state;
                if (block.ConditionalSuccessor is { } conditional && block.BranchValue is { } condition)
                {
                    var (whenTrue, whenFalse) = _transfer.Split(condition, state);
                    var jumps = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                    Follow(block, conditional, jumps ? whenTrue : whenFalse, pending, outputs);
                    Follow(block, block.FallThroughSuccessor, jumps ? whenFalse : whenTrue, pending, outputs);
                }
                else
                {
                    Follow(block, block.FallThroughSuccessor, state, pending, outputs);
                }
            }

            return FlowState.Merge(outputs, null);
        }

        /// <summary>
        /// The state a block starts from: the join of the edges into it (reporting a lock held on only some), or for a
        /// handler what held everywhere in its try; null for a block nothing reached. The exit block checks the exits.
        /// </summary>
        private FlowState? Input(BasicBlock block, Dictionary<int, List<FlowState>> pending)
        {
            if (pending.TryGetValue(block.Ordinal, out var inputs))
            {
                if (block.Kind == BasicBlockKind.Exit)
                {
                    _transfer.Exit(inputs);
                    return null;
                }

                var joined = inputs.Count == 1 ? inputs[0] : FlowState.Merge(inputs, (path, held, other) => ReportJoin(block, path, held, other));

                // A widened loop head already joins the way in with the back edges (a plain join would drop the bool facts that differ).
                return _widenedHeads is not null && _widenedHeads.TryGetValue(block.Ordinal, out var widened) ? widened : joined;
            }

            return HandlerTry(block) is var (handler, tryRegion) ? AbandonedWait(handler, tryRegion) ?? StatesIn(tryRegion) : null;
        }

        private FlowState ExecuteBlock(BasicBlock block, FlowState state)
        {
            foreach (var operation in block.Operations)
            {
                state = _transfer.Visit(operation, state.LeaveRegions(operation.Syntax.Span));
            }

            if (block.BranchValue is { } branchValue)
            {
                state = _transfer.Visit(branchValue, state.LeaveRegions(branchValue.Syntax.Span));
                if (block.FallThroughSuccessor is { Semantics: ControlFlowBranchSemantics.Throw })
                {
                    _transfer.OnThrow(branchValue, state);
                }
            }

            return state;
        }

        private void Follow(BasicBlock from, ControlFlowBranch? branch, FlowState state, Dictionary<int, List<FlowState>> pending, List<FlowState> outputs)
        {
            if (branch is null || state.IsUnreachable)
            {
                return;
            }

            if (branch.Semantics == ControlFlowBranchSemantics.Return)
            {
                state = _transfer.Returning(from.BranchValue, state);
            }

            if (ThroughFinally(branch, state) is not { IsUnreachable: false } after)
            {
                return;
            }

            var destination = branch.Destination;
            if (destination is null)
            {
                if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
                {
                    outputs.Add(after);
                }

                return;
            }

            if (destination.Ordinal <= from.Ordinal)
            {
                CheckBackEdge(from, destination, after);
                return;
            }

            if (!pending.TryGetValue(destination.Ordinal, out var list))
            {
                pending[destination.Ordinal] = list = new List<FlowState>();
            }

            list.Add(after);
        }

        /// <summary>The state after the finally regions a branch leaves through, each run once per distinct input state.</summary>
        private FlowState ThroughFinally(ControlFlowBranch branch, FlowState state)
        {
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
                    return state;
                }
            }

            return state;
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

        /// <summary>For the first block of a catch or filter handler, that handler's region and the try region whose states flow into it.</summary>
        private static (ControlFlowRegion Handler, ControlFlowRegion Try)? HandlerTry(BasicBlock block)
        {
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.FirstBlockOrdinal != block.Ordinal)
                {
                    return null;
                }

                if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
                {
                    return region.EnclosingRegion?.NestedRegions.FirstOrDefault(r => r.Kind == ControlFlowRegionKind.Try) is { } tryRegion ? (region, tryRegion) : null;
                }
            }

            return null;
        }

        /// <summary>
        /// For a handler of <c>AbandonedMutexException</c>, which only a wait on a mutex throws, and then with the mutex
        /// owned by the waiting thread: the state right after the one <c>Mutex</c> wait of its try; null for any other
        /// handler, or a try that waits at more than one place (or already holds the mutex).
        /// </summary>
        private FlowState? AbandonedWait(ControlFlowRegion handler, ControlFlowRegion tryRegion)
        {
            if (KnownTypes.Of(handler.ExceptionType) != KnownType.AbandonedMutexException)
            {
                return null;
            }

            int start = int.MaxValue, end = -1;
            for (var i = tryRegion.FirstBlockOrdinal; i <= tryRegion.LastBlockOrdinal; i++)
            {
                foreach (var operation in _cfg.Blocks[i].Operations)
                {
                    start = Math.Min(start, operation.Syntax.SpanStart);
                    end = Math.Max(end, operation.Syntax.Span.End);
                }
            }

            var waits = _transfer.Facts.Acquisitions
                .Where(a => a.Info.Family == LockFamily.Mutex && a.Site.SourceSpan.Start >= start && a.Site.SourceSpan.End <= end).ToList();
            if (waits.Count == 0 || waits.Exists(w => w.IsTry || w.Existing is not null || w.Site.SourceSpan != waits[0].Site.SourceSpan))
            {
                return null;
            }

            return FlowState.Merge(waits.Select(w => w.Before.WithLock(w.Path, new Held(w.Mode, HoldSource.Acquired, w.Info, w.Site))).ToList(), null);
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

        /// <summary>
        /// A back edge must bring the lockset the loop head started with (modes and depths included): a difference is
        /// reported at the loop head, where the states meet.
        /// </summary>
        private void CheckBackEdge(BasicBlock from, BasicBlock head, FlowState state)
        {
            if (_entryStates[head.Ordinal] is not { } headState || headState.SameLocks(state) || Widen(head, headState, state))
            {
                return;
            }

            if ((LoopHead(from, head) ?? LocationOf(from) ?? LocationOf(head)) is not { } location)
            {
                return;
            }

            foreach (var entry in state.LocksByName.Where(e => e.Value.IsTracked))
            {
                var atHead = headState.Find(entry.Key);
                if (atHead is null || atHead.Mode != entry.Value.Mode || atHead.Count != entry.Value.Count)
                {
                    AddLoop(new LoopMismatch(location, entry.Key, atHead, entry.Value));
                }
            }

            foreach (var entry in headState.LocksByName.Where(e => e.Value.IsTracked && !state.Locks.ContainsKey(e.Key)))
            {
                AddLoop(new LoopMismatch(location, entry.Key, entry.Value, null));
            }
        }

        /// <summary>
        /// A back edge whose difference from the head a bool or a reference's nullness carries is no mismatch: the head is
        /// the join of the two. If that join is not the head's state yet, the run is to be repeated from it.
        /// </summary>
        private bool Widen(BasicBlock head, FlowState headState, FlowState state)
        {
            var mismatched = false;
            var joined = FlowState.Merge(new[] { headState, state }, (_, _, _) => mismatched = true);
            if (mismatched)
            {
                return false;
            }

            if (!joined.SameFacts(headState))
            {
                Widenings ??= new Dictionary<int, FlowState>();
                Widenings[head.Ordinal] = Widenings.TryGetValue(head.Ordinal, out var earlier) ? FlowState.Merge(new[] { earlier, joined }, null) : joined;
            }

            return true;
        }

        /// <summary>Several back edges ('continue') may bring the same difference to one head: it is reported once.</summary>
        private void AddLoop(LoopMismatch loop)
        {
            if (!_transfer.Facts.Loops.Exists(l => l.Location == loop.Location && l.Path.Equals(loop.Path)))
            {
                _transfer.Facts.Loops.Add(loop);
            }
        }

        /// <summary>The keyword of the loop statement whose head is <paramref name="head"/> and whose body holds <paramref name="from"/>.</summary>
        private static Location? LoopHead(BasicBlock from, BasicBlock head)
        {
            var end = LastSyntax(from);
            for (var node = FirstSyntax(head); node is not null && end is not null; node = node.Parent)
            {
                if (node.Span.Contains(end.Span) && LoopKeyword(node) is { } keyword)
                {
                    return keyword.GetLocation();
                }
            }

            return null;
        }

        private static SyntaxToken? LoopKeyword(SyntaxNode node) => node switch
        {
            WhileStatementSyntax loop => loop.WhileKeyword,
            DoStatementSyntax loop => loop.DoKeyword,
            ForStatementSyntax loop => loop.ForKeyword,
            CommonForEachStatementSyntax loop => loop.ForEachKeyword,
            _ => null,
        };

        private static SyntaxNode? FirstSyntax(BasicBlock block) => (block.Operations.FirstOrDefault() ?? block.BranchValue)?.Syntax;

        private static SyntaxNode? LastSyntax(BasicBlock block) => (block.BranchValue ?? block.Operations.LastOrDefault())?.Syntax;

        private void ReportJoin(BasicBlock block, LockPath path, Held held, Held? other)
        {
            if (LocationOf(block) is { } location)
            {
                _transfer.Facts.Joins.Add(new JoinMismatch(location, path, held, other));
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
    }
}
