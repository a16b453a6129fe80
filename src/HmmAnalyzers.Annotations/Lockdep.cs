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
        /// <summary>Asserts that the current thread holds the monitor of <paramref name="lockObject"/>.</summary>
        [AssertsHeld(nameof(lockObject))]
        public static void AssertHeld(object lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
            if (lockObject is ILockState state)
            {
                Check(state.IsHeldExclusive || state.IsHeldShared, name, "held");
                return;
            }

            if (lockObject is ReaderWriterLockSlim rw)
            {
                AssertHeld(rw, name);
                return;
            }

            Check(Monitor.IsEntered(lockObject), name, "held");
        }

        /// <summary>Asserts that the current thread holds <paramref name="lockObject"/> exclusively.</summary>
        [AssertsHeldExclusive(nameof(lockObject))]
        public static void AssertHeldExclusive(object lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
            switch (lockObject)
            {
                case ILockState state:
                    Check(state.IsHeldExclusive, name, "held exclusively");
                    break;
                case ReaderWriterLockSlim rw:
                    AssertHeldExclusive(rw, name);
                    break;
                default:
                    Check(Monitor.IsEntered(lockObject), name, "held exclusively");
                    break;
            }
        }

        /// <summary>Asserts that <paramref name="lockObject"/> is held shared.</summary>
        [AssertsHeldShared(nameof(lockObject))]
        public static void AssertHeldShared(object lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
            switch (lockObject)
            {
                case ILockState state:
                    Check(state.IsHeldShared, name, "held shared");
                    break;
                case ReaderWriterLockSlim rw:
                    AssertHeldShared(rw, name);
                    break;
                default:
                    throw new LockdepException(name, $"Lockdep: '{name}' has no shared mode.");
            }
        }

        /// <summary>Asserts that the current thread does not hold <paramref name="lockObject"/>.</summary>
        public static void AssertNotHeld(object lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
        {
            switch (lockObject)
            {
                case ILockState state:
                    Check(!state.IsHeldExclusive && !state.IsHeldShared, name, "not held");
                    break;
                case ReaderWriterLockSlim rw:
                    AssertNotHeld(rw, name);
                    break;
                default:
                    Check(!Monitor.IsEntered(lockObject), name, "not held");
                    break;
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

        /// <summary>Asserts that the current thread holds the read (or upgradeable read) lock of <paramref name="lockObject"/>.</summary>
        [AssertsHeldShared(nameof(lockObject))]
        public static void AssertHeldShared(ReaderWriterLockSlim lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsReadLockHeld || lockObject.IsUpgradeableReadLockHeld, name, "held shared");

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

        /// <summary>Asserts that <paramref name="lockObject"/> is held shared.</summary>
        [AssertsHeldShared(nameof(lockObject))]
        public static void AssertHeldShared(ILockState lockObject, [CallerArgumentExpression(nameof(lockObject))] string name = "")
            => Check(lockObject.IsHeldShared, name, "held shared");

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
