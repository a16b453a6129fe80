using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

// Written for C# 7.3, without nullable annotations: the package compiles this file into projects that may use it.
#pragma warning disable CS8600, CS8603, CS8618, CS8625, CS8765

namespace HmmAnalyzers.Annotations
{
    /// <summary>
    /// Lockdep's order validation, as the kernel's: each thread keeps the locks it holds; acquiring a lock of class B
    /// while holding one of class A records the dependency A -> B the first time it is seen, with where; an
    /// acquisition that would close a cycle of dependencies is refused before it happens, whether or not two threads
    /// ever met there. The dependencies already known are read without a lock (the fast path); a new one is checked
    /// and added under one lock, and the stack trace of where it was first seen is taken only then.
    /// </summary>
    internal static class LockdepOrder
    {
        /// <summary>The locks the current thread holds, oldest first: the object and its lock class.</summary>
        [ThreadStatic]
        private static List<KeyValuePair<object, string>> _held;

        /// <summary>Every dependency known, to where it was first seen.</summary>
        private static readonly ConcurrentDictionary<Dependency, string> Known = new ConcurrentDictionary<Dependency, string>();

        /// <summary>The dependencies from each class, for the cycle search; changed only under <see cref="Gate"/>.</summary>
        private static readonly Dictionary<string, List<string>> After = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        private static readonly object Gate = new object();

        private static volatile bool _disabled;

        public static bool Enabled
        {
            get { return !_disabled; }
            set { _disabled = !value; }
        }

        public static int DependencyCount => Known.Count;

        public static int ClassCount
        {
            get
            {
                lock (Gate)
                {
                    var classes = new HashSet<string>(After.Keys, StringComparer.Ordinal);
                    foreach (var next in After.Values)
                    {
                        classes.UnionWith(next);
                    }

                    return classes.Count;
                }
            }
        }

        public static void Acquired(object lockObject, string lockClass, bool tryLock)
        {
            if (_disabled)
            {
                return;
            }

            var held = _held;
            if (held == null)
            {
                held = _held = new List<KeyValuePair<object, string>>(4);
            }

            // A try-acquire never waits, so it closes no deadlock; re-entering a held lock waits for nothing.
            if (!tryLock && !Holds(held, lockObject))
            {
                for (var i = 0; i < held.Count; i++)
                {
                    var holding = held[i].Value;
                    if (!string.Equals(holding, lockClass, StringComparison.Ordinal) && !Known.ContainsKey(Key(holding, lockClass)))
                    {
                        Learn(holding, lockClass);
                    }
                }
            }

            held.Add(new KeyValuePair<object, string>(lockObject, lockClass));
        }

        public static void Released(object lockObject)
        {
            var held = _held;
            if (held == null)
            {
                return;
            }

            for (var i = held.Count - 1; i >= 0; i--)
            {
                if (ReferenceEquals(held[i].Key, lockObject))
                {
                    held.RemoveAt(i);
                    return;
                }
            }
        }

        private static bool Holds(List<KeyValuePair<object, string>> held, object lockObject)
        {
            for (var i = 0; i < held.Count; i++)
            {
                if (ReferenceEquals(held[i].Key, lockObject))
                {
                    return true;
                }
            }

            return false;
        }

        private static Dependency Key(string from, string to) => new Dependency(from, to);

        /// <summary>A -> B, compared by the classes' names: a key the fast path builds without allocating.</summary>
        private struct Dependency : IEquatable<Dependency>
        {
            private readonly string _from;
            private readonly string _to;

            public Dependency(string from, string to)
            {
                _from = from;
                _to = to;
            }

            public bool Equals(Dependency other)
                => string.Equals(_from, other._from, StringComparison.Ordinal) && string.Equals(_to, other._to, StringComparison.Ordinal);

            public override bool Equals(object obj) => obj is Dependency other && Equals(other);

            public override int GetHashCode() => (StringComparer.Ordinal.GetHashCode(_from) * 31) ^ StringComparer.Ordinal.GetHashCode(_to);
        }

        /// <summary>Adds <paramref name="from"/> -> <paramref name="to"/>, or throws when <paramref name="to"/> already leads back to <paramref name="from"/>.</summary>
        private static void Learn(string from, string to)
        {
            lock (Gate)
            {
                if (Known.ContainsKey(Key(from, to)))
                {
                    return;
                }

                var back = Path(to, from);
                if (back != null)
                {
                    throw new LockdepException(to, Describe(from, to, back));
                }

                List<string> next;
                if (!After.TryGetValue(from, out next))
                {
                    After[from] = next = new List<string>();
                }

                next.Add(to);
                Known[Key(from, to)] = new StackTrace(3, true).ToString();
            }
        }

        /// <summary>The classes from <paramref name="start"/> to <paramref name="goal"/> along known dependencies (both included), or null.</summary>
        private static List<string> Path(string start, string goal)
        {
            var previous = new Dictionary<string, string>(StringComparer.Ordinal) { { start, null } };
            var queue = new Queue<string>();
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                if (string.Equals(current, goal, StringComparison.Ordinal))
                {
                    var path = new List<string>();
                    for (var at = current; at != null; at = previous[at])
                    {
                        path.Insert(0, at);
                    }

                    return path;
                }

                List<string> next;
                if (After.TryGetValue(current, out next))
                {
                    foreach (var target in next)
                    {
                        if (!previous.ContainsKey(target))
                        {
                            previous[target] = current;
                            queue.Enqueue(target);
                        }
                    }
                }
            }

            return null;
        }

        private static string Describe(string holding, string acquiring, List<string> back)
        {
            var text = new StringBuilder();
            text.Append("Lockdep: possible circular locking dependency: acquiring '").Append(acquiring)
                .Append("' while holding '").Append(holding).Append("'; the cycle is '").Append(holding).Append("'");
            foreach (var name in back)
            {
                text.Append(" -> '").Append(name).Append("'");
            }

            text.Append('.');
            for (var i = 0; i + 1 < back.Count; i++)
            {
                text.AppendLine().Append("'").Append(back[i]).Append("' -> '").Append(back[i + 1]).Append("' was first seen at:").AppendLine()
                    .Append(Known[Key(back[i], back[i + 1])].TrimEnd());
            }

            return text.ToString();
        }
    }
}
