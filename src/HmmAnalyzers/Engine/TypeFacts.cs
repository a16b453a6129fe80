using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Engine
{
    /// <summary>A method the engine did not run on (it touches no lock), with what guard inference still needs from it.</summary>
    /// <param name="Observed">Its references to watched members of its type, all made without a lock.</param>
    /// <param name="Callees">The methods it calls, outside lambdas.</param>
    internal sealed record UnanalyzedMethod(IMethodSymbol Method, IReadOnlyList<IOperation> Observed, IReadOnlyList<IMethodSymbol> Callees);

    /// <summary>
    /// What the engine learned about the functions of one type, gathered while its members are analyzed (concurrently)
    /// and read when the type is done: the input of guard inference (HMM013).
    /// </summary>
    internal sealed class TypeFacts
    {
        private readonly object _sync = new();
        private readonly List<MethodFacts> _analyzed = new();
        private readonly List<UnanalyzedMethod> _unanalyzed = new();
        private HashSet<MemberEntry>? _filterScope;

        public TypeFacts(INamedTypeSymbol type) => Type = type;

        public INamedTypeSymbol Type { get; }

        /// <summary>The facts of the analyzed methods, lambdas and local functions that touch a watched member or call a method.</summary>
        public IReadOnlyList<MethodFacts> Analyzed => _analyzed;

        public IReadOnlyList<UnanalyzedMethod> Unanalyzed => _unanalyzed;

        /// <summary>
        /// The members of the type that the syntax pre-filter keeps for guard inference. Found outside any lock, so that the
        /// type's other members, analyzed concurrently, never wait for it; should two threads find it, both find the same.
        /// </summary>
        public HashSet<MemberEntry> FilterScope(System.Func<HashSet<MemberEntry>> find)
        {
            if (System.Threading.Volatile.Read(ref _filterScope) is { } found)
            {
                return found;
            }

            var scope = find();
            return System.Threading.Interlocked.CompareExchange(ref _filterScope, scope, null) ?? scope;
        }

        public void Add(MethodFacts facts)
        {
            if (facts.Observed.Count == 0 && facts.Calls.Count == 0)
            {
                return;
            }

            lock (_sync)
            {
                _analyzed.Add(facts);
            }
        }

        public void Add(IMethodSymbol method, List<IOperation> observed, List<IMethodSymbol> callees)
        {
            if (observed.Count == 0 && callees.Count == 0)
            {
                return;
            }

            lock (_sync)
            {
                _unanalyzed.Add(new UnanalyzedMethod(method, observed, callees));
            }
        }
    }
}
