using System;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Model
{
    /// <summary>
    /// A symbolic lock or reference path: a root (<c>this</c>, a parameter, a local or a static member)
    /// followed by a chain of instance members. <c>hmm.Mm.PageTableLock</c> is the parameter <c>hmm</c>
    /// with the chain <c>Mm</c>, <c>PageTableLock</c>.
    /// </summary>
    internal sealed class LockPath : IEquatable<LockPath>
    {
        private readonly int _hash;

        private LockPath(ISymbol? root, ImmutableArray<ISymbol> members)
        {
            Root = root;
            Members = members;
            var hash = root is null ? 17 : SymbolEqualityComparer.Default.GetHashCode(root);
            foreach (var member in members)
            {
                hash = unchecked((hash * 31) + SymbolEqualityComparer.Default.GetHashCode(member));
            }

            _hash = hash;
        }

        public static LockPath This { get; } = new LockPath(null, ImmutableArray<ISymbol>.Empty);

        /// <summary>The root: null for <c>this</c>, else a parameter, a local, or a static field or property.</summary>
        public ISymbol? Root { get; }

        public ImmutableArray<ISymbol> Members { get; }

        public bool IsThis => Root is null && Members.IsEmpty;

        /// <summary>The last symbol of the path (null for <c>this</c>).</summary>
        public ISymbol? Last => Members.IsEmpty ? Root : Members[Members.Length - 1];

        public static LockPath ForRoot(ISymbol root) => new LockPath(root.OriginalDefinition, ImmutableArray<ISymbol>.Empty);

        public LockPath Append(ISymbol member) => new LockPath(Root, Members.Add(member.OriginalDefinition));

        public LockPath Append(ImmutableArray<ISymbol> members) => members.IsEmpty ? this : new LockPath(Root, Members.AddRange(members));

        /// <summary>Replaces the root of this path by <paramref name="prefix"/>.</summary>
        public LockPath Rebase(LockPath prefix) => prefix.Append(Members);

        /// <summary>Whether <paramref name="prefix"/> is this path or one of its prefixes.</summary>
        public bool StartsWith(LockPath prefix)
        {
            if (!SymbolEqualityComparer.Default.Equals(Root, prefix.Root) || prefix.Members.Length > Members.Length)
            {
                return false;
            }

            for (var i = 0; i < prefix.Members.Length; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(Members[i], prefix.Members[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The symbol that identifies the lock across instances (the declaring member), used for lock order.</summary>
        public ISymbol? Identity => Last;

        public bool Equals(LockPath? other)
        {
            if (other is null || other._hash != _hash || other.Members.Length != Members.Length)
            {
                return false;
            }

            return StartsWith(other);
        }

        public override bool Equals(object? obj) => Equals(obj as LockPath);

        public override int GetHashCode() => _hash;

        public override string ToString()
        {
            var builder = new StringBuilder();
            switch (Root)
            {
                case null:
                    if (Members.IsEmpty)
                    {
                        return "this";
                    }

                    break;
                case IParameterSymbol or ILocalSymbol:
                    builder.Append(Root.Name);
                    break;
                default:
                    builder.Append(Root.ContainingType?.Name).Append('.').Append(Root.Name);
                    break;
            }

            foreach (var member in Members)
            {
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }

                builder.Append(member.Name);
            }

            return builder.ToString();
        }
    }
}
