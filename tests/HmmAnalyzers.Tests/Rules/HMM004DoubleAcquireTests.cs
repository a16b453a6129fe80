using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM004DoubleAcquireTests
    {
        [Fact]
        public Task NonReentrantReacquireIsReported() => Verify.Analyzer(@"
class Table
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void Twice()
    {
        _rw.EnterWriteLock();
        {|#0:_rw.EnterWriteLock()|};
        _rw.ExitWriteLock();
    }
}", Verify.Diagnostic("HMM004").WithLocation(0).WithMessage("Acquiring '_rw' while already holding '_rw' exclusively; the lock is not reentrant"));

        [Fact]
        public Task ReentrantLocksAndRecursivePolicyAreClean() => Verify.Analyzer(@"
class Table
{
    private readonly object _gate = new object();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim(LockRecursionPolicy.SupportsRecursion);
    public void Nested() { lock (_gate) { lock (_gate) { } } }
    public void Recursive() { _rw.EnterReadLock(); _rw.EnterReadLock(); _rw.ExitReadLock(); _rw.ExitReadLock(); }
    public void Upgrade() { _rw.EnterUpgradeableReadLock(); _rw.EnterWriteLock(); _rw.ExitWriteLock(); _rw.ExitUpgradeableReadLock(); }
}");

        [Fact]
        public Task RecursionIsReadFromTheConstructorArgumentNotFromTheText() => Verify.Analyzer(@"
class Table
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim(LockRecursionPolicy.NoRecursion); // not SupportsRecursion
    private readonly ReaderWriterLockSlim _recursive = new(System.Threading.LockRecursionPolicy.SupportsRecursion);
    public void Twice() { _rw.EnterReadLock(); {|HMM004:_rw.EnterReadLock()|}; _rw.ExitReadLock(); }
    public void Recursive() { _recursive.EnterReadLock(); _recursive.EnterReadLock(); _recursive.ExitReadLock(); _recursive.ExitReadLock(); }
}");

        [Fact]
        public Task SpinLockAndUserLockTypes() => Verify.Analyzer(@"
[LockType(Spinning = true)]
class Spinlock
{
    [Acquires] public void Lock() { }
    [Releases] public void Unlock() { }
}
class User
{
    private SpinLock _spin = new SpinLock(false);
    private readonly Spinlock _s = new Spinlock();
    public void A() { bool t = false; _spin.Enter(ref t); bool u = false; {|HMM004:_spin.Enter(ref u)|}; _spin.Exit(); }
    public void B() { _s.Lock(); {|HMM004:_s.Lock()|}; _s.Unlock(); }
    public void C() { _s.Lock(); _s.Unlock(); _s.Lock(); _s.Unlock(); }
}");

        [Fact]
        public Task ExcludedLockHeldAtCall() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [Excludes(nameof(_gate))] public void Refresh() { lock (_gate) { } }
    public void Bad() { lock (_gate) { {|#0:Refresh()|}; } }
    public void Good() { Refresh(); }
}", Verify.Diagnostic("HMM004").WithLocation(0).WithMessage("Calling 'Box.Refresh' while holding '_gate', which it acquires itself"));

        // Clang: one warning for the second acquisition, and the lock is not counted twice, so one release ends the hold.
        [Fact]
        public Task ARejectedSecondAcquisitionIsReportedOnceAndNotCounted() => Verify.Analyzer(@"
class Table
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private SpinLock _spin = new SpinLock(false);
    public void Once()
    {
        _rw.EnterWriteLock();
        {|HMM004:_rw.EnterWriteLock()|};
        _rw.ExitWriteLock();
    }
    public void ReleasedTooOften()
    {
        _rw.EnterWriteLock();
        {|HMM004:_rw.EnterWriteLock()|};
        _rw.ExitWriteLock();
        {|HMM006:_rw.ExitWriteLock()|};
    }
    public void Spin()
    {
        bool a = false, b = false;
        _spin.Enter(ref a);
        {|HMM004:_spin.Enter(ref b)|};
        _spin.Exit();
    }
}");

        // ReaderWriterLockSlim throws LockRecursionException when a read lock holder asks for the write or upgradeable lock, with or without recursion.
        [Fact]
        public Task AReadLockIsNotUpgradedInPlace() => Verify.Analyzer(@"
class Table
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly ReaderWriterLockSlim _recursive = new ReaderWriterLockSlim(LockRecursionPolicy.SupportsRecursion);
    public void Write()
    {
        _rw.EnterReadLock();
        {|#0:_rw.EnterWriteLock()|};
        _rw.ExitReadLock();
    }
    public void WriteRecursive()
    {
        _recursive.EnterReadLock();
        {|#1:_recursive.EnterWriteLock()|};
        _recursive.ExitReadLock();
    }
    public void Upgradeable()
    {
        _recursive.EnterReadLock();
        {|#2:_recursive.EnterUpgradeableReadLock()|};
        _recursive.ExitReadLock();
    }
    public void TheWayThatWorks()
    {
        _rw.EnterUpgradeableReadLock();
        _rw.EnterWriteLock();
        _rw.ExitWriteLock();
        _rw.ExitUpgradeableReadLock();
        _recursive.EnterWriteLock();
        _recursive.EnterReadLock();
        _recursive.ExitReadLock();
        _recursive.ExitWriteLock();
    }
}",
    Verify.Diagnostic("HMM004").WithLocation(0).WithMessage("Acquiring '_rw' exclusively while holding it shared; a read lock is not upgraded in place (take the upgradeable read lock instead)"),
    Verify.Diagnostic("HMM004").WithLocation(1)
        .WithMessage("Acquiring '_recursive' exclusively while holding it shared; a read lock is not upgraded in place (take the upgradeable read lock instead)"),
    Verify.Diagnostic("HMM004").WithLocation(2)
        .WithMessage("Acquiring '_recursive' for upgrade while holding it shared; a read lock is not upgraded in place (take the upgradeable read lock instead)"));
    }
}
