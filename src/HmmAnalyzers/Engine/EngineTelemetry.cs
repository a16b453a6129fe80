using System.Diagnostics;
using System.Threading;

namespace HmmAnalyzers.Engine
{
    /// <summary>The phases the analyzer's time goes to.</summary>
    internal enum Phase
    {
        /// <summary>The relevance scan of every method body.</summary>
        Scan,

        /// <summary>The structured driver over the operation tree (including runs that give up).</summary>
        Structured,

        /// <summary>Building Roslyn's control flow graphs.</summary>
        FlowGraph,

        /// <summary>The graph driver.</summary>
        GraphDriver,

        /// <summary>The rules reading the facts, and the lock order summaries.</summary>
        Rules,

        /// <summary>The per-symbol checks of annotations.</summary>
        Symbols,

        /// <summary>The lock order cycle search at the end of the compilation.</summary>
        CompilationEnd,

        /// <summary>Guard inference, once per type when its members are done.</summary>
        Inference,

        /// <summary>The syntax pre-filter: reading the syntax trees and finding the names that matter, once per compilation.</summary>
        Index,

        /// <summary>Binding the members the pre-filter keeps into operation trees.</summary>
        Operations,
    }

    /// <summary>The paths a method body can take through the engine.</summary>
    internal enum Route
    {
        /// <summary>Left by the syntax pre-filter: nothing of it was bound.</summary>
        Filtered,

        /// <summary>Bound, and found by the relevance scan to touch no lock.</summary>
        Skipped,
        Structured,
        FellBack,
        Graph,
    }

    /// <summary>A phase's start: the time, and the garbage collection pause and allocation clocks when there are.</summary>
    internal readonly struct PhaseClock
    {
        public PhaseClock(long time, long pause, long allocated)
        {
            Time = time;
            Pause = pause;
            Allocated = allocated;
        }

        public long Time { get; }

        public long Pause { get; }

        public long Allocated { get; }
    }

    /// <summary>
    /// Process-wide counters of where the analyzer's time goes, for the benchmark. Off unless a host turns them on:
    /// then each phase costs two timestamps and an interlocked add on counters that every analyzing thread shares.
    /// </summary>
    internal static class EngineTelemetry
    {
        /// <summary>How many phases there are: the last one's number, plus one.</summary>
        private const int PhaseCount = (int)Phase.Operations + 1;

        private static readonly long[] Ticks = new long[PhaseCount];
        private static readonly long[] PauseTicks = new long[PhaseCount];
        private static readonly long[] AllocatedBytes = new long[PhaseCount];
        private static readonly long[] Routes = new long[(int)Route.Graph + 1];

        /// <summary>
        /// The process's total garbage collection pause, in <see cref="System.TimeSpan"/> ticks, when the host can tell
        /// (the benchmark sets it; the analyzer's target framework has no such API).
        /// </summary>
        public static System.Func<long>? PauseClock { get; set; }

        /// <summary>Bytes allocated so far by the current thread, when the host can tell (the benchmark sets it).</summary>
        public static System.Func<long>? AllocationClock { get; set; }

        /// <summary>Whether phases and routes are counted (the benchmark turns it on).</summary>
        public static bool Enabled { get; set; }

        public static PhaseClock Start() => Enabled ? new PhaseClock(Stopwatch.GetTimestamp(), PauseClock?.Invoke() ?? 0, AllocationClock?.Invoke() ?? 0) : default;

        public static void Stop(Phase phase, PhaseClock start)
        {
            if (!Enabled)
            {
                return;
            }

            Interlocked.Add(ref Ticks[(int)phase], Stopwatch.GetTimestamp() - start.Time);
            if (PauseClock is { } pauses)
            {
                Interlocked.Add(ref PauseTicks[(int)phase], pauses() - start.Pause);
            }

            if (AllocationClock is { } allocated)
            {
                Interlocked.Add(ref AllocatedBytes[(int)phase], allocated() - start.Allocated);
            }
        }

        /// <summary>Bytes allocated inside a phase (only when <see cref="AllocationClock"/> is set).</summary>
        public static long Allocated(Phase phase) => Interlocked.Read(ref AllocatedBytes[(int)phase]);

        /// <summary>Garbage collection pauses that fell inside a phase (only when <see cref="PauseClock"/> is set).</summary>
        public static double PauseMilliseconds(Phase phase) => Interlocked.Read(ref PauseTicks[(int)phase]) / (double)System.TimeSpan.TicksPerMillisecond;

        public static void Count(Route route, int methods = 1)
        {
            if (Enabled)
            {
                Interlocked.Add(ref Routes[(int)route], methods);
            }
        }

        public static double Milliseconds(Phase phase) => Interlocked.Read(ref Ticks[(int)phase]) * 1000.0 / Stopwatch.Frequency;

        public static long Methods(Route route) => Interlocked.Read(ref Routes[(int)route]);

        public static void Reset()
        {
            for (var i = 0; i < Ticks.Length; i++)
            {
                Interlocked.Exchange(ref Ticks[i], 0);
                Interlocked.Exchange(ref PauseTicks[i], 0);
                Interlocked.Exchange(ref AllocatedBytes[i], 0);
            }

            for (var i = 0; i < Routes.Length; i++)
            {
                Interlocked.Exchange(ref Routes[i], 0);
            }
        }
    }
}
