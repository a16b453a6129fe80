using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM008SleepInAtomicTests
    {
        private const string Spin = @"
[LockType(Spinning = true)]
class Spinlock { [Acquires] public void Lock() { } [Releases] public void Unlock() { } }
static class Io { [MightSleep] public static void Read() { } public static void Fast() { } }
";

        [Fact]
        public Task SleepingUnderSpinlockIsReported() => Verify.Analyzer(Spin + @"
class Dev
{
    private readonly Spinlock _lock = new Spinlock();
    private readonly object _gate = new object();
    public void Bad()
    {
        _lock.Lock();
        try
        {
            {|#0:Io.Read()|};
            {|HMM008:Thread.Sleep(1)|};
            {|HMM008:Monitor.Enter(_gate)|};
            Monitor.Exit(_gate);
        }
        finally
        {
            _lock.Unlock();
        }
    }
    public void Good() { _lock.Lock(); Io.Fast(); _lock.Unlock(); Io.Read(); }
}", Verify.Diagnostic("HMM008").WithLocation(0).WithMessage("'Io.Read' may sleep, but the spinning lock '_lock' is held"));

        [Fact]
        public Task SleepingInAtomicContextIsReported() => Verify.Analyzer(Spin + @"
class Callbacks
{
    [AtomicContext] public static void OnRcu() { Io.Fast(); {|#0:Io.Read()|}; }
    public static void Normal() { Io.Read(); }
}", Verify.Diagnostic("HMM008").WithLocation(0).WithMessage("'Io.Read' may sleep, but 'Callbacks.OnRcu' runs in atomic context"));

        [Fact]
        public Task SpinLockStructAndTaskResult() => Verify.Analyzer(@"
class Dev
{
    private SpinLock _spin = new SpinLock(false);
    public int Bad(Task<int> t)
    {
        bool taken = false;
        try { _spin.Enter(ref taken); return {|HMM008:t.Result|}; }
        finally { if (taken) { _spin.Exit(); } }
    }
}");
    }
}
