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
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeldShared(rw));
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
        public void MonitorHasNoSharedMode()
        {
            var gate = new object();
            lock (gate)
            {
                Assert.Throws<LockdepException>(() => Lockdep.AssertHeldShared(gate));
            }
        }
    }
}
