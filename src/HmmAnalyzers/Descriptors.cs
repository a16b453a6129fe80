using Microsoft.CodeAnalysis;

namespace HmmAnalyzers
{
    /// <summary>All diagnostic descriptors, created through one factory.</summary>
    internal static class Descriptors
    {
        public static readonly DiagnosticDescriptor HMM001 = Create(
            RuleIdentifiers.GuardedRead, "Guarded member read without its lock", "Reading '{0}' requires holding {1}; {2}",
            "A member marked [GuardedBy] is read (or passed by 'in'/'ref') while its lock is not held.");

        public static readonly DiagnosticDescriptor HMM002 = Create(
            RuleIdentifiers.GuardedWrite, "Guarded member written without its lock held exclusively", "Writing '{0}' requires holding {1}; {2}",
            "A member marked [GuardedBy] is assigned, incremented, or passed by 'out'/'ref' while its lock is not held exclusively.");

        public static readonly DiagnosticDescriptor HMM003 = Create(
            RuleIdentifiers.MissingRequiredLock, "Call without the locks the callee requires", "Calling '{0}' requires holding {1}; {2}",
            "A method with a [RequiresExclusive] or [RequiresShared] contract is called without the lock held in the required mode.");

        public static readonly DiagnosticDescriptor HMM004 = Create(
            RuleIdentifiers.DoubleAcquire, "Lock acquired while already held", "{0}",
            "A non-reentrant lock is acquired again by its holder, or a method that takes a lock itself ([Excludes]) is called while it is held; either deadlocks.");

        public static readonly DiagnosticDescriptor HMM005 = Create(
            RuleIdentifiers.LockNotReleased, "Lock not released on every path", "{0}",
            "A lock is still held at the end of the method, is held on only some of the paths that meet at a point, differs between loop iterations, or an [Acquires]/[Releases] contract is not kept.");

        public static readonly DiagnosticDescriptor HMM006 = Create(
            RuleIdentifiers.ReleaseNotHeld, "Lock released that is not held, or released with the wrong kind", "{0}",
            "A lock is released that is not held on this path, or a shared hold is released as exclusive (or the reverse).");

        public static readonly DiagnosticDescriptor HMM007 = Create(
            RuleIdentifiers.DeclaredOrder, "Lock acquired against the declared order", "{0}",
            "A lock is acquired while holding one that the [AcquiredBefore]/[AcquiredAfter] declarations say must come after it, or the declarations themselves form a cycle.");

        public static readonly DiagnosticDescriptor HMM012 = Create(
            RuleIdentifiers.LockOrderCycle, "Possible deadlock: circular lock order", "Possible circular locking dependency: {0}; these locks are taken in opposite orders at the marked sites",
            "Across the compilation, one path acquires these locks in one order and another path in the opposite order (directly or through calls). Two threads taking them concurrently can deadlock.",
            WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor HMM008 = Create(
            RuleIdentifiers.SleepInAtomic, "Sleeping call in atomic context", "'{0}' may sleep, but {1}",
            "A call that may block (a [MightSleep] method, a Monitor/ReaderWriterLockSlim/Mutex/semaphore wait, Thread.Sleep, Task.Wait or .Result) while a spinning lock is held or in an [AtomicContext] method.");

        public static readonly DiagnosticDescriptor HMM010 = Create(
            RuleIdentifiers.MissingAssertion, "Lock requirement not asserted at run time", "'{0}' requires holding {1} but does not assert it with Lockdep before its first use",
            "A method with a [Requires*] contract should check it at run time, like the kernel's lockdep_assert_held, before it touches guarded data or calls out.");

        public static readonly DiagnosticDescriptor HMM011 = Create(
            RuleIdentifiers.WeakAssertion, "Assertion weaker than the contract", "{0}",
            "A Lockdep assertion that checks less than the method's contract (held or shared where exclusive is required), or asserts a lock the method excludes.");

        public static readonly DiagnosticDescriptor HMM020 = Create(
            RuleIdentifiers.UseAfterDrop, "Reference used after it was dropped", "'{0}' is used after it was dropped at line {1}",
            "A counted reference is used after a [Drops] call gave it up on some path.");

        public static readonly DiagnosticDescriptor HMM021 = Create(
            RuleIdentifiers.DoubleDrop, "Reference dropped twice", "'{0}' is dropped again; it was already dropped at line {1}",
            "A counted reference is given up twice on some path.");

        public static readonly DiagnosticDescriptor HMM022 = Create(
            RuleIdentifiers.DropBeforeGracePeriod, "Reference dropped before the grace period ends", "'{0}' is dropped before the grace period of '{1}' ends at line {2}; readers may still use it, so drop it in the deferred free",
            "A [GracePeriodProtected] reference is dropped before the [DeferredFree] call that frees its owner after a grace period; (S)RCU readers can still reach it until then.");

        public static readonly DiagnosticDescriptor HMM009 = Create(
            RuleIdentifiers.AwaitWhileHeld, "await while a thread-affine lock is held", "'await' while holding {0}, which must be released by the thread that acquired it",
            "The continuation after 'await' may run on another thread, which cannot release a Monitor, Lock, ReaderWriterLockSlim, Mutex or SpinLock taken before it.");

        public static readonly DiagnosticDescriptor HMM090 = Create(
            RuleIdentifiers.UnresolvedReference, "Lock reference does not resolve", "Lock reference '{0}' does not resolve to a parameter or member{1}",
            "An annotation names a lock that is neither a parameter of the method, a member of the type, nor a member of exactly one parameter's type.");

        public static readonly DiagnosticDescriptor HMM091 = Create(
            RuleIdentifiers.AmbiguousReference, "Lock reference is ambiguous", "Lock reference '{0}' is ambiguous: it could be {1}",
            "A bare member name matches a member of more than one parameter's type; qualify it with the parameter name.");

        public static readonly DiagnosticDescriptor HMM092 = Create(
            RuleIdentifiers.NotALock, "Guard is not a usable lock", "{0}",
            "A [GuardedBy] guard must be a lock whose identity cannot change: a readonly field of a lock type (a SpinLock field is the exception: it must not be readonly).");

        private static DiagnosticDescriptor Create(string id, string title, string message, string description, params string[] tags)
            => new DiagnosticDescriptor(
                id,
                title,
                message,
                category: "Concurrency",
                defaultSeverity: DiagnosticSeverity.Warning,
                isEnabledByDefault: true,
                description: description,
                helpLinkUri: RuleIdentifiers.HelpLink(id),
                customTags: tags);
    }
}
