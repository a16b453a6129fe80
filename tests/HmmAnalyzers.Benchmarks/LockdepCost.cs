using System.Diagnostics;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Annotations;

namespace HmmAnalyzers.Benchmarks
{
    /// <summary>
    /// The fast path of Lockdep's order validation: an uncontended nested pair of <see cref="TrackedLock"/>s whose
    /// dependency is already known, against the same pair of <see cref="Lock"/>s. The best of several rounds each.
    /// </summary>
    internal static class LockdepCost
    {
        private const int Pairs = 2_000_000;

        public static (double Lock, double Tracked) NanosecondsPerPair()
        {
            var lockA = new Lock();
            var lockB = new Lock();
            var trackedA = new TrackedLock("Benchmark.A");
            var trackedB = new TrackedLock("Benchmark.B");
            NestedTracked(trackedA, trackedB, 1000);
            NestedLock(lockA, lockB, 1000);
            var plain = Enumerable.Range(0, 5).Min(_ => Time(() => NestedLock(lockA, lockB, Pairs)));
            var tracked = Enumerable.Range(0, 5).Min(_ => Time(() => NestedTracked(trackedA, trackedB, Pairs)));
            return (plain * 1e6 / Pairs, tracked * 1e6 / Pairs);
        }

        private static double Time(System.Action run)
        {
            var clock = Stopwatch.StartNew();
            run();
            return clock.Elapsed.TotalMilliseconds;
        }

        private static void NestedLock(Lock a, Lock b, int count)
        {
            for (var i = 0; i < count; i++)
            {
                a.Enter();
                b.Enter();
                b.Exit();
                a.Exit();
            }
        }

        private static void NestedTracked(TrackedLock a, TrackedLock b, int count)
        {
            for (var i = 0; i < count; i++)
            {
                a.Enter();
                b.Enter();
                b.Exit();
                a.Exit();
            }
        }
    }
}
