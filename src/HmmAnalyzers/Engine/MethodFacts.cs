using System.Collections.Generic;
using System.Collections.Immutable;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>A read or write of a <c>[GuardedBy]</c> member, with the lock it needs and the lockset there.</summary>
    internal sealed record GuardedAccess(IOperation Operation, ISymbol Member, bool IsWrite, LockPath Required, LockInfo? Info, FlowState State);

    /// <summary>A lock requirement of a called method, substituted at the call site.</summary>
    internal sealed record Requirement(LockPath Path, LockMode Mode, LockInfo? Info);

    /// <summary>A call (or a property access with a contract) and the lockset at the call.</summary>
    internal sealed record CallFact(IOperation Operation, IMethodSymbol Method, MethodContract Contract,
        ImmutableArray<Requirement> Requires, ImmutableArray<Requirement> Excludes, bool IsBlocking, FlowState State);

    /// <summary>
    /// An acquisition (also a scoped or try-acquisition on its success branch) with the lockset just before it;
    /// <see cref="IsTry"/> for a try-acquire, which never waits for the lock and so orders nothing.
    /// </summary>
    internal sealed record AcquireFact(Location Site, LockPath Path, LockMode Mode, LockInfo Info, Held? Existing, FlowState Before, bool IsTry = false)
    {
        /// <summary>An acquisition its holder cannot make (HMM004): it throws or deadlocks, so it adds no hold.</summary>
        public bool Rejected => Existing is { } existing && Rejects(Info, existing, Mode);

        /// <summary>Whether the holder of <paramref name="existing"/> cannot acquire the lock again in <paramref name="mode"/>.</summary>
        public static bool Rejects(LockInfo info, Held existing, LockMode mode)
        {
            if (info.HasShared && existing.Mode == LockMode.Upgradeable && mode == LockMode.Exclusive)
            {
                return false;
            }

            return IsUpgradeFromShared(info, existing, mode) || !info.Reentrant;
        }

        /// <summary>A read lock's holder asking for the write or upgradeable lock: not even a recursive lock upgrades a read lock in place.</summary>
        public static bool IsUpgradeFromShared(LockInfo info, Held existing, LockMode mode)
            => info.HasShared && existing.Mode == LockMode.Shared && mode is LockMode.Exclusive or LockMode.Upgradeable;
    }

    /// <summary>
    /// A release with the lockset just before it; <see cref="CarriedBy"/> when the lock is not held but a bool (or a
    /// reference's nullness) says where it is: the release is right only where that is true.
    /// </summary>
    internal sealed record ReleaseFact(Location Site, LockPath Path, LockMode Mode, Held? Existing, FlowState Before, ISymbol? CarriedBy = null);

    internal sealed record AwaitFact(IOperation Operation, FlowState State);

    /// <summary>A lock held on some paths into a join but not on others.</summary>
    /// <remarks><see cref="Other"/>: held on every path, but this way (<see cref="Held"/>) on some and that way on others.</remarks>
    internal sealed record JoinMismatch(Location Location, LockPath Path, Held Held, Held? Other = null);

    /// <summary>A back edge whose lockset differs from the loop head's.</summary>
    internal sealed record LoopMismatch(Location Location, LockPath Path, Held? AtHead, Held? OnBackEdge)
    {
        /// <summary>Where the lock came to be held as the back edge or the head has it: the acquisition to point at.</summary>
        public Location Site => (OnBackEdge ?? AtHead)!.Site;
    }

    /// <summary>A lock still held where the method returns; <see cref="OnEveryPath"/> when every return holds it.</summary>
    internal sealed record HeldAtExit(LockPath Path, Held Held, Location Exit, bool OnEveryPath);

    /// <summary>An <c>[Acquires]</c>/<c>[Releases]</c> contract the method does not keep on some return path.</summary>
    /// <remarks><see cref="Required"/>: the lock is one the method requires (held on entry, so its callers expect it held on return).</remarks>
    internal sealed record ContractBroken(LockPath Path, bool ShouldBeHeld, Location Exit, bool Required = false);

    /// <summary>
    /// An operation that may throw (<see cref="IsThrow"/>: a <c>throw</c>) while <see cref="Path"/>, acquired in the
    /// function, is held: if nothing on the exception's way out releases it, the lock is left held.
    /// </summary>
    internal sealed record ThrowPoint(SyntaxNode Thrower, bool IsThrow, LockPath Path, Held Held);

    /// <summary>A lock the function acquired that an exception from <see cref="Thrower"/> leaves held: no finally or handler on its way out releases it.</summary>
    internal sealed record LeakOnThrow(LockPath Path, Held Held, SyntaxNode Thrower, bool IsThrow);

    internal sealed record AssertFact(IOperation Operation, LockPath Path, LockMode Mode, FlowState Before);

    /// <summary>A use of a reference that may have been dropped.</summary>
    internal sealed record UseAfterDrop(IOperation Operation, LockPath Path, Location DropSite);

    /// <summary>A drop of a counted reference; <see cref="Previous"/> is set when it may already have been dropped.</summary>
    internal sealed record DropFact(IOperation Operation, LockPath Path, Location? Previous);

    /// <summary>A call that frees <see cref="Owner"/> after a grace period, with the references dropped before it.</summary>
    internal sealed record DeferredFreeFact(IOperation Operation, LockPath Owner, FlowState State);

    /// <summary>Everything the engine learned about one method, lambda or local function; rules read only this.</summary>
    internal sealed class MethodFacts
    {
        public MethodFacts(ISymbol symbol, MethodContract contract, IOperation root, Location nameLocation, bool isNested)
        {
            Symbol = symbol;
            Contract = contract;
            Root = root;
            NameLocation = nameLocation;
            IsNested = isNested;
        }

        /// <summary>The method, lambda or local function.</summary>
        public ISymbol Symbol { get; }

        public MethodContract Contract { get; }

        public IOperation Root { get; }

        public Location NameLocation { get; }

        /// <summary>A lambda or local function, analyzed with the state of its enclosing method.</summary>
        public bool IsNested { get; }

        /// <summary>The contract's own requirements as lock paths with their modes (the entry lockset).</summary>
        public List<Requirement> EntryRequirements { get; } = new();

        public List<GuardedAccess> Accesses { get; } = new();

        /// <summary>Accesses to unannotated members of the function's own type, for guard inference (HMM013).</summary>
        public List<ObservedAccess> Observed { get; } = new();

        public List<CallFact> Calls { get; } = new();

        public List<AcquireFact> Acquisitions { get; } = new();

        /// <summary>Locals whose locks were taken here and that only hold objects this method created: no other thread can hold those locks yet.</summary>
        public HashSet<ISymbol> FreshObjects { get; } = new(SymbolEqualityComparer.Default);

        public List<ReleaseFact> Releases { get; } = new();

        /// <summary>
        /// The locks the function asks whether it holds (<c>IsWriteLockHeld</c>, <c>Monitor.IsEntered(x)</c>): it takes or
        /// gives them back by the answer, for its callers, on purpose.
        /// </summary>
        public HashSet<LockPath> Queried { get; } = new();

        public List<AwaitFact> Awaits { get; } = new();

        public List<JoinMismatch> Joins { get; } = new();

        public List<LoopMismatch> Loops { get; } = new();

        public List<HeldAtExit> Exits { get; } = new();

        public List<ContractBroken> BrokenContracts { get; } = new();

        /// <summary>The operations that may throw while a lock acquired here is held, as the drivers met them.</summary>
        public List<ThrowPoint> ThrowPoints { get; } = new();

        /// <summary>The acquisitions an exception leaves held, each with the first operation that may throw it (<see cref="ExceptionExits"/>).</summary>
        public List<LeakOnThrow> LeaksOnThrow { get; } = new();

        public List<AssertFact> Asserts { get; } = new();

        public List<UseAfterDrop> Uses { get; } = new();

        public List<DropFact> Drops { get; } = new();

        public List<DeferredFreeFact> DeferredFrees { get; } = new();

        /// <summary>Operations in evaluation order that touch guarded data or call out (for "assert before first use").</summary>
        public List<IOperation> FirstEffects { get; } = new();
    }

    internal static class OperationExtensions
    {
        public static IOperation WithoutConversions(this IOperation operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        /// <summary>The outermost conversion around <paramref name="operation"/> (or itself): what its consumer, the parent of that, sees.</summary>
        public static IOperation ThroughConversions(this IOperation operation)
        {
            while (operation.Parent is IConversionOperation conversion)
            {
                operation = conversion;
            }

            return operation;
        }
    }
}
