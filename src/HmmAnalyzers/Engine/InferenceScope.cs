using System;
using System.Collections.Generic;
using System.Linq;
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
            foreach (var (index, start) in TreeIndex.DeclarationsOf(type, cancellationToken))
            {
                entries.AddRange(index.MembersOf(start));
                dataNames.UnionWith(index.DataNamesOf(start));
            }

            var scope = new HashSet<MemberEntry>();
            foreach (var entry in entries)
            {
                if (takesLock(entry))
                {
                    scope.Add(entry);
                }
            }

            if (scope.Count == 0)
            {
                return scope;
            }

            var declaring = Map(entries, e => e.Names);
            var users = Map(entries, e => e.References);

            // The helpers the locking code calls, transitively: they run with its locks held (other callees run without).
            Follow(scope.ToList(), scope, declaring, e => e.References, admit: e => e.IsHelper, follow: _ => true);

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
                scope.UnionWith(users.TryGetValue(name, out var list) ? list : NoEntries);
            }

            // The callers of the helpers among them that name that data, and of the helpers that call those, transitively: a
            // helper's context (the locks its callers hold, whether only constructors call it) comes from all its callers, and
            // matters only where it reaches such an access.
            var contextual = scope.Where(e => e.IsHelper && Array.Exists(e.References, named.Contains)).ToList();
            Follow(contextual, scope, users, e => e.Names, admit: _ => true, follow: e => e.IsHelper);
            return scope;
        }

        private static readonly List<MemberEntry> NoEntries = new();

        /// <summary>
        /// From the entries of <paramref name="start"/>, transitively: the entries the map gives for their names are added to
        /// <paramref name="scope"/> when admitted, and followed in turn when <paramref name="follow"/> says so.
        /// </summary>
        private static void Follow(
            List<MemberEntry> start,
            HashSet<MemberEntry> scope,
            Dictionary<string, List<MemberEntry>> map,
            Func<MemberEntry, string[]> names,
            Func<MemberEntry, bool> admit,
            Func<MemberEntry, bool> follow)
        {
            var work = new Stack<MemberEntry>(start);
            var visited = new HashSet<MemberEntry>(start);
            while (work.Count > 0)
            {
                foreach (var name in names(work.Pop()))
                {
                    foreach (var next in map.TryGetValue(name, out var list) ? list : NoEntries)
                    {
                        if (admit(next))
                        {
                            scope.Add(next);
                            if (follow(next) && visited.Add(next))
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
