using Microsoft.CodeAnalysis;

namespace HmmAnalyzers
{
    /// <summary>
    /// All diagnostic descriptors, created through one factory; the only place that constructs one. An id whose message
    /// takes several shapes has one descriptor per shape (same id, title and description), as CA2000 does.
    /// </summary>
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

        /// <summary>HMM003: {0} the override, {1} the lock it adds, {2} the member it overrides or implements.</summary>
        public static readonly DiagnosticDescriptor HMM003OverrideRequiresMore = Create(
            RuleIdentifiers.MissingRequiredLock,
            "Call without the locks the callee requires",
            "'{0}' requires holding {1}, which '{2}' it overrides or implements does not: callers through '{2}' cannot know to hold it",
            "A method with a [RequiresExclusive] or [RequiresShared] contract is called without the lock held in the required mode.");

        private const string HMM004Title = "Lock acquired while already held";
        private const string HMM004Description =
            "A non-reentrant lock is acquired again by its holder, a read lock's holder asks for the write lock, " +
            "or a method that takes a lock itself ([Excludes]) is called while it is held; either deadlocks.";

        /// <summary>HMM004: {0} the lock, {1} how it is already held.</summary>
        public static readonly DiagnosticDescriptor HMM004Reacquired = Create(
            RuleIdentifiers.DoubleAcquire, HMM004Title, "Acquiring '{0}' while already holding {1}; the lock is not reentrant", HMM004Description);

        /// <summary>HMM004: {0} the lock, {1} how it is asked for ("exclusively", "for upgrade").</summary>
        public static readonly DiagnosticDescriptor HMM004ReadLockUpgraded = Create(
            RuleIdentifiers.DoubleAcquire, HMM004Title,
            "Acquiring '{0}' {1} while holding it shared; a read lock is not upgraded in place (take the upgradeable read lock instead)", HMM004Description);

        /// <summary>HMM004: {0} the method, {1} how its excluded lock is held.</summary>
        public static readonly DiagnosticDescriptor HMM004ExcludedHeld = Create(
            RuleIdentifiers.DoubleAcquire, HMM004Title, "Calling '{0}' while holding {1}, which it acquires itself", HMM004Description);

        private const string HMM005Title = "Lock not released on every path";
        private const string HMM005Description =
            "A lock is still held at the end of the method, is held on only some of the paths that meet at a point, differs between loop iterations, " +
            "is left held when an operation between its acquisition and its release throws, or an [Acquires]/[Releases] contract is not kept.";

        /// <summary>HMM005: {0} the lock, {1} the method (quoted).</summary>
        public static readonly DiagnosticDescriptor HMM005HeldOnSomePath = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title, "'{0}' is acquired here but still held at the end of {1} on some path", HMM005Description);

        /// <summary>HMM005: {0} the lock, {1} the method (quoted).</summary>
        public static readonly DiagnosticDescriptor HMM005HeldOnEveryPath = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title, "'{0}' is acquired here and still held on every return from {1}", HMM005Description);

        /// <summary>HMM005: {0} the lock, {1} the method (quoted), {2} the attribute that would declare it.</summary>
        public static readonly DiagnosticDescriptor HMM005HeldOnEveryPathDeclarable = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title,
            "'{0}' is acquired here and still held on every return from {1}; if {1} is meant to return holding it, declare that with [{2}]", HMM005Description);

        /// <summary>HMM005: {0} the lock.</summary>
        public static readonly DiagnosticDescriptor HMM005Join = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title, "'{0}' is held on some paths reaching this point but not on others", HMM005Description);

        /// <summary>HMM005: {0} the lock, {1} how some paths hold it, {2} how the others do.</summary>
        public static readonly DiagnosticDescriptor HMM005JoinDiffers = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title, "'{0}' is held {1} on some paths reaching this point and {2} on others", HMM005Description);

        /// <summary>HMM005: {0} the lock.</summary>
        public static readonly DiagnosticDescriptor HMM005LoopReleases = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title, "'{0}' is held when this loop starts but released before the next iteration", HMM005Description);

        /// <summary>HMM005: {0} the lock.</summary>
        public static readonly DiagnosticDescriptor HMM005LoopAcquires = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title, "'{0}' is acquired in this loop and still held when the next iteration starts", HMM005Description);

        /// <summary>HMM005: {0} the lock, {1} how the loop starts holding it, {2} how the next iteration does.</summary>
        public static readonly DiagnosticDescriptor HMM005LoopDiffers = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title, "'{0}' is held {1} when this loop starts and {2} when the next iteration starts", HMM005Description);

        /// <summary>HMM005: {0} the lock, {1} the operation that may throw.</summary>
        public static readonly DiagnosticDescriptor HMM005LeakedByException = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title,
            "'{0}' is acquired here but not released if '{1}' throws; release it in a finally block or use a scoped guard (lock, using)", HMM005Description);

        /// <summary>HMM005: {0} the lock, {1} the throw.</summary>
        public static readonly DiagnosticDescriptor HMM005LeakedByThrow = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title,
            "'{0}' is acquired here but still held when '{1}' leaves; release it before the throw, in a finally block, or use a scoped guard (lock, using)", HMM005Description);

        /// <summary>HMM005: {0} the method, {1} the lock.</summary>
        public static readonly DiagnosticDescriptor HMM005AcquiresBroken = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title, "'{0}' promises to return holding '{1}' ([Acquires]) but does not hold it on some return path", HMM005Description);

        /// <summary>HMM005: {0} the method, {1} the lock.</summary>
        public static readonly DiagnosticDescriptor HMM005RequiredReleased = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title,
            "'{0}' requires its callers to hold '{1}' but releases it on some return path; they still expect to hold it (declare [Releases] if it is meant to)",
            HMM005Description);

        /// <summary>HMM005: {0} the method, {1} the lock.</summary>
        public static readonly DiagnosticDescriptor HMM005ReleasesBroken = Create(
            RuleIdentifiers.LockNotReleased, HMM005Title, "'{0}' promises to release '{1}' ([Releases]) but still holds it on some return path", HMM005Description);

        private const string HMM006Title = "Lock released that is not held, or released with the wrong kind";
        private const string HMM006Description =
            "A lock is released that is not held on this path, or a shared hold is released as exclusive (or the reverse).";

        /// <summary>HMM006: {0} the lock, {1} what is held instead.</summary>
        public static readonly DiagnosticDescriptor HMM006NotHeld = Create(
            RuleIdentifiers.ReleaseNotHeld, HMM006Title, "Releasing '{0}', which is not held here; {1}", HMM006Description);

        /// <summary>HMM006: {0} the lock, {1} what is held instead, {2} the method (quoted), {3} the attribute that would declare it.</summary>
        public static readonly DiagnosticDescriptor HMM006NotHeldDeclarable = Create(
            RuleIdentifiers.ReleaseNotHeld, HMM006Title, "Releasing '{0}', which is not held here; {1}; if callers of {2} hold it, declare that with [{3}]", HMM006Description);

        /// <summary>HMM006: {0} the lock, {1} where it is held ("'taken' is true", "'m' is not null").</summary>
        public static readonly DiagnosticDescriptor HMM006MaybeNotHeld = Create(
            RuleIdentifiers.ReleaseNotHeld, HMM006Title, "Releasing '{0}', which is held here only where {1}; elsewhere the release fails, so test that first", HMM006Description);

        /// <summary>HMM006: {0} the lock, {1} the kind of release, {2} the kind it is held in.</summary>
        public static readonly DiagnosticDescriptor HMM006WrongKind = Create(
            RuleIdentifiers.ReleaseNotHeld, HMM006Title, "Releasing '{0}' as {1}, but it is held {2}", HMM006Description);

        private const string HMM007Title = "Lock acquired against the declared order";
        private const string HMM007Description =
            "A lock is acquired while holding one that the [AcquiredBefore]/[AcquiredAfter] declarations say must come after it, or the declarations themselves form a cycle.";

        /// <summary>HMM007: {0} the lock taken, {1} the lock held, {2} the declared chain.</summary>
        public static readonly DiagnosticDescriptor HMM007AgainstOrder = Create(
            RuleIdentifiers.DeclaredOrder, HMM007Title, "Acquiring '{0}' while holding '{1}' is against the declared lock order {2}", HMM007Description);

        /// <summary>HMM007: {0} the cycle.</summary>
        public static readonly DiagnosticDescriptor HMM007DeclaredCycle = Create(
            RuleIdentifiers.DeclaredOrder, HMM007Title, "The declared lock order has a cycle: {0}", HMM007Description);

        public static readonly DiagnosticDescriptor HMM012 = Create(
            RuleIdentifiers.LockOrderCycle,
            "Possible deadlock: circular lock order",
            "Possible circular locking dependency: {0}; the cycle's other acquisitions: {1}",
            "Across the compilation, one path acquires these locks in one order and another path in the opposite order (directly or through calls). " +
            "Two threads taking them concurrently can deadlock.",
            WellKnownDiagnosticTags.CompilationEnd);

        /// <summary>HMM013: {0} the member, {1} the inferred lock, {2} of {3} accesses hold it, {4} "read" or "write", {5} "" or " exclusively".</summary>
        public static readonly DiagnosticDescriptor HMM013 = Create(
            RuleIdentifiers.InconsistentSynchronization,
            "Inconsistent synchronization",
            "'{0}' is accessed under '{1}' in {2} of {3} places; this {4} does not hold it{5}",
            "A member without [GuardedBy] is written under one of its type's locks and accessed under it in most places (at least two thirds), " +
            "but not here. Declare [GuardedBy] to make the rule checked everywhere, or mark the access lock-free (volatile, Volatile, Interlocked).",
            DiagnosticSeverity.Info);

        public static readonly DiagnosticDescriptor HMM008 = Create(
            RuleIdentifiers.SleepInAtomic, "Sleeping call in atomic context", "'{0}' may sleep, but {1}",
            "A call that may block (a [MightSleep] method, a Monitor/ReaderWriterLockSlim/Mutex/semaphore wait, Thread.Sleep, Task.Wait or .Result) " +
            "while a spinning lock is held or in an [AtomicContext] method.");

        public static readonly DiagnosticDescriptor HMM010 = Create(
            RuleIdentifiers.MissingAssertion,
            "Lock requirement not asserted at run time",
            "'{0}' requires holding {1} but does not assert it before its first use (Lockdep.AssertHeld*, or Debug.Assert of the lock's own query)",
            "A method with a [Requires*] contract that callers outside the analysis may reach (visible outside the assembly, virtual, an interface implementation, " +
            "used as a delegate) should check it at run time, like the kernel's lockdep_assert_held, before it touches guarded data or calls out.");

        private const string HMM011Title = "Assertion weaker than the contract";
        private const string HMM011Description =
            "A Lockdep assertion that checks less than the method's contract (held or shared where exclusive is required), or asserts a lock the method excludes.";

        /// <summary>HMM011: {0} the lock, {1} what the assertion checks, {2} the method.</summary>
        public static readonly DiagnosticDescriptor HMM011Weaker = Create(
            RuleIdentifiers.WeakAssertion, HMM011Title, "The assertion checks that '{0}' is {1}, but '{2}' requires it exclusively; assert it exclusively", HMM011Description);

        /// <summary>HMM011: {0} the lock, {1} the method.</summary>
        public static readonly DiagnosticDescriptor HMM011Excluded = Create(
            RuleIdentifiers.WeakAssertion, HMM011Title, "The assertion checks that '{0}' is held, but '{1}' excludes it ([Excludes])", HMM011Description);

        public static readonly DiagnosticDescriptor HMM020 = Create(
            RuleIdentifiers.UseAfterDrop, "Reference used after it was dropped", "'{0}' is used after it was dropped at line {1}",
            "A counted reference is used after a [Drops] call gave it up on some path.");

        public static readonly DiagnosticDescriptor HMM021 = Create(
            RuleIdentifiers.DoubleDrop, "Reference dropped twice", "'{0}' is dropped again; it was already dropped at line {1}",
            "A counted reference is given up twice on some path.");

        public static readonly DiagnosticDescriptor HMM022 = Create(
            RuleIdentifiers.DropBeforeGracePeriod,
            "Reference dropped before the grace period ends",
            "'{0}' is dropped before the grace period of '{1}' ends at line {2}; readers may still use it, so drop it in the deferred free",
            "A [GracePeriodProtected] reference is dropped before the [DeferredFree] call that frees its owner after a grace period; " +
            "(S)RCU readers can still reach it until then.");

        public static readonly DiagnosticDescriptor HMM009 = Create(
            RuleIdentifiers.AwaitWhileHeld, "await while a thread-affine lock is held", "'await' while holding {0}, which must be released by the thread that acquired it",
            "The continuation after 'await' may run on another thread, which cannot release a Monitor, Lock, ReaderWriterLockSlim, Mutex or SpinLock taken before it.");

        public static readonly DiagnosticDescriptor HMM090 = Create(
            RuleIdentifiers.UnresolvedReference, "Lock reference does not resolve", "Lock reference '{0}' does not resolve to a parameter or member{1}",
            "An annotation names a lock that is neither a parameter of the method, a member of the type, nor a member of exactly one parameter's type.");

        /// <summary>HMM090: {0} the argument as written.</summary>
        public static readonly DiagnosticDescriptor HMM090Unreadable = Create(
            RuleIdentifiers.UnresolvedReference, "Lock reference does not resolve", "Lock reference {0} cannot be read: it is not a constant string; the annotation is ignored",
            "An annotation names a lock that is neither a parameter of the method, a member of the type, nor a member of exactly one parameter's type.");

        public static readonly DiagnosticDescriptor HMM091 = Create(
            RuleIdentifiers.AmbiguousReference, "Lock reference is ambiguous", "Lock reference '{0}' is ambiguous: it could be {1}",
            "A bare member name matches a member of more than one parameter's type; qualify it with the parameter name.");

        private const string HMM092Title = "Guard is not a usable lock";
        private const string HMM092Description =
            "A [GuardedBy] guard must be a lock whose identity cannot change: a readonly field of a lock type (a SpinLock field is the exception: it must not be readonly).";

        /// <summary>HMM092: {0} the guarded member, {1} the guard as written, {2} the guard's type.</summary>
        public static readonly DiagnosticDescriptor HMM092NotALock = Create(
            RuleIdentifiers.NotALock, HMM092Title, "'{0}' is guarded by '{1}', a {2}, which is not a lock", HMM092Description);

        /// <summary>HMM092: {0} the lock field, {1} the guarded member.</summary>
        public static readonly DiagnosticDescriptor HMM092NotReadOnly = Create(
            RuleIdentifiers.NotALock, HMM092Title, "'{0}' guards '{1}' but is not readonly; if it is reassigned, threads lock different objects", HMM092Description);

        /// <summary>HMM092: {0} the SpinLock field.</summary>
        public static readonly DiagnosticDescriptor HMM092ReadOnlySpinLock = Create(
            RuleIdentifiers.NotALock, HMM092Title, "'{0}' is a readonly SpinLock field; every call on it operates on a copy, so it must not be readonly", HMM092Description);

        private static DiagnosticDescriptor Create(string id, string title, string message, string description, params string[] tags)
            => Create(id, title, message, description, DiagnosticSeverity.Warning, tags);

        private static DiagnosticDescriptor Create(string id, string title, string message, string description, DiagnosticSeverity severity, params string[] tags)
#pragma warning disable RS0030 // The one place that constructs descriptors.
            => new DiagnosticDescriptor(
                id,
                title,
                message,
                category: "Concurrency",
                defaultSeverity: severity,
                isEnabledByDefault: true,
                description: description,
                helpLinkUri: RuleIdentifiers.HelpLink(id),
                customTags: tags);
#pragma warning restore RS0030
    }
}
