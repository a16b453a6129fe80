using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// Which members of a type guard inference (HMM013) needs to see, by names: the members that take a lock, the private
    /// and internal helpers they call (a helper called with the lock held writes under it), every member that names a
    /// field, property or event one of those may write (a guard is inferred only for data written under a lock), and
    /// every member that calls a helper that names such data, or calls a helper that does, transitively (whether a helper
    /// runs under a lock or only during construction depends on all its callers). The rest of the type touches no data
    /// that can get a guard. Each step follows the names once (work lists).
    /// </summary>
    internal static class InferenceScope
    {
        /// <param name="mutators">Whether some method carries <c>[Mutates]</c>, so that calling a method on data may write it.</param>
        public static HashSet<MemberEntry> Of(INamedTypeSymbol type, Func<MemberEntry, bool> takesLock, bool mutators, CancellationToken cancellationToken)
        {
            var entries = new List<MemberEntry>();
            var dataNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                var index = TreeIndex.Of(reference.SyntaxTree, cancellationToken);
                entries.AddRange(index.MembersOf(reference.Span.Start));
                dataNames.UnionWith(index.DataNamesOf(reference.Span.Start));
            }

            var scope = new HashSet<MemberEntry>();
            var work = new Stack<MemberEntry>();
            foreach (var entry in entries)
            {
                if (takesLock(entry) && scope.Add(entry))
                {
                    work.Push(entry);
                }
            }

            if (scope.Count == 0)
            {
                return scope;
            }

            var declaring = Map(entries, e => e.Names);
            var users = Map(entries, e => e.References);

            // The helpers the locking code calls, transitively: they run with its locks held (other callees run without).
            Follow(work, scope, declaring, e => e.References, e => e.IsHelper);

            // The members that name the data those may write (the members they call are in already).
            var named = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in scope)
            {
                named.UnionWith(Array.FindAll(entry.Written, dataNames.Contains));
                if (mutators)
                {
                    named.UnionWith(Array.FindAll(entry.Accessed, dataNames.Contains));
                }
            }

            foreach (var name in named)
            {
                foreach (var user in users.TryGetValue(name, out var list) ? list : new List<MemberEntry>())
                {
                    scope.Add(user);
                }
            }

            // The callers of the helpers among them that name that data, and of the helpers that call those, transitively: a
            // helper's context (the locks its callers hold, whether only constructors call it) comes from all its callers, and
            // matters only where it reaches such an access.
            AddCallers(scope, users, named);
            return scope;
        }

        private static void AddCallers(HashSet<MemberEntry> scope, Dictionary<string, List<MemberEntry>> users, HashSet<string> named)
        {
            var work = new Stack<MemberEntry>();
            foreach (var entry in scope)
            {
                if (entry.IsHelper && Array.Exists(entry.References, named.Contains))
                {
                    work.Push(entry);
                }
            }

            var visited = new HashSet<MemberEntry>(work);
            while (work.Count > 0)
            {
                foreach (var name in work.Pop().Names)
                {
                    foreach (var caller in users.TryGetValue(name, out var list) ? list : new List<MemberEntry>())
                    {
                        scope.Add(caller);
                        if (caller.IsHelper && visited.Add(caller))
                        {
                            work.Push(caller);
                        }
                    }
                }
            }
        }

        /// <summary>Adds to <paramref name="scope"/> every entry admitted that the map gives for the names of the entries in the work list, transitively.</summary>
        private static void Follow(
            Stack<MemberEntry> work, HashSet<MemberEntry> scope, Dictionary<string, List<MemberEntry>> map, Func<MemberEntry, string[]> names, Func<MemberEntry, bool> admit)
        {
            while (work.Count > 0)
            {
                foreach (var name in names(work.Pop()))
                {
                    if (map.TryGetValue(name, out var list))
                    {
                        foreach (var next in list)
                        {
                            if (admit(next) && scope.Add(next))
                            {
                                work.Push(next);
                            }
                        }
                    }
                }
            }
        }

        private static Dictionary<string, List<MemberEntry>> Map(List<MemberEntry> entries, Func<MemberEntry, string[]> keys)
        {
            var map = new Dictionary<string, List<MemberEntry>>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                foreach (var key in keys(entry))
                {
                    if (!map.TryGetValue(key, out var list))
                    {
                        map[key] = list = new List<MemberEntry>();
                    }

                    list.Add(entry);
                }
            }

            return map;
        }
    }
}
