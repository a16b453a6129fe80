using System.Collections.Generic;
using System.Linq;
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

        /// <summary>The own locks held in <paramref name="state"/>, a property that returns a lock field named as that field.</summary>
        public static OwnLocks From(FlowState state, bool forStatic, AnnotationModel model) => From(state.Locks, forStatic, model);

        /// <summary>The own locks that a bool (or a reference's nullness) says are held where it is true or false.</summary>
        public static OwnLocks Carried(FlowState state, bool forStatic, AnnotationModel model)
            => state.Bools.IsEmpty ? Empty : From(state.Bools.Values.SelectMany(b => b.WhenTrue.Concat(b.WhenFalse)), forStatic, model);

        private static OwnLocks From(IEnumerable<KeyValuePair<LockPath, Held>> held, bool forStatic, AnnotationModel model)
        {
            Dictionary<LockPath, bool>? locks = null;
            foreach (var item in held)
            {
                if (CanGuard(item.Key, forStatic))
                {
                    var path = item.Key.Root is null && item.Key.Members.Length == 1 && model.LockIdentity(item.Key) is IFieldSymbol field
                        ? LockPath.This.Append(field)
                        : item.Key;
                    (locks ??= new Dictionary<LockPath, bool>())[path] = item.Value.Satisfies(LockMode.Exclusive);
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
