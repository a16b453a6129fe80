using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Model
{
    /// <summary>Which expression names the lock a framework call acts on.</summary>
    internal enum LockOperand
    {
        /// <summary>The receiver: <c>_rw.EnterReadLock()</c>.</summary>
        Receiver,

        /// <summary>The first argument: <c>Monitor.Enter(_gate)</c>.</summary>
        FirstArgument,

        /// <summary>The lock a scope object was opened on: <c>scope.Dispose()</c> of <c>Lock.EnterScope()</c>.</summary>
        Scope,
    }

    /// <summary>One framework member the analyzer knows: what it does to a lock, in which mode, and whether it may block.</summary>
    internal sealed class LockApiEntry
    {
        public LockApiEntry(
            KnownType type, string member, LockEffectKind? effect, LockMode mode = LockMode.Exclusive, bool blocking = false, LockMode? heldQuery = null,
            LockOperand operand = LockOperand.Receiver, Func<IMethodSymbol, bool>? applies = null, bool onlyNamedLocks = false)
        {
            Type = type;
            Member = member;
            Effect = effect;
            Mode = mode;
            Blocking = blocking;
            HeldQuery = heldQuery;
            Operand = operand;
            Applies = applies;
            OnlyNamedLocks = onlyNamedLocks;
        }

        /// <summary>The type the member is looked up on: the receiver's, or the declaring type's for static members.</summary>
        public KnownType Type { get; }

        /// <summary>The method's name (a property's, for held queries; <c>get_Result</c> for <c>Task.Result</c>).</summary>
        public string Member { get; }

        /// <summary>What a call does to the lock; null for a member that only blocks or queries.</summary>
        public LockEffectKind? Effect { get; }

        public LockMode Mode { get; }

        /// <summary>Whether the call may block the thread (for sleeping under a spinning lock or in an atomic context).</summary>
        public bool Blocking { get; }

        /// <summary>For a query (<c>Monitor.IsEntered</c>, <c>IsWriteLockHeld</c>): the mode it checks the lock is held in.</summary>
        public LockMode? HeldQuery { get; }

        public LockOperand Operand { get; }

        /// <summary>Which overloads the entry is about (null: all).</summary>
        public Func<IMethodSymbol, bool>? Applies { get; }

        /// <summary>A semaphore is a lock only where an annotation names it as one.</summary>
        public bool OnlyNamedLocks { get; }

        public bool ChangesLocks => Effect is not null;

        public bool IsTryAcquire => Effect == LockEffectKind.TryAcquire;
    }

    /// <summary>
    /// The one table of the framework's lock APIs: (type, member) to effect, mode, blocking, try-acquire, held query.
    /// The transfer functions, the relevance scan and the rules all read it; a member missing here is unknown to all.
    /// </summary>
    internal static class LockApiTable
    {
        private const LockEffectKind Acquire = LockEffectKind.Acquire;
        private const LockEffectKind Release = LockEffectKind.Release;
        private const LockEffectKind TryAcquire = LockEffectKind.TryAcquire;

        public static ImmutableArray<LockApiEntry> Entries { get; } = ImmutableArray.Create(
            // Monitor: static; the lock is the first argument; a 'ref bool' argument receives "taken".
            new LockApiEntry(KnownType.Monitor, "Enter", Acquire, blocking: true, operand: LockOperand.FirstArgument),
            new LockApiEntry(KnownType.Monitor, "TryEnter", TryAcquire, blocking: true, operand: LockOperand.FirstArgument, applies: HasTimeout),
            new LockApiEntry(KnownType.Monitor, "TryEnter", TryAcquire, operand: LockOperand.FirstArgument),
            new LockApiEntry(KnownType.Monitor, "Exit", Release, operand: LockOperand.FirstArgument),
            new LockApiEntry(KnownType.Monitor, "IsEntered", null, heldQuery: LockMode.Exclusive, operand: LockOperand.FirstArgument),
            new LockApiEntry(KnownType.Monitor, "Wait", null, blocking: true, operand: LockOperand.FirstArgument),

            // System.Threading.Lock and the scope its EnterScope returns.
            new LockApiEntry(KnownType.Lock, "Enter", Acquire, blocking: true),
            new LockApiEntry(KnownType.Lock, "TryEnter", TryAcquire),
            new LockApiEntry(KnownType.Lock, "Exit", Release),
            new LockApiEntry(KnownType.Lock, "EnterScope", LockEffectKind.Scope, blocking: true),
            new LockApiEntry(KnownType.Lock, "IsHeldByCurrentThread", null, heldQuery: LockMode.Exclusive),
            new LockApiEntry(KnownType.LockScope, "Dispose", Release, operand: LockOperand.Scope),

            // ReaderWriterLockSlim.
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "EnterReadLock", Acquire, LockMode.Shared, blocking: true),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "EnterWriteLock", Acquire, LockMode.Exclusive, blocking: true),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "EnterUpgradeableReadLock", Acquire, LockMode.Upgradeable, blocking: true),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "TryEnterReadLock", TryAcquire, LockMode.Shared),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "TryEnterWriteLock", TryAcquire, LockMode.Exclusive),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "TryEnterUpgradeableReadLock", TryAcquire, LockMode.Upgradeable),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "ExitReadLock", Release, LockMode.Shared),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "ExitWriteLock", Release, LockMode.Exclusive),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "ExitUpgradeableReadLock", Release, LockMode.Upgradeable),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "IsReadLockHeld", null, heldQuery: LockMode.Shared),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "IsWriteLockHeld", null, heldQuery: LockMode.Exclusive),
            new LockApiEntry(KnownType.ReaderWriterLockSlim, "IsUpgradeableReadLockHeld", null, heldQuery: LockMode.Upgradeable),

            // SpinLock: spins, never blocks; a 'ref bool' argument receives "taken".
            new LockApiEntry(KnownType.SpinLock, "Enter", Acquire),
            new LockApiEntry(KnownType.SpinLock, "TryEnter", TryAcquire),
            new LockApiEntry(KnownType.SpinLock, "Exit", Release),
            new LockApiEntry(KnownType.SpinLock, "IsHeldByCurrentThread", null, heldQuery: LockMode.Exclusive),

            // Mutex (WaitOne is declared on WaitHandle, which says it blocks; the receiver is the Mutex).
            new LockApiEntry(KnownType.Mutex, "WaitOne", Acquire, applies: NoParameters),
            new LockApiEntry(KnownType.Mutex, "WaitOne", TryAcquire),
            new LockApiEntry(KnownType.Mutex, "ReleaseMutex", Release),

            // Semaphores are locks only where an annotation names them as one.
            new LockApiEntry(KnownType.SemaphoreSlim, "Wait", TryAcquire, blocking: true, applies: ReturnsBool, onlyNamedLocks: true),
            new LockApiEntry(KnownType.SemaphoreSlim, "Wait", Acquire, blocking: true, onlyNamedLocks: true),
            new LockApiEntry(KnownType.SemaphoreSlim, "WaitAsync", TryAcquire, applies: ReturnsBool, onlyNamedLocks: true),
            new LockApiEntry(KnownType.SemaphoreSlim, "WaitAsync", Acquire, onlyNamedLocks: true),
            new LockApiEntry(KnownType.SemaphoreSlim, "Release", Release, applies: NoParameters, onlyNamedLocks: true),
            new LockApiEntry(KnownType.Semaphore, "WaitOne", Acquire, applies: NoParameters, onlyNamedLocks: true),
            new LockApiEntry(KnownType.Semaphore, "WaitOne", TryAcquire, onlyNamedLocks: true),
            new LockApiEntry(KnownType.Semaphore, "Release", Release, applies: NoParameters, onlyNamedLocks: true),

            // Calls that block without changing a lock.
            new LockApiEntry(KnownType.WaitHandle, "WaitOne", null, blocking: true),
            new LockApiEntry(KnownType.WaitHandle, "WaitAll", null, blocking: true),
            new LockApiEntry(KnownType.WaitHandle, "WaitAny", null, blocking: true),
            new LockApiEntry(KnownType.Thread, "Sleep", null, blocking: true),
            new LockApiEntry(KnownType.Thread, "Join", null, blocking: true),
            new LockApiEntry(KnownType.Task, "Wait", null, blocking: true),
            new LockApiEntry(KnownType.Task, "WaitAll", null, blocking: true),
            new LockApiEntry(KnownType.Task, "WaitAny", null, blocking: true),
            new LockApiEntry(KnownType.TaskOfT, "get_Result", null, blocking: true));

        private static readonly Dictionary<KnownType, LockApiEntry[]> ByType =
            Entries.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.ToArray());

        private static readonly HashSet<string> HeldQueryNames = new(Entries.Where(e => e.HeldQuery is not null).Select(e => e.Member), StringComparer.Ordinal);

        /// <summary>Whether a member of this name may ask whether a lock is held (a test by name, before any by type).</summary>
        public static bool MayBeHeldQuery(string member) => HeldQueryNames.Contains(member);

        /// <summary>The entry for <paramref name="method"/> looked up on <paramref name="type"/>: the first whose name and overload match.</summary>
        public static LockApiEntry? Find(IMethodSymbol method, KnownType type)
            => Find(method.Name, method, type);

        /// <summary>The entry for a member (a method, or a property for held queries) of <paramref name="type"/>.</summary>
        public static LockApiEntry? Find(string member, IMethodSymbol? method, KnownType type)
        {
            if (type == KnownType.None || !ByType.TryGetValue(type, out var entries))
            {
                return null;
            }

            foreach (var entry in entries)
            {
                if (entry.Member == member && (entry.Applies is null || (method is not null && entry.Applies(method))))
                {
                    return entry;
                }
            }

            return null;
        }

        /// <summary>
        /// The entry that says what a call does to a lock: a static call by its declaring type (Monitor), an instance call
        /// by its receiver's type (Mutex's WaitOne is declared on WaitHandle).
        /// </summary>
        public static LockApiEntry? ForCall(IMethodSymbol method, ITypeSymbol? receiverType)
        {
            // Every member in the table is declared on a framework type the analyzer knows: a call declared anywhere else
            // (nearly every call in ordinary code) is answered without looking at its receiver.
            var declaring = KnownTypes.Of(method.ContainingType);
            return declaring switch
            {
                KnownType.None => null,
                KnownType.Monitor => Find(method, declaring),
                _ => Find(method, KnownTypes.Of(receiverType)),
            };
        }

        /// <summary>Whether a call may take, give up or try a lock (a semaphore counts even where no annotation names it).</summary>
        public static bool MayChangeLocks(IMethodSymbol method, ITypeSymbol? receiverType)
            => ForCall(method, receiverType)?.ChangesLocks == true;

        /// <summary>Whether a call may block the thread, by the member's own type or, for wait handles, any type derived from WaitHandle.</summary>
        public static bool IsBlocking(IMethodSymbol method)
        {
            var type = method.ContainingType;
            var entry = Find(method, KnownTypes.Of(type));
            if (entry is null && KnownTypes.InheritsFrom(type, KnownType.WaitHandle))
            {
                entry = Find(method, KnownType.WaitHandle);
            }

            return entry?.Blocking == true;
        }

        private static bool HasTimeout(IMethodSymbol method)
            => method.Parameters.Length > 1 && method.Parameters[1].Type.SpecialType != SpecialType.System_Boolean;

        private static bool NoParameters(IMethodSymbol method) => method.Parameters.IsEmpty;

        private static bool ReturnsBool(IMethodSymbol method)
            => method.ReturnType.SpecialType == SpecialType.System_Boolean ||
                (method.ReturnType is INamedTypeSymbol { IsGenericType: true } task && task.TypeArguments[0].SpecialType == SpecialType.System_Boolean);
    }
}
