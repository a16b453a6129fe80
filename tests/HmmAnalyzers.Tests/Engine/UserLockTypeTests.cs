using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>[LockType] classes: shared and exclusive modes, try-acquire contracts either way, reentrancy.</summary>
    public class UserLockTypeTests
    {
        private const string RwSem = @"
[LockType]
class RwSem
{
    [AcquiresShared] public void DownRead() { }
    [ReleasesShared] public void UpRead() { }
    [Acquires] public void DownWrite() { }
    [Releases] public void UpWrite() { }
    [TryAcquiresShared(true)] public bool DownReadTrylock() => true;
    [TryAcquires(false)] public bool WriteBusy() => false;
}
[LockType(Reentrant = true)]
class Recursive
{
    [Acquires] public void Lock() { }
    [Releases] public void Unlock() { }
}
";

        [Fact]
        public Task SharedAndExclusiveModes() => Verify.Analyzer(RwSem + @"
class Table
{
    private readonly RwSem _sem = new RwSem();
    [GuardedBy(nameof(_sem))] private int _n;
    public int Read() { _sem.DownRead(); var v = _n; _sem.UpRead(); return v; }
    public void Write() { _sem.DownWrite(); _n = 1; _sem.UpWrite(); }
    public void BadWrite() { _sem.DownRead(); {|HMM002:_n|} = 1; _sem.UpRead(); }
    public void WrongRelease() { _sem.DownRead(); {|HMM006:_sem.UpWrite()|}; }
}");

        [Fact]
        public Task TryAcquireContractsOnEitherResult() => Verify.Analyzer(RwSem + @"
class Table
{
    private readonly RwSem _sem = new RwSem();
    [GuardedBy(nameof(_sem))] private int _n;
    public int Try() { if (!_sem.DownReadTrylock()) { return -1; } var v = _n; _sem.UpRead(); return v; }
    public void Inverted() { if (_sem.WriteBusy()) { return; } _n = 2; _sem.UpWrite(); }
    public void Ignored() { _sem.DownReadTrylock(); var v = {|HMM001:_n|}; }
}");

        [Fact]
        public Task ReentrantUserLock() => Verify.Analyzer(RwSem + @"
class Table
{
    private readonly Recursive _lock = new Recursive();
    [GuardedBy(nameof(_lock))] private int _n;
    public void Nested() { _lock.Lock(); _lock.Lock(); _n++; _lock.Unlock(); _n++; _lock.Unlock(); }
    public void Unbalanced() { {|HMM005:_lock.Lock()|}; _lock.Lock(); _lock.Unlock(); }
}");

        [Fact]
        public Task AcquiresAndReleasesOnOtherObjects() => Verify.AnalyzerIgnoringAssertions(@"
class Mm { public readonly object Lock = new object(); [GuardedBy(nameof(Lock))] public int Users; }
static class Api
{
    [Acquires(""mm.Lock"")] public static void LockMm(Mm mm) => Monitor.Enter(mm.Lock);
    [Releases(""mm.Lock"")] public static void UnlockMm(Mm mm) => Monitor.Exit(mm.Lock);
    [RequiresExclusive(""mm.Lock"")] public static void Touch(Mm mm) => mm.Users++;
    public static void Use(Mm a, Mm b)
    {
        LockMm(a);
        Touch(a);
        {|HMM003:Touch(b)|};
        UnlockMm(a);
        {|HMM006:UnlockMm(b)|};
    }
}");
    

        [Fact]
        public Task LockdepsTrackedLockIsALock() => Verify.Analyzer(@"
class Store
{
    private readonly TrackedLock _lock = new TrackedLock(""Store"");
    [GuardedBy(nameof(_lock))] private int _n;
    public void Scoped() { using (_lock.EnterScope()) { _n++; } }
    public void ByHand() { _lock.Enter(); try { _n++; } finally { _lock.Exit(); } }
    public void Tried() { if (_lock.TryEnter()) { try { _n++; } finally { _lock.Exit(); } } }
    public int Unlocked() => {|HMM001:_n|};
    public void Leaked(Action a) { {|HMM005:_lock.Enter()|}; a(); _n++; _lock.Exit(); }
}");
    

        [Fact]
        public Task TrackedLocksTakenInBothOrdersAreACycle() => Verify.Analyzer(@"
class Bank
{
    private readonly TrackedLock _accounts = new TrackedLock(""Bank.Accounts"");
    private readonly TrackedLock _audit = new TrackedLock(""Bank.Audit"");
    public void Post() { using (_accounts.EnterScope()) { using ({|HMM012:_audit.EnterScope()|}) { } } }
    public void Audit() { using (_audit.EnterScope()) { using (_accounts.EnterScope()) { } } }
}");
    }
}
