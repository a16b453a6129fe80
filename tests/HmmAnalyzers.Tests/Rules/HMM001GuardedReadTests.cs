using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM001GuardedReadTests
    {
        [Fact]
        public Task ReadWithoutLockIsReported() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] private int _count;
    public int Get() => {|HMM001:_count|};
}");

        [Fact]
        public Task MessageNamesMemberLockAndWhatIsHeld() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    private readonly object _other = new object();
    [GuardedBy(""_gate"")] private int _count;
    public int Get() { lock (_other) { return {|#0:_count|}; } }
}", Verify.Diagnostic("HMM001").WithLocation(0).WithMessage("Reading 'Counter._count' requires holding '_gate'; holding '_other'"));

        [Fact]
        public Task ReadInsideLockStatementIsClean() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] private int _count;
    public int Get() { lock (_gate) { return _count; } }
    public void Add() { lock (_gate) { _count++; } }
}");

        [Fact]
        public Task ReadAfterLockStatementIsReported() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] private int _count;
    public int Get() { lock (_gate) { _count = 1; } return {|HMM001:_count|}; }
}");

        [Fact]
        public Task SystemThreadingLockAndEnterScopeAreClean() => Verify.Analyzer(@"
class Counter
{
    private readonly Lock _gate = new Lock();
    [GuardedBy(""_gate"")] private int _count;
    public int Get() { lock (_gate) { return _count; } }
    public int Scoped() { using (_gate.EnterScope()) { return _count; } }
    public int Declared() { using var scope = _gate.EnterScope(); return _count; }
    public int Explicit() { _gate.Enter(); try { return _count; } finally { _gate.Exit(); } }
}");

        [Fact]
        public Task ReadAfterScopeEndsIsReported() => Verify.Analyzer(@"
class Counter
{
    private readonly Lock _gate = new Lock();
    [GuardedBy(""_gate"")] private int _count;
    public int Scoped() { using (_gate.EnterScope()) { _count = 2; } return {|HMM001:_count|}; }
}");

        [Fact]
        public Task LockOnAnotherInstanceIsNamedAsNearMatch() => Verify.Analyzer(@"
class Account
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] private int _balance;
    public int Peek(Account other) { lock (_gate) { return {|#0:other._balance|}; } }
}", Verify.Diagnostic("HMM001").WithLocation(0).WithMessage("Reading 'Account._balance' requires holding 'other._gate'; '_gate' is held, which is the same lock on another instance"));

        [Fact]
        public Task GuardThroughParameterPath() => Verify.Analyzer(@"
class Mm { public readonly object PageTableLock = new object(); [GuardedBy(""PageTableLock"")] public object? Hmm; }
class User
{
    public object? Good(Mm mm) { lock (mm.PageTableLock) { return mm.Hmm; } }
    public object? Bad(Mm mm) => {|HMM001:mm.Hmm|};
    public object? Alias(Mm mm) { var m = mm; lock (m.PageTableLock) { return mm.Hmm; } }
}");

        [Fact]
        public Task PassingByInIsARead() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] private int _count;
    static int Peek(in int value) => value;
    public int Get() => Peek(in {|HMM001:_count|});
}");

        [Fact]
        public Task ConstructorsAndFreshObjectsAreExempt() => Verify.Analyzer(@"
class Node
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] public int Value;
    public Node(int v) { Value = v; }
    public static Node Make() { var n = new Node(0); n.Value = 3; return n; }
    public static Node Init() => new Node(0) { Value = 4 };
}");

        [Fact]
        public Task CopyOfGuardedValueIsJustAValue() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] private int _count;
    public int Get() { int copy; lock (_gate) { copy = _count; } return copy + 1; }
}");

        [Fact]
        public Task RequiresContractSatisfiesReads() => Verify.AnalyzerIgnoringAssertions(@"
class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] private int _count;
    [RequiresShared(""_gate"")] public int Get() => _count;
}");

        [Fact]
        public Task UnannotatedLockOnlyCodeIsSilent() => Verify.Analyzer(@"
class Cache
{
    private readonly object _gate = new object();
    private readonly System.Collections.Generic.Dictionary<int, string> _map = new();
    public string? Get(int k) { lock (_gate) { return _map.TryGetValue(k, out var v) ? v : null; } }
    public void Put(int k, string v) { lock (_gate) { if (_map.Count > 100) { _map.Clear(); } _map[k] = v; } }
    public async Task<int> CountAsync() { await Task.Yield(); lock (_gate) { return _map.Count; } }
}");

        [Fact]
        public Task ASemaphoreNamedAsALockGuardsWhatItNames() => Verify.Analyzer(@"
class Pool
{
    private readonly Semaphore _sem = new Semaphore(1, 1);
    private readonly SemaphoreSlim _slim = new SemaphoreSlim(1, 1);
    [GuardedBy(nameof(_sem))] private int _free;
    [GuardedBy(nameof(_slim))] private int _used;
    public int Take() { _sem.WaitOne(); try { return _free--; } finally { _sem.Release(); } }
    public bool TryTake() { if (!_sem.WaitOne(10)) { return false; } try { _free--; return true; } finally { _sem.Release(); } }
    public int Peek() => {|HMM001:_free|};
    public void Use() { _slim.Wait(); try { _used++; } finally { _slim.Release(); } }
    public int Used() => {|HMM001:_used|};
}");

        // As the kernel's READ_ONCE/WRITE_ONCE: an access marked as atomic on purpose is not a missing lock; a plain one still is.
        [Fact]
        public Task LockFreeAccessesByIntentAreNotReported() => Verify.Analyzer(@"
class Pool
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _count;
    [GuardedBy(nameof(_gate))] private volatile bool _closed;
    [GuardedBy(nameof(_gate))] private object _last;
    [GuardedBy(nameof(_gate), LockFreeReads = true)] private int _size;
    public int Peek() => Volatile.Read(ref _count);
    public void Publish(int n) => Volatile.Write(ref _count, n);
    public int Bump() => Interlocked.Increment(ref _count);
    public object Swap(object o) => Interlocked.CompareExchange(ref _last, o, null);
    public bool IsClosed => _closed;
    public void Close() { _closed = true; }
    public int Size => _size;
    public void Grow() { lock (_gate) { _size++; } }
    public void GrowUnlocked() { {|HMM002:_size|}++; }
    public int Plain() => {|HMM001:_count|};
    public object PlainLast() => {|HMM001:_last|};
}");
    }
}
