using System.Collections.Generic;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The locks of a lockset that can guard a member of the function's own type: its own members (<c>this._gate</c>),
    /// <c>this</c> itself and static locks (only static ones for a static member), each with whether it is held
    /// exclusively. Immutable.
    /// </summary>
    internal sealed class OwnLocks
    {
        private readonly Dictionary<LockPath, bool> _exclusive;

        private OwnLocks(Dictionary<LockPath, bool> exclusive) => _exclusive = exclusive;

        public static OwnLocks Empty { get; } = new(new Dictionary<LockPath, bool>());

        public IEnumerable<LockPath> Paths => _exclusive.Keys;

        public bool IsEmpty => _exclusive.Count == 0;

        public static OwnLocks From(FlowState state, bool forStatic)
        {
            Dictionary<LockPath, bool>? locks = null;
            foreach (var held in state.Locks)
            {
                if (CanGuard(held.Key, forStatic))
                {
                    (locks ??= new Dictionary<LockPath, bool>())[held.Key] = held.Value.Satisfies(LockMode.Exclusive);
                }
            }

            return locks is null ? Empty : new OwnLocks(locks);
        }

        /// <summary>Whether <paramref name="path"/> can guard a member of the type: a static lock, or (for an instance member) <c>this</c> or one of its members.</summary>
        public static bool CanGuard(LockPath path, bool forStatic)
            => path.Root is IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true }
                ? path.Members.IsEmpty
                : !forStatic && path.Root is null && path.Members.Length <= 1;

        /// <summary>Whether the lock is held, exclusively for a write.</summary>
        public bool Holds(LockPath path, bool write) => _exclusive.TryGetValue(path, out var exclusive) && (exclusive || !write);

        /// <summary>Every lock of either set, exclusive where either holds it exclusively.</summary>
        public OwnLocks Union(OwnLocks other)
        {
            if (other.IsEmpty || ReferenceEquals(this, other))
            {
                return this;
            }

            if (IsEmpty)
            {
                return other;
            }

            var union = new Dictionary<LockPath, bool>(_exclusive);
            foreach (var item in other._exclusive)
            {
                union[item.Key] = item.Value || (union.TryGetValue(item.Key, out var mine) && mine);
            }

            return new OwnLocks(union);
        }

        /// <summary>The locks held in both sets, exclusive where both hold them exclusively; a null set is every lock.</summary>
        public static OwnLocks Intersect(OwnLocks? left, OwnLocks right)
        {
            if (left is null || ReferenceEquals(left, right))
            {
                return right;
            }

            Dictionary<LockPath, bool>? common = null;
            foreach (var item in left._exclusive)
            {
                if (right._exclusive.TryGetValue(item.Key, out var other))
                {
                    (common ??= new Dictionary<LockPath, bool>())[item.Key] = item.Value && other;
                }
            }

            return common is null ? Empty : new OwnLocks(common);
        }

        public bool SameAs(OwnLocks other)
        {
            if (other._exclusive.Count != _exclusive.Count)
            {
                return false;
            }

            foreach (var item in _exclusive)
            {
                if (!other._exclusive.TryGetValue(item.Key, out var exclusive) || exclusive != item.Value)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
