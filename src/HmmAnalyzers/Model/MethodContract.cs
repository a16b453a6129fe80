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

    /// <summary>Everything the annotations say about one method (or property accessor, or constructor).</summary>
    internal sealed class MethodContract
    {
        public static readonly MethodContract Empty = new MethodContract();

        public ImmutableArray<ContractLock> Requires { get; set; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<ContractLock> Excludes { get; set; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<ContractLock> Acquires { get; set; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<ContractLock> Releases { get; set; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<TryContract> TryAcquires { get; set; } = ImmutableArray<TryContract>.Empty;

        public ImmutableArray<ContractLock> Asserts { get; set; } = ImmutableArray<ContractLock>.Empty;

        public ImmutableArray<IParameterSymbol> DroppedParameters { get; set; } = ImmutableArray<IParameterSymbol>.Empty;

        public bool DropsThis { get; set; }

        /// <summary>Parameters whose argument's object is freed after a grace period (<c>[DeferredFree]</c>).</summary>
        public ImmutableArray<IParameterSymbol> DeferredFreeParameters { get; set; } = ImmutableArray<IParameterSymbol>.Empty;

        public bool MightSleep { get; set; }

        public bool AtomicContext { get; set; }

        public bool NoLockAnalysis { get; set; }

        /// <summary>Whether the method belongs to a <c>[LockType]</c> or <c>[ScopedLock]</c> type and acquires or releases: it implements the lock.</summary>
        public bool IsLockImplementation { get; set; }

        /// <summary>Whether calling the method takes or gives up a lock: <c>[Acquires*]</c>, <c>[Releases*]</c>, <c>[TryAcquires*]</c>.</summary>
        public bool ChangesLocks => !Acquires.IsEmpty || !Releases.IsEmpty || !TryAcquires.IsEmpty;

        /// <summary>Whether calling the method gives up counted references: <c>[Drops]</c>, <c>[DeferredFree]</c>.</summary>
        public bool ChangesReferences => !DroppedParameters.IsEmpty || DropsThis || !DeferredFreeParameters.IsEmpty;

        public bool IsEmpty =>
            Requires.IsEmpty && Excludes.IsEmpty && Acquires.IsEmpty && Releases.IsEmpty && TryAcquires.IsEmpty &&
            Asserts.IsEmpty && DroppedParameters.IsEmpty && DeferredFreeParameters.IsEmpty && !DropsThis && !MightSleep && !AtomicContext && !NoLockAnalysis;
    }
}
