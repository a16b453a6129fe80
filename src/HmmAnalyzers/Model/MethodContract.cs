using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Model
{
    /// <summary>A lock reference with the mode the contract names.</summary>
    internal readonly struct ContractLock
    {
        public ContractLock(LockReference reference, LockMode mode)
        {
            Reference = reference;
            Mode = mode;
        }

        public LockReference Reference { get; }

        public LockMode Mode { get; }

        public LockPath? Path => Reference.Path;
    }

    internal static class ContractLocks
    {
        /// <summary>Whether one of <paramref name="locks"/> names <paramref name="path"/>.</summary>
        public static bool Names(this ImmutableArray<ContractLock> locks, LockPath path)
        {
            foreach (var item in locks)
            {
                if (item.Path?.Equals(path) == true)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A try-acquire contract: <see cref="Locks"/> are held where the result equals <see cref="Success"/>.</summary>
    internal readonly struct TryContract
    {
        public TryContract(bool success, ImmutableArray<ContractLock> locks)
        {
            Success = success;
            Locks = locks;
        }

        public bool Success { get; }

        public ImmutableArray<ContractLock> Locks { get; }
    }

    /// <summary>Everything the annotations say about one method (or property accessor, or constructor); immutable once read, so <see cref="Empty"/> is shared safely.</summary>
    internal sealed class MethodContract
    {
        public static readonly MethodContract Empty = new MethodContract();

        public ImmutableArray<ContractLock> Requires { get; init; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<ContractLock> Excludes { get; init; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<ContractLock> Acquires { get; init; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<ContractLock> Releases { get; init; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<TryContract> TryAcquires { get; init; } = ImmutableArray<TryContract>.Empty;

        public ImmutableArray<ContractLock> Asserts { get; init; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<IParameterSymbol> DroppedParameters { get; init; } = ImmutableArray<IParameterSymbol>.Empty;

        public bool DropsThis { get; init; }

        /// <summary>Parameters whose argument's object is freed after a grace period (<c>[DeferredFree]</c>).</summary>
        public ImmutableArray<IParameterSymbol> DeferredFreeParameters { get; init; } = ImmutableArray<IParameterSymbol>.Empty;

        public bool MightSleep { get; init; }

        public bool AtomicContext { get; init; }

        public bool NoLockAnalysis { get; init; }

        /// <summary>Whether the method belongs to a <c>[LockType]</c> or <c>[ScopedLock]</c> type and acquires or releases: it implements the lock.</summary>
        public bool IsLockImplementation { get; init; }

        /// <summary>Whether the engine leaves the method's body alone: <c>[NoLockAnalysis]</c>, or the method implements a lock.</summary>
        public bool IsNotAnalyzed => NoLockAnalysis || IsLockImplementation;

        /// <summary>Whether calling the method takes or gives up a lock: <c>[Acquires*]</c>, <c>[Releases*]</c>, <c>[TryAcquires*]</c>.</summary>
        public bool ChangesLocks => !Acquires.IsEmpty || !Releases.IsEmpty || !TryAcquires.IsEmpty;

        /// <summary>Whether calling the method gives up counted references: <c>[Drops]</c>, <c>[DeferredFree]</c>.</summary>
        public bool ChangesReferences => !DroppedParameters.IsEmpty || DropsThis || !DeferredFreeParameters.IsEmpty;

        /// <summary>The overridden or implemented member whose lock contract this method has, not declaring its own.</summary>
        public IMethodSymbol? InheritedFrom { get; init; }

        public bool IsEmpty =>
            Requires.IsEmpty && Excludes.IsEmpty && Acquires.IsEmpty && Releases.IsEmpty && TryAcquires.IsEmpty &&
            Asserts.IsEmpty && DroppedParameters.IsEmpty && DeferredFreeParameters.IsEmpty && !DropsThis && !MightSleep && !AtomicContext && !NoLockAnalysis;
    }
}
