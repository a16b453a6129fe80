using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM006ReleaseNotHeldTests
    {
        [Fact]
        public Task ReleaseWithoutAcquire() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public void Bad() { {|#0:Monitor.Exit(_gate)|}; }
    public void Twice() { Monitor.Enter(_gate); Monitor.Exit(_gate); {|HMM006:Monitor.Exit(_gate)|}; }
}", Verify.Diagnostic("HMM006").WithLocation(0).WithMessage("Releasing '_gate', which is not held here; no lock is held"));

        [Fact]
        public Task WrongKindIsReportedOnceAndRemovesTheLock() => Verify.Analyzer(@"
class Table
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void Bad() { _rw.EnterReadLock(); {|#0:_rw.ExitWriteLock()|}; }
}", Verify.Diagnostic("HMM006").WithLocation(0).WithMessage("Releasing '_rw' as exclusive, but it is held shared"));

        [Fact]
        public Task MatchedReleasesAreClean() => Verify.Analyzer(@"
class Table
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly Mutex _mutex = new Mutex();
    public void A() { _rw.EnterReadLock(); _rw.ExitReadLock(); _rw.EnterWriteLock(); _rw.ExitWriteLock(); }
    public void B() { _mutex.WaitOne(); try { } finally { _mutex.ReleaseMutex(); } }
    public void C() { if (_rw.TryEnterWriteLock(10)) { _rw.ExitWriteLock(); } }
}");
    }
}
