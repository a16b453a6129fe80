using System.Threading;
using HmmAnalyzers.Annotations;
using Xunit;

namespace HmmAnalyzers.Tests.Meta
{
    /// <summary>The run-time side: Lockdep checks the real state of each lock kind, per thread.</summary>
    public class LockdepTests
    {
        private sealed class FlagLock : ILockState
        {
            public bool IsHeldExclusive { get; set; }

            public bool IsHeldShared { get; set; }
        }

        private static System.Exception? OnOtherThread(System.Action action)
        {
            System.Exception? caught = null;
            var thread = new Thread(() =>
            {
                try
                {
                    action();
                }
                catch (System.Exception exception)
                {
                    caught = exception;
                }
            });
            thread.Start();
            thread.Join();
            return caught;
        }

        [Fact]
        public void MonitorIsCheckedForTheCurrentThread()
        {
            var gate = new object();
            var error = Assert.Throws<LockdepException>(() => Lockdep.AssertHeld(gate));
            Assert.Equal("gate", error.LockName);
            Assert.Contains("'gate'", error.Message);
            lock (gate)
            {
                Lockdep.AssertHeld(gate);
                Lockdep.AssertHeldExclusive(gate);
                Assert.Throws<LockdepException>(() => Lockdep.AssertNotHeld(gate));

                // Another thread does not hold it.
                Assert.IsType<LockdepException>(OnOtherThread(() => Lockdep.AssertHeld(gate)));
            }

            Lockdep.AssertNotHeld(gate);
        }

        [Fact]
        public void SystemThreadingLock()
        {
            var l = new Lock();
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeld(l));
            using (l.EnterScope())
            {
                Lockdep.AssertHeld(l);
                Lockdep.AssertHeldExclusive(l);
                Assert.IsType<LockdepException>(OnOtherThread(() => Lockdep.AssertHeld(l)));
            }

            Lockdep.AssertNotHeld(l);
        }

        [Fact]
        public void ReaderWriterLockSlimModes()
        {
            using var rw = new ReaderWriterLockSlim();
            rw.EnterReadLock();
            Lockdep.AssertHeld(rw);
            Lockdep.AssertHeldShared(rw);
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeldExclusive(rw));
            rw.ExitReadLock();
            rw.EnterWriteLock();
            Lockdep.AssertHeldExclusive(rw);

            // Exclusive satisfies shared, as the analysis accepts a [RequiresShared] call under the write lock.
            Lockdep.AssertHeldShared(rw);
            Assert.Throws<LockdepException>(() => Lockdep.AssertNotHeld(rw));
            rw.ExitWriteLock();
            Lockdep.AssertNotHeld(rw);

            // Through the object overloads too.
            object boxed = rw;
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeld(boxed));
        }

        [Fact]
        public void UserLockTypesThroughILockState()
        {
            var l = new FlagLock();
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeld(l));
            l.IsHeldShared = true;
            Lockdep.AssertHeld(l);
            Lockdep.AssertHeldShared(l);
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeldExclusive(l));
            l.IsHeldExclusive = true;
            Lockdep.AssertHeldExclusive(l);
            Assert.Throws<LockdepException>(() => Lockdep.AssertNotHeld(l));
        }

        [Fact]
        public void AHeldMonitorSatisfiesAShared()
        {
            var gate = new object();
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeldShared(gate));
            lock (gate)
            {
                Lockdep.AssertHeldShared(gate);
            }
        }

        /// <summary>A lock kind the analyzer understands: how to take and give back it, and what Lockdep can tell of it.</summary>
        public sealed class Kind
        {
            public Kind(string name, object target, System.Action enter, System.Action exit, bool knowsOwner, bool sharedOnly = false)
            {
                Name = name;
                Target = target;
                Enter = enter;
                Exit = exit;
                KnowsOwner = knowsOwner;
                SharedOnly = sharedOnly;
            }

            public string Name { get; }

            public object Target { get; }

            public System.Action Enter { get; }

            public System.Action Exit { get; }

            /// <summary>Whether Lockdep can tell the holding thread (a semaphore has no owner).</summary>
            public bool KnowsOwner { get; }

            /// <summary>Held in a shared mode only (a read lock).</summary>
            public bool SharedOnly { get; }

            public override string ToString() => Name;
        }

        public static TheoryData<Kind> Kinds()
        {
            var monitor = new object();
            var l = new Lock();
            var read = new ReaderWriterLockSlim();
            var write = new ReaderWriterLockSlim();
            var upgradeable = new ReaderWriterLockSlim();
            var slim = new SemaphoreSlim(1, 1);
            var semaphore = new Semaphore(1, 1);
            var flag = new FlagLock();
            return new TheoryData<Kind>
            {
                new Kind("Monitor", monitor, () => Monitor.Enter(monitor), () => Monitor.Exit(monitor), knowsOwner: true),
#pragma warning disable CS9216 // The Lock goes through the object overloads on purpose: they must dispatch to its checks.
                new Kind("Lock", l, l.Enter, l.Exit, knowsOwner: true),
#pragma warning restore CS9216
                new Kind("ReaderWriterLockSlim read", read, read.EnterReadLock, read.ExitReadLock, knowsOwner: true, sharedOnly: true),
                new Kind("ReaderWriterLockSlim upgradeable", upgradeable, upgradeable.EnterUpgradeableReadLock, upgradeable.ExitUpgradeableReadLock, knowsOwner: true, sharedOnly: true),
                new Kind("ReaderWriterLockSlim write", write, write.EnterWriteLock, write.ExitWriteLock, knowsOwner: true),
                new Kind("SemaphoreSlim", slim, slim.Wait, () => slim.Release(), knowsOwner: false),
                new Kind("Semaphore", semaphore, () => semaphore.WaitOne(), () => semaphore.Release(), knowsOwner: false),
                new Kind("ILockState", flag, () => flag.IsHeldExclusive = true, () => flag.IsHeldExclusive = false, knowsOwner: false),
            };
        }

        /// <summary>
        /// Every Lockdep check against every lock kind, through the object overloads (which the kind's own overload
        /// must agree with), held and not held, on the holding thread and on another one.
        /// </summary>
        [Theory]
        [MemberData(nameof(Kinds))]
        public void EveryCheckAgreesWithTheLockState(Kind kind)
        {
            var target = kind.Target;
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeld(target));
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeldExclusive(target));
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeldShared(target));
            Lockdep.AssertNotHeld(target);

            kind.Enter();
            try
            {
                Lockdep.AssertHeld(target);
                Lockdep.AssertHeldShared(target);
                if (kind.SharedOnly)
                {
                    Assert.Throws<LockdepException>(() => Lockdep.AssertHeldExclusive(target));
                }
                else
                {
                    Lockdep.AssertHeldExclusive(target);
                }

                if (kind.KnowsOwner)
                {
                    Assert.Throws<LockdepException>(() => Lockdep.AssertNotHeld(target));
                    Assert.IsType<LockdepException>(OnOtherThread(() => Lockdep.AssertHeld(target)));
                    Assert.IsType<LockdepException>(OnOtherThread(() => Lockdep.AssertHeldShared(target)));
                    Assert.Null(OnOtherThread(() => Lockdep.AssertNotHeld(target)));
                }
                else
                {
                    // Held by someone: a semaphore (or a user lock that does not track threads) cannot say by whom.
                    Assert.Null(OnOtherThread(() => Lockdep.AssertHeld(target)));
                }
            }
            finally
            {
                kind.Exit();
            }

            Lockdep.AssertNotHeld(target);
        }

        [Fact]
        public void TheSemaphoreOverloadsAreTheOnesAnAssertionBindsTo()
        {
            var slim = new SemaphoreSlim(1, 1);
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeld(slim));
            slim.Wait();
            Lockdep.AssertHeld(slim);
            Lockdep.AssertHeldExclusive(slim);
            slim.Release();

            using var semaphore = new Semaphore(1, 1);
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeld(semaphore));
            semaphore.WaitOne();
            Lockdep.AssertHeld(semaphore);
            semaphore.Release();
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeldExclusive(semaphore));
        }

        [Fact]
        public void AKindWhoseHolderCannotBeQueriedIsNeverCalledNotHeld()
        {
            using var mutex = new Mutex();
            mutex.WaitOne();
            Lockdep.AssertNotHeld((object)mutex);
            Lockdep.AssertHeld((object)mutex);
            mutex.ReleaseMutex();
        }
    }
}
