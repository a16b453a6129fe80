using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Model
{
    /// <summary>
    /// The lock order declared with <c>[AcquiredBefore]</c>/<c>[AcquiredAfter]</c> on lock fields and properties of the
    /// compilation: an edge a → b means a is acquired before b. Locks are identified by their declaring member.
    /// </summary>
    internal sealed class DeclaredLockOrder
    {
        private readonly Dictionary<ISymbol, List<(ISymbol To, LockReference Reference)>> _edges = new(SymbolEqualityComparer.Default);

        public static DeclaredLockOrder Build(Compilation compilation, AnnotationModel model)
        {
            var order = new DeclaredLockOrder();
            var buffer = new char[8192];
            if (!compilation.SyntaxTrees.Any(tree => MentionsDeclaredOrder(tree, buffer)))
            {
                return order;
            }

            foreach (var type in compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type).OfType<INamedTypeSymbol>())
            {
                foreach (var member in type.GetMembers().Where(m => m is IFieldSymbol or IPropertySymbol))
                {
                    foreach (var reference in model.AllReferences(member))
                    {
                        var name = AttributeNames.NameOf(reference.Attribute);
                        if (name is not (AttributeNames.AcquiredBefore or AttributeNames.AcquiredAfter) || reference.Path?.Identity is not { } other)
                        {
                            continue;
                        }

                        if (name == AttributeNames.AcquiredBefore)
                        {
                            order.Add(member, other.OriginalDefinition, reference);
                        }
                        else
                        {
                            order.Add(other.OriginalDefinition, member, reference);
                        }
                    }
                }
            }

            return order;
        }

        public bool IsEmpty => _edges.Count == 0;

        private const string Acquired = "Acquired";

        /// <summary>
        /// Whether a file's text names <c>AcquiredBefore</c> or <c>AcquiredAfter</c> at all. An attribute (or an alias
        /// of it) is written with its name somewhere in the compilation's source, so when no file has the text, no
        /// declaration needs binding: most compilations declare no lock order, and finding that out this way reads
        /// no attribute of any member.
        /// </summary>
        private static bool MentionsDeclaredOrder(SyntaxTree tree, char[] buffer)
        {
            if (!tree.TryGetText(out var text))
            {
                return true;
            }

            const int overlap = 16;
            for (var start = 0; start < text.Length; start += buffer.Length - overlap)
            {
                var count = Math.Min(buffer.Length, text.Length - start);
                text.CopyTo(start, buffer, 0, count);
                if (MentionsDeclaredOrder(new ReadOnlySpan<char>(buffer, 0, count)))
                {
                    return true;
                }

                if (start + count >= text.Length)
                {
                    break;
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="text"/> contains "AcquiredBefore" or "AcquiredAfter" (a vectorized search for "Acquired").</summary>
        private static bool MentionsDeclaredOrder(ReadOnlySpan<char> text)
        {
            var index = text.IndexOf(Acquired.AsSpan());
            while (index >= 0)
            {
                var rest = text.Slice(index + Acquired.Length);
                if (rest.StartsWith("Before".AsSpan()) || rest.StartsWith("After".AsSpan()))
                {
                    return true;
                }

                text = rest;
                index = text.IndexOf(Acquired.AsSpan());
            }

            return false;
        }

        /// <summary>The declared chain from <paramref name="from"/> to <paramref name="to"/> (both included), or null.</summary>
        public List<ISymbol>? Chain(ISymbol from, ISymbol to)
        {
            var previous = new Dictionary<ISymbol, ISymbol>(SymbolEqualityComparer.Default);
            var queue = new Queue<ISymbol>();
            queue.Enqueue(from);
            previous[from] = from;
            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                if (!_edges.TryGetValue(current, out var next))
                {
                    continue;
                }

                foreach (var (target, _) in next)
                {
                    if (previous.ContainsKey(target))
                    {
                        if (SymbolEqualityComparer.Default.Equals(target, to))
                        {
                            return Path(previous, current, from).Append(to).ToList();
                        }

                        continue;
                    }

                    previous[target] = current;
                    if (SymbolEqualityComparer.Default.Equals(target, to))
                    {
                        return Path(previous, to, from).ToList();
                    }

                    queue.Enqueue(target);
                }
            }

            return null;
        }

        /// <summary>The declarations that start at <paramref name="member"/> (for reporting a cycle on its attribute).</summary>
        public IEnumerable<(ISymbol To, LockReference Reference)> EdgesFrom(ISymbol member)
            => _edges.TryGetValue(member, out var list) ? list : Enumerable.Empty<(ISymbol, LockReference)>();

        private void Add(ISymbol from, ISymbol to, LockReference reference)
        {
            if (!_edges.TryGetValue(from, out var list))
            {
                _edges[from] = list = new List<(ISymbol, LockReference)>();
            }

            list.Add((to, reference));
        }

        private static IEnumerable<ISymbol> Path(Dictionary<ISymbol, ISymbol> previous, ISymbol last, ISymbol first)
        {
            var path = new List<ISymbol> { last };
            var current = last;
            while (!SymbolEqualityComparer.Default.Equals(current, first))
            {
                current = previous[current];
                path.Add(current);
            }

            path.Reverse();
            return path;
        }
    }
}
