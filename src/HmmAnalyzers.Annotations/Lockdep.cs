using System.Runtime.CompilerServices;
using System.Threading;

namespace HmmAnalyzers.Annotations
{
    /// <summary>
    /// Run-time lock assertions, the counterpart of the kernel's <c>lockdep_assert_held</c>.
    /// The analyzer knows them through their <c>AssertsHeld*</c> attributes.
    /// </summary>
    public static class Lockdep
    {
        /// <summary>
        /// Whether Lockdep learns the order in which lock classes are taken and refuses an acquisition that would close a
        /// cycle (<see cref="TrackedLock"/>, <see cref="Acquired"/>); on by default. Turning it off stops both.
        /// </summary>
        public static bool OrderChecks
        {
            get => LockdepOrder.Enabled;
            set => LockdepOrder.Enabled = value;
        }

        /// <summary>
        /// Records that the current thread is about to take (or, for <paramref name="tryLock"/>, has taken)
        /// <paramref name="lockObject"/> of class <paramref name="lockClass"/>: the hook for lock types of your own. Taking a
        /// class while holding another records that order; an acquisition that would close a cycle of such orders throws
        /// <see cref="LockdepException"/> and records nothing, so call it before taking the lock. A try-acquire adds no
        /// order; taking a lock the thread holds already adds none either.
        /// </summary>
        public static void Acquired(object lockObject, string lockClass, bool tryLock = false)
            => LockdepOrder.Acquired(lockObject, lockClass, tryLock);

        /// <summary>How many lock classes the order validation has seen in a dependency so far.</summary>
        public static int KnownClasses => LockdepOrder.ClassCount;

        /// <summary>How many dependencies ("A taken while B is held") the order validation has learned so far.</summary>
        public static int KnownDependencies => LockdepOrder.DependencyCount;

        /// <summary>Records that the current thread gave <paramref name="lockObject"/> back (the last time it took it).</summary>
        public static void Released(object lockObject) => LockdepOrder.Released(lockObject);

        /// <summary>Asserts that the current thread holds the monitor of <paramref name="lockObject"/>.</summary>
        [AssertsHeld(nameof(lockObject))]
        public static void AssertHeld(object lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
            if (lockObject is ILockState state)
            {
                Check(state.IsHeldExclusive || state.IsHeldShared, name, "held");
                return;
            }

            if (Dispatch(lockObject, name, LockdepCheck.Held))
            {
                return;
            }

            Check(Monitor.IsEntered(lockObject), name, "held");
        }

        /// <summary>Asserts that the current thread holds <paramref name="lockObject"/> exclusively.</summary>
        [AssertsHeldExclusive(nameof(lockObject))]
        public static void AssertHeldExclusive(object lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
            if (lockObject is ILockState state)
            {
                Check(state.IsHeldExclusive, name, "held exclusively");
            }
            else if (!Dispatch(lockObject, name, LockdepCheck.Exclusive))
            {
                Check(Monitor.IsEntered(lockObject), name, "held exclusively");
            }
        }

        /// <summary>Asserts that <paramref name="lockObject"/> is held shared.</summary>
        [AssertsHeldShared(nameof(lockObject))]
        public static void AssertHeldShared(object lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
            if (lockObject is ILockState state)
            {
                AssertHeldShared(state, name);
            }
            else if (!Dispatch(lockObject, name, LockdepCheck.Shared))
            {
                // A monitor has no shared mode; holding it satisfies a shared requirement, as in the analysis.
                Check(Monitor.IsEntered(lockObject), name, "held");
            }
        }

        /// <summary>Asserts that the current thread does not hold <paramref name="lockObject"/>.</summary>
        public static void AssertNotHeld(object lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
            if (lockObject is ILockState state)
            {
                Check(!state.IsHeldExclusive && !state.IsHeldShared, name, "not held");
            }
            else if (!Dispatch(lockObject, name, LockdepCheck.NotHeld))
            {
                Check(!Monitor.IsEntered(lockObject), name, "not held");
            }
        }

        /// <summary>Asserts that the current thread holds <paramref name="lockObject"/> in any mode.</summary>
        [AssertsHeld(nameof(lockObject))]
        public static void AssertHeld(ReaderWriterLockSlim lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsWriteLockHeld || lockObject.IsReadLockHeld || lockObject.IsUpgradeableReadLockHeld, name, "held");

        /// <summary>Asserts that the current thread holds the write lock of <paramref name="lockObject"/>.</summary>
        [AssertsHeldExclusive(nameof(lockObject))]
        public static void AssertHeldExclusive(ReaderWriterLockSlim lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsWriteLockHeld, name, "held exclusively");

        /// <summary>
        /// Asserts that the current thread holds <paramref name="lockObject"/> at least shared: its read, upgradeable
        /// read or write lock (exclusive satisfies shared, as in the analysis).
        /// </summary>
        [AssertsHeldShared(nameof(lockObject))]
        public static void AssertHeldShared(ReaderWriterLockSlim lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsReadLockHeld || lockObject.IsUpgradeableReadLockHeld || lockObject.IsWriteLockHeld, name, "held shared");

        /// <summary>Asserts that the current thread holds no mode of <paramref name="lockObject"/>.</summary>
        public static void AssertNotHeld(ReaderWriterLockSlim lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(!lockObject.IsWriteLockHeld && !lockObject.IsReadLockHeld && !lockObject.IsUpgradeableReadLockHeld, name, "not held");

        /// <summary>Asserts that <paramref name="lockObject"/> is held in any mode.</summary>
        [AssertsHeld(nameof(lockObject))]
        public static void AssertHeld(ILockState lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsHeldExclusive || lockObject.IsHeldShared, name, "held");

        /// <summary>Asserts that <paramref name="lockObject"/> is held exclusively.</summary>
        [AssertsHeldExclusive(nameof(lockObject))]
        public static void AssertHeldExclusive(ILockState lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsHeldExclusive, name, "held exclusively");

        /// <summary>Asserts that <paramref name="lockObject"/> is held at least shared (exclusive satisfies shared).</summary>
        [AssertsHeldShared(nameof(lockObject))]
        public static void AssertHeldShared(ILockState lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsHeldShared || lockObject.IsHeldExclusive, name, "held shared");

        /// <summary>
        /// Asserts that <paramref name="lockObject"/>, used as a binary lock, is held: its count is 0. A semaphore has no
        /// owner, so this cannot tell which thread holds it: held by another thread passes too.
        /// </summary>
        [AssertsHeld(nameof(lockObject))]
        public static void AssertHeld(SemaphoreSlim lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.CurrentCount == 0, name, "held (its count to be 0)");

        /// <summary>As <see cref="AssertHeld(SemaphoreSlim, string)"/>: a semaphore has one mode.</summary>
        [AssertsHeldExclusive(nameof(lockObject))]
        public static void AssertHeldExclusive(SemaphoreSlim lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.CurrentCount == 0, name, "held (its count to be 0)");

        /// <summary>
        /// Checks nothing: a semaphore's count of 0 may be another thread's hold, so "not held by the current thread"
        /// cannot be told. Kept so that code written for other lock kinds compiles unchanged.
        /// </summary>
        public static void AssertNotHeld(SemaphoreSlim lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
        }

        /// <summary>
        /// Asserts that <paramref name="lockObject"/>, used as a binary lock, is held: it cannot be entered now. The check
        /// enters it for a moment when it is free (and releases it at once), which another thread's zero-timeout wait may
        /// see; it cannot tell which thread holds it.
        /// </summary>
        [AssertsHeld(nameof(lockObject))]
        public static void AssertHeld(Semaphore lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(!IsFree(lockObject), name, "held (not free to enter)");

        /// <summary>As <see cref="AssertHeld(Semaphore, string)"/>: a semaphore has one mode.</summary>
        [AssertsHeldExclusive(nameof(lockObject))]
        public static void AssertHeldExclusive(Semaphore lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(!IsFree(lockObject), name, "held (not free to enter)");

        /// <summary>Checks nothing, for the reason given at <see cref="AssertNotHeld(SemaphoreSlim, string)"/>.</summary>
        public static void AssertNotHeld(Semaphore lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
        }

        private static bool IsFree(Semaphore semaphore)
        {
            if (!semaphore.WaitOne(0))
            {
                return false;
            }

            semaphore.Release();
            return true;
        }

        private enum LockdepCheck
        {
            Held,
            Exclusive,
            Shared,
            NotHeld,
        }

        /// <summary>
        /// The object overloads' checks for the lock kinds that are not monitors: each is checked as its own overload
        /// does; a kind whose holder cannot be queried (a Mutex, a boxed SpinLock) is never called "not held".
        /// False for a plain object, whose monitor the caller checks.
        /// </summary>
        private static bool Dispatch(object lockObject, string name, LockdepCheck check)
        {
            switch (lockObject)
            {
                case ReaderWriterLockSlim rw:
                    Run(check, rw, name, AssertHeld, AssertHeldExclusive, AssertHeldShared, AssertNotHeld);
                    return true;
                case SemaphoreSlim slim:
                    Run(check, slim, name, AssertHeld, AssertHeldExclusive, AssertHeld, AssertNotHeld);
                    return true;
                case Semaphore semaphore:
                    Run(check, semaphore, name, AssertHeld, AssertHeldExclusive, AssertHeld, AssertNotHeld);
                    return true;
#if NET9_0_OR_GREATER
                case Lock l:
                    Run(check, l, name, AssertHeld, AssertHeldExclusive, AssertHeld, AssertNotHeld);
                    return true;
#endif
                case WaitHandle _:
                case SpinLock _:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Runs one kind's check; the checks are static methods, so no delegate is created per call.</summary>
        private static void Run<T>(
            LockdepCheck check, T lockObject, string name, System.Action<T, string> held, System.Action<T, string> exclusive, System.Action<T, string> shared,
            System.Action<T, string> notHeld)
        {
            // Written for C# 7.3: the package compiles this file into projects that may use it.
            switch (check)
            {
                case LockdepCheck.Held:
                    held(lockObject, name);
                    break;
                case LockdepCheck.Exclusive:
                    exclusive(lockObject, name);
                    break;
                case LockdepCheck.Shared:
                    shared(lockObject, name);
                    break;
                default:
                    notHeld(lockObject, name);
                    break;
            }
        }

        /// <summary>Asserts that <paramref name="lockObject"/> is not held.</summary>
        public static void AssertNotHeld(ILockState lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(!lockObject.IsHeldExclusive && !lockObject.IsHeldShared, name, "not held");

#if NET9_0_OR_GREATER
        /// <summary>Asserts that the current thread holds <paramref name="lockObject"/>.</summary>
        [AssertsHeld(nameof(lockObject))]
        public static void AssertHeld(Lock lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsHeldByCurrentThread, name, "held");

        /// <summary>Asserts that the current thread holds <paramref name="lockObject"/> (a <see cref="Lock"/> is always exclusive).</summary>
        [AssertsHeldExclusive(nameof(lockObject))]
        public static void AssertHeldExclusive(Lock lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsHeldByCurrentThread, name, "held exclusively");

        /// <summary>Asserts that the current thread does not hold <paramref name="lockObject"/>.</summary>
        public static void AssertNotHeld(Lock lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(!lockObject.IsHeldByCurrentThread, name, "not held");
#endif

        private static void Check(bool condition, string name, string what)
        {
            if (!condition)
            {
                throw new LockdepException(name, $"Lockdep: '{name}' was expected to be {what} by the current thread.");
            }
        }
    }
}
