using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM009AwaitWhileHeldTests
    {
        [Fact]
        public Task AwaitUnderMonitorIsReported() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public async Task Run()
    {
        Monitor.Enter(_gate);
        try { {|#0:await Task.Delay(1)|}; }
        finally { Monitor.Exit(_gate); }
    }
}", Verify.Diagnostic("HMM009").WithLocation(0).WithMessage("'await' while holding '_gate', which must be released by the thread that acquired it"));

        [Fact]
        public Task SemaphoreIsNotThreadAffine() => Verify.Analyzer(@"
class Box
{
    private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
    [GuardedBy(nameof(_sem))] private int _n;
    public async Task Run()
    {
        await _sem.WaitAsync();
        try { await Task.Delay(1); _n++; }
        finally { _sem.Release(); }
    }
    public async Task Bad() { await Task.Yield(); {|HMM002:_n|}++; }
}");

        [Fact]
        public Task AwaitAfterReleaseIsClean() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public async Task<int> Run()
    {
        int v;
        lock (_gate) { v = _n; }
        await Task.Delay(v);
        return v;
    }
}");
    }
}
