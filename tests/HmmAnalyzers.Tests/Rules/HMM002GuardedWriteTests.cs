using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM002GuardedWriteTests
    {
        [Fact]
        public Task WritesWithoutLockAreReportedOnce() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] private int _count;
    [GuardedBy(""_gate"")] private string? _name;
    static void Set(out int v) => v = 1;
    static void Bump(ref int v) => v++;
    public void A() => {|HMM002:_count|} = 1;
    public void B() => {|HMM002:_count|}++;
    public void C() => {|HMM002:_count|} += 2;
    public void D() => {|HMM002:_name|} ??= ""x"";
    public void E() => Set(out {|HMM002:_count|});
    public void F() => Bump(ref {|HMM002:_count|});
    public void G() => ({|HMM002:_count|}, {|HMM002:_name|}) = (1, ""y"");
}");

        [Fact]
        public Task SharedHoldIsNotEnoughForWrite() => Verify.Analyzer(@"
class Table
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [GuardedBy(""_rw"")] private int _size;
    public int Read() { _rw.EnterReadLock(); try { return _size; } finally { _rw.ExitReadLock(); } }
    public void Write() { _rw.EnterReadLock(); try { {|#0:_size|} = 1; } finally { _rw.ExitReadLock(); } }
    public void Upgrade() { _rw.EnterUpgradeableReadLock(); try { if (_size == 0) { _rw.EnterWriteLock(); try { _size = 1; } finally { _rw.ExitWriteLock(); } } } finally { _rw.ExitUpgradeableReadLock(); } }
}", Verify.Diagnostic("HMM002").WithLocation(0).WithMessage("Writing 'Table._size' requires holding '_rw' exclusively; holding '_rw' shared"));

        [Fact]
        public Task WriteUnderLockIsClean() => Verify.AnalyzerIgnoringAssertions(@"
class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(""_gate"")] private int _count;
    public void A() { lock (_gate) { _count = 1; _count++; _count += 2; } }
    [RequiresExclusive(""_gate"")] public void B() => _count = 3;
}");

        [Fact]
        public Task RequiresSharedDoesNotAllowWrites() => Verify.AnalyzerIgnoringAssertions(@"
class Table
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [GuardedBy(""_rw"")] private int _size;
    [RequiresShared(""_rw"")] public void Bad() => {|HMM002:_size|} = 2;
    [RequiresShared(""_rw"")] public int Good() => _size;
}");

        [Fact]
        public Task ASynchronizedMethodHoldsTheMonitorOfThis() => Verify.Analyzer(@"
using System.Runtime.CompilerServices;
class Counter
{
    [GuardedBy(""this"")] private int _n;
    [MethodImpl(MethodImplOptions.Synchronized)] public void Inc() { _n++; }
    [MethodImpl(MethodImplOptions.Synchronized | MethodImplOptions.NoInlining)] public int Get() => _n;
    [MethodImpl(MethodImplOptions.Synchronized)] public void Nested() { lock (this) { _n--; } }
    public void Unsynchronized() { {|HMM002:_n|}++; }
    [MethodImpl(MethodImplOptions.NoInlining)] public int NotSynchronized() => {|HMM001:_n|};
}");

        [Fact]
        public Task AWriteThroughARefLocalIsAWriteOfTheMember() => Verify.Analyzer(@"
class Box
{
    private readonly object _g = new object();
    [GuardedBy(nameof(_g))] private int _a;
    public void Good() { lock (_g) { ref int r = ref _a; r = 5; r++; } }
    public void AfterTheLock() { ref int r = ref {|HMM001:_a|}; lock (_g) { r = 1; } {|HMM002:r|} = 5; }
    public int ReadAfterTheLock() { int x; lock (_g) { ref int r = ref _a; x = r; } return x; }
}");

        [Fact]
        public Task ContractsOfLocalFunctionsAreHonoured() => Verify.Analyzer(@"
class C
{
    private readonly object _o = new object();
    [GuardedBy(nameof(_o))] private int _n;
    void UseLocal()
    {
        Take();
        _n++;
        Give();
        {|HMM002:_n|}++;
        [Acquires(nameof(_o))] void Take() { Monitor.Enter(_o); }
        [Releases(nameof(_o))] void Give() { Monitor.Exit(_o); }
    }
}");

        // Two instances locked in an order chosen at run time: on each path the locals name both objects, so both locks are held.
        [Fact]
        public Task TwoInstancesLockedInAnOrderChosenAtRunTime() => Verify.Analyzer(@"
class Account
{
    public int Id;
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private decimal _balance;
    public static void Transfer(Account a, Account b, decimal x)
    {
        var (first, second) = a.Id < b.Id ? (a, b) : (b, a);
        lock (first._gate) lock (second._gate) { a._balance -= x; b._balance += x; }
    }
    public static void Assigned(Account a, Account b, decimal x)
    {
        Account first, second;
        (first, second) = a.Id < b.Id ? (a, b) : (b, a);
        lock (first._gate) { lock (second._gate) { a._balance -= x; b._balance += x; } }
    }
    public static void NotTheSamePair(Account a, Account b, Account c, decimal x)
    {
        var (first, second) = a.Id < b.Id ? (a, b) : (b, c);
        lock (first._gate) lock (second._gate) { {|HMM002:a._balance|} -= x; b._balance += x; }
    }
    public static void OnlyOneTaken(Account a, Account b, decimal x)
    {
        var (first, second) = a.Id < b.Id ? (a, b) : (b, a);
        lock (first._gate) { {|HMM002:a._balance|} -= x; {|HMM002:b._balance|} += x; }
    }
    public static void ReassignedAfterwards(Account a, Account b, Account c, decimal x)
    {
        var (first, second) = a.Id < b.Id ? (a, b) : (b, a);
        first = c;
        lock (first._gate) lock (second._gate) { {|HMM002:a._balance|} -= x; {|HMM002:b._balance|} += x; }
    }
}");

        // Changing what a guarded collection holds changes the guarded state: under a read lock it is a write.
        [Fact]
        public Task MutatingAGuardedCollectionIsAWrite() => Verify.Analyzer(@"
using System.Collections.Generic;
class Bag { [Mutates] public void Put(int x) { } public int Peek() => 0; }
class Lru
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [GuardedBy(nameof(_rw))] private readonly LinkedList<int> _order = new LinkedList<int>();
    [GuardedBy(nameof(_rw))] private readonly Dictionary<int, int> _map = new Dictionary<int, int>();
    [GuardedBy(nameof(_rw))] private readonly int[] _slots = new int[4];
    [GuardedBy(nameof(_rw))] private readonly System.Text.StringBuilder _log = new System.Text.StringBuilder();
    [GuardedBy(nameof(_rw))] private readonly Bag _bag = new Bag();
    public int Get(int k)
    {
        _rw.EnterReadLock();
        try
        {
            if (_map.TryGetValue(k, out var v)) { {|HMM002:_order|}.Remove(k); {|HMM002:_order|}.AddFirst(k); }
            {|HMM002:_map|}[k] = 1;
            {|HMM002:_slots|}[0] = 1;
            {|HMM002:_log|}.Append(""x"");
            {|HMM002:_bag|}.Put(1);
            var n = _bag.Peek() + _map.Count + _slots[1] + _order.Count + _map[k] + (_map.ContainsKey(1) ? 1 : 0);
            foreach (var pair in _map) { n += pair.Value; }
            return v + n;
        }
        finally { _rw.ExitReadLock(); }
    }
    public void Put(int k)
    {
        _rw.EnterWriteLock();
        try { _map[k] = k; _order.AddFirst(k); _slots[0] = 1; _log.Append(""y""); _bag.Put(2); _map.Remove(3); }
        finally { _rw.ExitWriteLock(); }
    }
}");
    }
}
