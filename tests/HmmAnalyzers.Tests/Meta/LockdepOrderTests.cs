using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.Annotations;
using Xunit;

namespace HmmAnalyzers.Tests.Meta
{
    /// <summary>Lockdep's order validation at run time: dependencies learned as locks nest, a cycle refused before it closes.</summary>
    [Collection(nameof(LockdepOrderTests))]
    public class LockdepOrderTests
    {
        /// <summary>Lock classes of their own for each test: the graph of dependencies is the process's.</summary>
        private static (TrackedLock A, TrackedLock B) Pair(string test)
        {
            var prefix = test + "." + Guid.NewGuid().ToString("N").Substring(0, 8);
            return (new TrackedLock(prefix + ".A"), new TrackedLock(prefix + ".B"));
        }

        private static void Nest(TrackedLock outer, TrackedLock inner)
        {
            outer.Enter();
            try
            {
                inner.Enter();
                inner.Exit();
            }
            finally
            {
                outer.Exit();
            }
        }

        [Fact]
        public void AnInversionOfAKnownOrderIsRefusedBeforeTheLockIsTaken()
        {
            var (a, b) = Pair(nameof(AnInversionOfAKnownOrderIsRefusedBeforeTheLockIsTaken));
            Nest(a, b);

            b.Enter();
            try
            {
                var error = Assert.Throws<LockdepException>(() => a.Enter());
                Assert.Contains($"possible circular locking dependency: acquiring '{a.Name}' while holding '{b.Name}'", error.Message);
                Assert.Contains($"'{a.Name}' -> '{b.Name}' was first seen at:", error.Message);
                Assert.Contains(nameof(Nest), error.Message);
                Assert.Equal(a.Name, error.LockName);
                Assert.False(a.IsHeldExclusive);
                Assert.True(b.IsHeldExclusive);

                // Every later attempt of the same inversion is refused too.
                Assert.Throws<LockdepException>(() => a.Enter());
            }
            finally
            {
                b.Exit();
            }

            Assert.False(b.IsHeldExclusive);
            Nest(a, b);
        }

        [Fact]
        public void ACycleThroughAThirdClassIsNamedWholly()
        {
            var (a, b) = Pair(nameof(ACycleThroughAThirdClassIsNamedWholly));
            var c = new TrackedLock(a.Name + ".C");
            Nest(a, b);
            Nest(b, c);
            c.Enter();
            try
            {
                var error = Assert.Throws<LockdepException>(() => a.Enter());
                Assert.Contains($"the cycle is '{c.Name}' -> '{a.Name}' -> '{b.Name}' -> '{c.Name}'", error.Message);
                Assert.Contains($"'{a.Name}' -> '{b.Name}' was first seen at:", error.Message);
                Assert.Contains($"'{b.Name}' -> '{c.Name}' was first seen at:", error.Message);
            }
            finally
            {
                c.Exit();
            }
        }

        [Fact]
        public void ReenteringATryAcquireAndOneClassAddNoDependency()
        {
            var (a, b) = Pair(nameof(ReenteringATryAcquireAndOneClassAddNoDependency));

            // Re-entering a held lock waits for nothing.
            a.Enter();
            b.Enter();
            a.Enter();
            a.Exit();
            b.Exit();
            a.Exit();

            // A try-acquire never waits: b -> a is not learned, so a -> b is still allowed.
            var (c, d) = Pair(nameof(ReenteringATryAcquireAndOneClassAddNoDependency));
            d.Enter();
            Assert.True(c.TryEnter());
            c.Exit();
            d.Exit();
            Nest(c, d);

            // Two locks of one class (created at one place) order nothing between them.
            var first = OfOneClass();
            var second = OfOneClass();
            Assert.Equal(first.Name, second.Name);
            Nest(first, second);
            Nest(second, first);
        }

        private static TrackedLock OfOneClass() => new TrackedLock();

        [Fact]
        public void TheClassOfAnUnnamedLockIsWhereItWasCreated()
        {
            var l = new TrackedLock();
            Assert.StartsWith(nameof(LockdepOrderTests) + ".cs:", l.Name);
        }

        [Fact]
        public void AScopeReleasesOnceAndTheAssertionsSeeTheLock()
        {
            var (a, _) = Pair(nameof(AScopeReleasesOnceAndTheAssertionsSeeTheLock));
            var scope = a.EnterScope();
            Lockdep.AssertHeldExclusive(a);
            Lockdep.AssertHeldShared(a);
            scope.Dispose();
            scope.Dispose();
            Lockdep.AssertNotHeld(a);
            Assert.Throws<LockdepException>(() => Lockdep.AssertHeld(a));
        }

        [Fact]
        public void UserLockTypesReportThroughTheHooks()
        {
            var prefix = nameof(UserLockTypesReportThroughTheHooks) + Guid.NewGuid().ToString("N");
            object x = new object(), y = new object();
            Lockdep.Acquired(x, prefix + ".X");
            Lockdep.Acquired(y, prefix + ".Y");
            Lockdep.Released(y);
            Lockdep.Released(x);
            Lockdep.Acquired(y, prefix + ".Y");
            Assert.Throws<LockdepException>(() => Lockdep.Acquired(x, prefix + ".X"));
            Lockdep.Released(y);
        }

        [Fact]
        public void OrderChecksOffLearnsAndRefusesNothing()
        {
            var (a, b) = Pair(nameof(OrderChecksOffLearnsAndRefusesNothing));
            Lockdep.OrderChecks = false;
            try
            {
                Nest(a, b);
                Nest(b, a);
            }
            finally
            {
                Lockdep.OrderChecks = true;
            }

            // Nothing was learned while off: either order may be taken first now, and is learned from then on.
            Nest(b, a);
            a.Enter();
            try
            {
                Assert.Throws<LockdepException>(() => b.Enter());
            }
            finally
            {
                a.Exit();
            }
        }

        [Fact]
        public async Task ManyThreadsTakingTheSameOrderAreNeverRefused()
        {
            var locks = Enumerable.Range(0, 6).Select(i => new TrackedLock($"{nameof(ManyThreadsTakingTheSameOrderAreNeverRefused)}.{Guid.NewGuid():N}.{i}")).ToArray();
            var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
            {
                var random = new Random(w);
                for (var n = 0; n < 2000; n++)
                {
                    var first = random.Next(locks.Length - 1);
                    var second = first + 1 + random.Next(locks.Length - first - 1);
                    Nest(locks[first], locks[second]);
                }
            })).ToArray();
            await Task.WhenAll(workers);

            // Every pair was learned in one direction; the other is refused.
            locks[5].Enter();
            try
            {
                Assert.Throws<LockdepException>(() => locks[0].Enter());
            }
            finally
            {
                locks[5].Exit();
            }
        }
    

        [Fact]
        public void AnInversionOnTwoThreadsRunOneAfterTheOtherIsRefused()
        {
            var (a, b) = Pair(nameof(AnInversionOnTwoThreadsRunOneAfterTheOtherIsRefused));
            Exception? refused = null;
            var first = new Thread(() => Nest(a, b));
            first.Start();
            first.Join();
            var second = new Thread(() => refused = Record.Exception(() => Nest(b, a)));
            second.Start();
            second.Join();
            Assert.IsType<LockdepException>(refused);
            Assert.False(a.IsHeldExclusive || b.IsHeldExclusive);
        }

        private static TrackedLock OfClassA() => new TrackedLock();

        private static TrackedLock OfClassB() => new TrackedLock();

        [Fact]
        public void AnInversionBetweenOtherInstancesOfTheSameClassesIsFound()
        {
            // The classes are the two creation sites: an order learned on one pair of instances holds for every pair.
            var a1 = OfClassA();
            var b1 = OfClassB();
            Nest(a1, b1);
            var a2 = OfClassA();
            var b2 = OfClassB();
            b2.Enter();
            try
            {
                Assert.Throws<LockdepException>(() => a2.Enter());
            }
            finally
            {
                b2.Exit();
            }
        }
    }
}
