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
}", Verify.Diagnostic("HMM006").WithLocation(0).WithMessage("Releasing '_gate', which is not held here; no lock is held; if callers of 'Box.Bad' hold it, declare that with [Releases]"));

        [Fact]
        public Task AFunctionThatAsksWhetherItHoldsALockMayReleaseItForItsCallers() => Verify.Analyzer(@"
class LockService
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim(LockRecursionPolicy.SupportsRecursion);
    private readonly object _gate = new object();
    public void ExitTransaction()
    {
        if (_rw.IsWriteLockHeld) return;
        if (_rw.IsReadLockHeld) _rw.ExitReadLock();
    }
    public void ExitIfEntered()
    {
        if (Monitor.IsEntered(_gate)) Monitor.Exit(_gate);
    }
    public bool ExitAnother()
    {
        {|#0:Monitor.Exit(_gate)|};
        return _rw.IsWriteLockHeld;
    }
}", Verify.Diagnostic("HMM006").WithLocation(0).WithMessage("Releasing '_gate', which is not held here; no lock is held; if callers of 'LockService.ExitAnother' hold it, declare that with [Releases]"));

        [Fact]
        public Task AReleaseUnderAConditionInAFunctionThatNeverTakesTheLockIsLeftToItsCallers() => Verify.Analyzer(@"
class Store
{
    private readonly Mutex _mutex = new Mutex();
    private readonly object _gate = new object();
    private object _engine = new object();
    private int _depth;
    public void Release()
    {
        if (_depth > 0) { _depth--; _mutex.ReleaseMutex(); }
    }
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _engine != null) { _engine = null!; _mutex.ReleaseMutex(); }
    }
    public void Drain(int n)
    {
        for (var i = 0; i < n; i++) Monitor.Exit(_gate);
    }
    public void Always() { {|#0:_mutex.ReleaseMutex()|}; }
    public void WhileHoldingAnother(bool b) { lock (this) { if (b) {|#1:_mutex.ReleaseMutex()|}; } }
    public void TakenHereToo(bool b) { Monitor.Enter(_gate); Monitor.Exit(_gate); if (b) {|#2:Monitor.Exit(_gate)|}; }
}",
    Verify.Diagnostic("HMM006").WithLocation(0).WithMessage("Releasing '_mutex', which is not held here; no lock is held; if callers of 'Store.Always' hold it, declare that with [Releases]"),
    Verify.Diagnostic("HMM006").WithLocation(1),
    Verify.Diagnostic("HMM006").WithLocation(2));

        [Fact]
        public Task ATryAcquireFlagJoinedWithAKnownFalseStillTellsWhereTheLockIsHeld() => Verify.Analyzer(@"
class Shared
{
    private readonly Mutex _mutex = new Mutex();
    private readonly object _gate = new object();
    public bool Timed()
    {
        bool taken = false;
        try { taken = _mutex.WaitOne(100); }
        catch (InvalidOperationException) { taken = false; }
        if (!taken) return false;
        _mutex.ReleaseMutex();
        return true;
    }
    public void Maybe(bool c)
    {
        var taken = false;
        if (c) taken = Monitor.TryEnter(_gate);
        if (taken) Monitor.Exit(_gate);
    }
    public void Inverted(bool c)
    {
        var taken = true;
        if (c) taken = Monitor.TryEnter(_gate);
        {|#0:Monitor.Exit(_gate)|};
    }
}", Verify.Diagnostic("HMM006").WithLocation(0));

        [Fact]
        public Task ReleaseOfALockTheMethodNeverTakesSuggestsTheContract() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private readonly object _other = new object();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void ReadUnlock() { {|#0:_rw.ExitReadLock()|}; }
    public void WhileHoldingAnother() { lock (_other) { {|#1:Monitor.Exit(_gate)|}; } }
    public void Twice() { Monitor.Enter(_gate); Monitor.Exit(_gate); {|#2:Monitor.Exit(_gate)|}; }
    public void Local() { var o = new object(); {|#3:Monitor.Exit(o)|}; }
}",
    Verify.Diagnostic("HMM006").WithLocation(0).WithMessage("Releasing '_rw', which is not held here; no lock is held; if callers of 'Box.ReadUnlock' hold it, declare that with [ReleasesShared]"),
    Verify.Diagnostic("HMM006").WithLocation(1).WithMessage("Releasing '_gate', which is not held here; holding '_other'; if callers of 'Box.WhileHoldingAnother' hold it, declare that with [Releases]"),
    Verify.Diagnostic("HMM006").WithLocation(2).WithMessage("Releasing '_gate', which is not held here; no lock is held"),
    Verify.Diagnostic("HMM006").WithLocation(3).WithMessage("Releasing 'o', which is not held here; no lock is held"));

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

        [Fact]
        public Task ReleasingALockTakenOnlyOnSomePathsIsReported() => Verify.Analyzer(@"
class Gate
{
    private readonly object _g = new object();
    private Mutex? _m;
    public void Activate() { _m = new Mutex(); }
    public void Flag(bool b) { if (b) { Monitor.Enter(_g); } Work(); {|#0:Monitor.Exit(_g)|}; }
    public void Local(bool c) { var locked = false; if (c) { Monitor.Enter(_g); locked = true; } Work(); {|#1:Monitor.Exit(_g)|}; }
    public void Nullness() { _m?.WaitOne(); Work(); {|#2:_m.ReleaseMutex()|}; }
    private static void Work() { }
}",
    Verify.Diagnostic("HMM006").WithLocation(0).WithMessage("Releasing '_g', which is held here only where 'b' is true; elsewhere the release fails, so test that first"),
    Verify.Diagnostic("HMM006").WithLocation(1).WithMessage("Releasing '_g', which is held here only where 'locked' is true; elsewhere the release fails, so test that first"),
    Verify.Diagnostic("HMM006").WithLocation(2).WithMessage("Releasing '_m', which is held here only where '_m' is not null; elsewhere the release fails, so test that first"));

        [Fact]
        public Task ReleasingALockTakenOnlyOnSomePathsIsCleanWhereTheConditionIsTested() => Verify.Analyzer(@"
class Gate
{
    private readonly object _g = new object();
    public void Flag(bool b) { if (b) { Monitor.Enter(_g); } Work(); if (b) { Monitor.Exit(_g); } }
    public void Local(bool c) { var locked = false; if (c) { Monitor.Enter(_g); locked = true; } Work(); if (locked) { Monitor.Exit(_g); } }
    private static void Work() { }
}");

        [Fact]
        public Task NestedScopesOnOneLockCountDepth() => Verify.Analyzer(@"
class C
{
    private readonly Lock _l = new Lock();
    [GuardedBy(nameof(_l))] private int _n;
    void Nested() { using (_l.EnterScope()) { using (_l.EnterScope()) { _n++; } _n++; } }
    void Declared() { using var outer = _l.EnterScope(); { using var inner = _l.EnterScope(); _n++; } _n++; }
    void ExitedTooOften() { using ({|HMM006:_l.EnterScope()|}) { using (_l.EnterScope()) { } _l.Exit(); {|HMM002:_n|}++; } }
}");

        [Fact]
        public Task ATryAcquireThatWaitsForeverIsAnAcquisition() => Verify.Analyzer(@"
class Index
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly object _gate = new object();
    public void Read()
    {
        _rw.TryEnterReadLock(-1);
        try { } finally { _rw.ExitReadLock(); }
    }
    public void Write()
    {
        _rw.TryEnterWriteLock(Timeout.Infinite);
        try { } finally { _rw.ExitWriteLock(); }
    }
    public void Span()
    {
        _rw.TryEnterUpgradeableReadLock(Timeout.InfiniteTimeSpan);
        try { } finally { _rw.ExitUpgradeableReadLock(); }
    }
    public void Monitor1()
    {
        var taken = false;
        try { Monitor.TryEnter(_gate, -1, ref taken); } finally { if (taken) Monitor.Exit(_gate); }
    }
    public void Bounded()
    {
        _rw.TryEnterReadLock(100);
        try { } finally { {|HMM006:_rw.ExitReadLock()|}; }
    }
}");
    }
}
