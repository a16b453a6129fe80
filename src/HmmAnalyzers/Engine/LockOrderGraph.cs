using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// Static lockdep: the compilation-wide graph of "acquired L2 while holding L1", with locks identified by their
    /// declaring member. Edges come from nested acquisitions in a method and from calls into methods that may take a
    /// lock (summaries over the compilation's call graph, recursion included, and <c>[Excludes]</c> contracts).
    /// At the end of the compilation it finds each cycle once; HMM012 reports them.
    /// </summary>
    internal sealed class LockOrderGraph
    {
        private readonly AnnotationModel _model;
        private readonly ConcurrentBag<Edge> _edges = new();
        private readonly ConcurrentBag<CallSite> _calls = new();
        private readonly ConcurrentBag<(ISymbol Method, ISymbol Lock)> _direct = new();
        private readonly ConcurrentDictionary<ISymbol, byte> _visited = new(SymbolEqualityComparer.Default);
        private readonly Func<IMethodSymbol, CancellationToken, IReadOnlyList<IMethodSymbol>>? _calleesOf;

        /// <summary>An order edge; <see cref="ThroughCall"/> when the second lock is taken by a callee.</summary>
        private sealed record Edge(ISymbol From, ISymbol To, Location Site, bool ThroughCall = false);

        private sealed record CallSite(ISymbol Caller, IMethodSymbol Callee, ISymbol[] Held, ISymbol[] Excluded, Location Site);

        /// <param name="calleesOf">
        /// The calls of a method that was not visited while the compilation was analyzed (the syntax pre-filter left it
        /// unbound): asked at the end, only for the methods that a call made under a lock reaches.
        /// </param>
        public LockOrderGraph(AnnotationModel model, Func<IMethodSymbol, CancellationToken, IReadOnlyList<IMethodSymbol>>? calleesOf = null)
        {
            _model = model;
            _calleesOf = calleesOf;
        }

        /// <summary>The member a lock path names, for lock order: a field or property (not a local or a parameter).</summary>
        private ISymbol? IdentityOf(LockPath path) => _model.LockIdentity(path);

        public static string NameOf(ISymbol symbol) => symbol.ContainingType is { } type ? type.Name + "." + symbol.Name : symbol.Name;

        public static (string, int) SourceOrder(ISymbol symbol)
        {
            var location = symbol.Locations.FirstOrDefault();
            return (location?.SourceTree?.FilePath ?? string.Empty, location?.SourceSpan.Start ?? 0);
        }

        public void Record(MethodFacts facts)
        {
            var owner = facts.Symbol.OriginalDefinition;
            _visited.TryAdd(owner, 0);
            foreach (var acquisition in facts.Acquisitions)
            {
                // A try-acquire never waits for the lock, so it cannot close a deadlock: it orders nothing (as in lockdep).
                if (acquisition.IsTry || IdentityOf(acquisition.Path) is not { } taken)
                {
                    continue;
                }

                // Nor does the lock of an object this method created and has not published: no other thread can hold it.
                if (IsFresh(facts, acquisition.Path))
                {
                    continue;
                }

                _direct.Add((owner, taken));

                // Entering a lock again that this path already holds cannot wait for it: it orders nothing.
                if (acquisition.Existing is not null)
                {
                    continue;
                }

                foreach (var held in acquisition.Before.Locks.Keys)
                {
                    if (!IsFresh(facts, held) && IdentityOf(held) is { } holding && !SymbolEqualityComparer.Default.Equals(holding, taken))
                    {
                        _edges.Add(new Edge(holding, taken, acquisition.Site));
                    }
                }
            }

            var assembly = facts.Symbol.ContainingAssembly;
            foreach (var call in facts.Calls)
            {
                // A method of another assembly contributes only through its [Excludes] contract.
                var sameAssembly = SymbolEqualityComparer.Default.Equals(call.Method.ContainingAssembly, assembly);
                var excluded = call.Excludes.IsEmpty ? Array.Empty<ISymbol>() : Identities(call.Excludes.Select(e => e.Path));
                if (excluded.Length == 0 && !sameAssembly)
                {
                    continue;
                }

                var held = call.State.Locks.IsEmpty ? Array.Empty<ISymbol>()
                    : facts.FreshObjects.Count == 0 ? Identities(call.State.Locks.Keys)
                    : Identities(call.State.Locks.Keys.Where(k => !IsFresh(facts, k)));

                // The site is only reported for an edge, and edges need a held lock.
                var site = held.Length == 0 ? Location.None : call.Operation.Syntax.GetLocation();
                _calls.Add(new CallSite(owner, (IMethodSymbol)call.Method.OriginalDefinition, held, excluded, site));
            }
        }

        private static bool IsFresh(MethodFacts facts, LockPath path) => path.Root is { } root && facts.FreshObjects.Contains(root);

        /// <summary>The declaring members of the paths that have one.</summary>
        private ISymbol[] Identities(IEnumerable<LockPath> paths)
        {
            List<ISymbol>? identities = null;
            foreach (var path in paths)
            {
                if (IdentityOf(path) is { } identity)
                {
                    (identities ??= new List<ISymbol>()).Add(identity);
                }
            }

            return identities?.ToArray() ?? Array.Empty<ISymbol>();
        }

        /// <summary>The calls of a method that holds no lock anywhere: they still carry the callees' locks to its callers.</summary>
        public void RecordCalls(IMethodSymbol method, IReadOnlyList<IMethodSymbol> callees)
        {
            var owner = method.OriginalDefinition;
            _visited.TryAdd(owner, 0);
            foreach (var callee in callees)
            {
                if (SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, method.ContainingAssembly))
                {
                    _calls.Add(new CallSite(owner, callee.OriginalDefinition, Array.Empty<ISymbol>(), Array.Empty<ISymbol>(), Location.None));
                }
            }
        }

        /// <summary>
        /// The cycles of the graph, each once, at its first acquisition site in source order with the other sites; cycles
        /// that share their first site are one (the shortest found names the problem).
        /// </summary>
        public List<LockCycle> FindCycles(CancellationToken cancellationToken)
        {
            var adjacency = Adjacency(cancellationToken);
            var cycles = new List<LockCycle>();
            var reported = new HashSet<string>(StringComparer.Ordinal);
            var reportedAt = new HashSet<Location>();
            var component = Components(adjacency);
            foreach (var edge in adjacency.Values.SelectMany(l => l))
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Only an edge inside a strongly connected component can close a cycle.
                if (component[edge.From] != component[edge.To] || ShortestPath(adjacency, edge.To, edge.From) is not { } back)
                {
                    continue;
                }

                var cycle = new List<Edge> { edge };
                cycle.AddRange(back);
                if (cycle.Any(AgainstDeclaredOrder))
                {
                    continue;
                }

                var names = cycle.Select(e => NameOf(e.From)).ToList();
                var start = names.IndexOf(names.OrderBy(n => n, StringComparer.Ordinal).First());
                var rotated = names.Skip(start).Concat(names.Take(start)).ToList();
                var sites = cycle.Select(e => e.Site).OrderBy(l => l.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(l => l.SourceSpan.Start).ToList();
                if (reported.Add(string.Join(" -> ", rotated)) && reportedAt.Add(sites[0]))
                {
                    cycles.Add(new LockCycle(rotated.Append(names[start]).ToList(), sites[0], sites.Skip(1).ToList()));
                }
            }

            return cycles;
        }

        /// <summary>
        /// An acquisition in the method itself against the declared order: HMM007 reports it, and the declaration
        /// explains the cycle it closes, so the cycle is not reported again.
        /// </summary>
        private bool AgainstDeclaredOrder(Edge edge)
            => !edge.ThroughCall && !_model.DeclaredOrder.IsEmpty && _model.DeclaredOrder.Chain(edge.To, edge.From) is not null;

        /// <summary>Every edge, direct and through calls, by its source lock; of parallel edges the first in source order.</summary>
        private Dictionary<ISymbol, List<Edge>> Adjacency(CancellationToken cancellationToken)
        {
            var edges = _edges.ToList();
            edges.AddRange(CallEdges(cancellationToken));
            var adjacency = new Dictionary<ISymbol, List<Edge>>(SymbolEqualityComparer.Default);
            foreach (var edge in edges.OrderBy(e => e.Site.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(e => e.Site.SourceSpan.Start))
            {
                if (!adjacency.TryGetValue(edge.From, out var list))
                {
                    adjacency[edge.From] = list = new List<Edge>();
                }

                if (!list.Any(e => SymbolEqualityComparer.Default.Equals(e.To, edge.To)))
                {
                    list.Add(edge);
                }
            }

            return adjacency;
        }

        /// <summary>Edges from calls: what the callee may take (transitively), while the caller holds something.</summary>
        private IEnumerable<Edge> CallEdges(CancellationToken cancellationToken)
        {
            var mayTake = MayTake(cancellationToken);
            foreach (var call in _calls)
            {
                if (call.Held.Length == 0 || !mayTake.TryGetValue(call.Callee, out var taken))
                {
                    continue;
                }

                foreach (var lockTaken in taken)
                {
                    // A lock the caller already holds is entered again by the callee, not newly taken: no order.
                    if (call.Held.Contains(lockTaken, SymbolEqualityComparer.Default))
                    {
                        continue;
                    }

                    foreach (var holding in call.Held)
                    {
                        if (!SymbolEqualityComparer.Default.Equals(holding, lockTaken))
                        {
                            yield return new Edge(holding, lockTaken, call.Site, ThroughCall: true);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The summary of every method: the locks it may take, itself, through its <c>[Excludes]</c> contract or through
        /// its callees (a fixpoint over the call graph, which converges on recursion because the sets only grow).
        /// </summary>
        private Dictionary<ISymbol, HashSet<ISymbol>> MayTake(CancellationToken cancellationToken)
        {
            VisitReachedCallees(cancellationToken);
            var calls = _calls.GroupBy(c => c.Caller, SymbolEqualityComparer.Default).ToDictionary(g => g.Key!, g => g.ToList(), SymbolEqualityComparer.Default);
            var mayTake = new Dictionary<ISymbol, HashSet<ISymbol>>(SymbolEqualityComparer.Default);
            HashSet<ISymbol> Set(ISymbol method)
            {
                if (!mayTake.TryGetValue(method, out var set))
                {
                    mayTake[method] = set = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                }

                return set;
            }

            foreach (var (method, taken) in _direct)
            {
                Set(method).Add(taken);
            }

            foreach (var call in _calls)
            {
                Set(call.Callee).UnionWith(call.Excluded);
            }

            var changed = true;
            while (changed)
            {
                cancellationToken.ThrowIfCancellationRequested();
                changed = false;
                foreach (var entry in calls)
                {
                    var set = Set(entry.Key);
                    foreach (var call in entry.Value)
                    {
                        var before = set.Count;
                        set.UnionWith(Set(call.Callee));
                        changed |= set.Count != before;
                    }
                }
            }

            return mayTake;
        }

        /// <summary>
        /// Records the calls of every method that a call made under a lock reaches and that was not visited: only those
        /// summaries can add an edge. Methods that nothing calls under a lock are never bound for the lock order.
        /// </summary>
        private void VisitReachedCallees(CancellationToken cancellationToken)
        {
            if (_calleesOf is null)
            {
                return;
            }

            var work = new Stack<IMethodSymbol>(_calls.Where(c => c.Held.Length > 0).Select(c => c.Callee));
            while (work.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var method = work.Pop();
                if (!_visited.TryAdd(method, 0))
                {
                    continue;
                }

                var callees = _calleesOf(method, cancellationToken);
                RecordCalls(method, callees);
                foreach (var callee in callees)
                {
                    if (SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, method.ContainingAssembly))
                    {
                        work.Push(callee.OriginalDefinition);
                    }
                }
            }
        }

        /// <summary>Tarjan's strongly connected components (iterative): the component number of every node.</summary>
        private static Dictionary<ISymbol, int> Components(Dictionary<ISymbol, List<Edge>> adjacency)
        {
            var tarjan = new Tarjan(adjacency);
            foreach (var root in adjacency.Keys.Concat(adjacency.Values.SelectMany(l => l).Select(e => e.To)).Distinct(SymbolEqualityComparer.Default).ToList())
            {
                tarjan.Visit(root);
            }

            return tarjan.Component;
        }

        /// <summary>The state of Tarjan's algorithm over one graph, with an explicit work stack instead of recursion.</summary>
        private sealed class Tarjan
        {
            private readonly Dictionary<ISymbol, List<Edge>> _adjacency;
            private readonly Dictionary<ISymbol, int> _index = new(SymbolEqualityComparer.Default);
            private readonly Dictionary<ISymbol, int> _low = new(SymbolEqualityComparer.Default);
            private readonly HashSet<ISymbol> _onStack = new(SymbolEqualityComparer.Default);
            private readonly Stack<ISymbol> _stack = new();
            private int _counter;
            private int _components;

            public Tarjan(Dictionary<ISymbol, List<Edge>> adjacency) => _adjacency = adjacency;

            public Dictionary<ISymbol, int> Component { get; } = new(SymbolEqualityComparer.Default);

            public void Visit(ISymbol root)
            {
                if (_index.ContainsKey(root))
                {
                    return;
                }

                var work = new Stack<(ISymbol Node, int Next)>();
                Enter(root, work);
                while (work.Count > 0)
                {
                    var (node, next) = work.Pop();
                    var edges = _adjacency.TryGetValue(node, out var list) ? list : null;
                    if (edges is not null && next < edges.Count)
                    {
                        work.Push((node, next + 1));
                        var target = edges[next].To;
                        if (!_index.ContainsKey(target))
                        {
                            Enter(target, work);
                        }
                        else if (_onStack.Contains(target))
                        {
                            _low[node] = Math.Min(_low[node], _index[target]);
                        }

                        continue;
                    }

                    Leave(node);
                    if (work.Count > 0)
                    {
                        var parent = work.Peek().Node;
                        _low[parent] = Math.Min(_low[parent], _low[node]);
                    }
                }
            }

            private void Enter(ISymbol node, Stack<(ISymbol Node, int Next)> work)
            {
                _index[node] = _low[node] = _counter++;
                _stack.Push(node);
                _onStack.Add(node);
                work.Push((node, 0));
            }

            /// <summary>A node whose edges are all explored: the root of a component pops it.</summary>
            private void Leave(ISymbol node)
            {
                if (_low[node] != _index[node])
                {
                    return;
                }

                ISymbol member;
                do
                {
                    member = _stack.Pop();
                    _onStack.Remove(member);
                    Component[member] = _components;
                }
                while (!SymbolEqualityComparer.Default.Equals(member, node));
                _components++;
            }
        }

        private static List<Edge>? ShortestPath(Dictionary<ISymbol, List<Edge>> adjacency, ISymbol from, ISymbol to)
        {
            var via = new Dictionary<ISymbol, Edge?>(SymbolEqualityComparer.Default) { [from] = null };
            var queue = new Queue<ISymbol>();
            queue.Enqueue(from);
            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                if (SymbolEqualityComparer.Default.Equals(current, to))
                {
                    var path = new List<Edge>();
                    for (var edge = via[current]; edge is not null; edge = via[edge.From])
                    {
                        path.Add(edge);
                    }

                    path.Reverse();
                    return path;
                }

                if (!adjacency.TryGetValue(current, out var next))
                {
                    continue;
                }

                foreach (var edge in next)
                {
                    if (!via.ContainsKey(edge.To))
                    {
                        via[edge.To] = edge;
                        queue.Enqueue(edge.To);
                    }
                }
            }

            return null;
        }
    }

    /// <summary>A cycle in the lock order: the locks' names around it (the first repeated at the end), where it is reported, and its other sites.</summary>
    internal sealed record LockCycle(IReadOnlyList<string> Locks, Location Site, IReadOnlyList<Location> OtherSites);
}
