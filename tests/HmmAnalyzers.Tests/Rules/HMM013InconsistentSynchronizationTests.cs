using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM013InconsistentSynchronizationTests
    {
        [Fact]
        public Task AReadOutsideTheLockThatGuardsTheOtherAccessesIsReported() => Verify.AnalyzerReportingEveryInferredRead(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { {|#1:_count|}++; } }
    public void Reset() { lock (_gate) { {|#2:_count|} = 0; } }
    public int Locked() { lock (_gate) { return _count; } }
    public int Peek() => {|#0:_count|};
}", Verify.Diagnostic("HMM013").WithLocation(0).WithLocation(1).WithLocation(2)
            .WithMessage("'Counter._count' is accessed under '_gate' in 3 of 4 places; this read does not hold it"));

        [Fact]
        public Task AWriteOutsideTheLockIsReportedAsAWrite() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
    public void Reset() { {|#0:_count|} = 0; }
}", Verify.Diagnostic("HMM013").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithMessage("'Counter._count' is accessed under '_gate' in 2 of 3 places; this write does not hold it"));

        [Fact]
        public Task BelowTwoThirdsNoGuardIsInferred() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
    public int Peek() => _count;
    public bool IsZero() => _count == 0;
}");

        [Fact]
        public Task OneLockedWriteInfersNothing() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public int Get1() { lock (_gate) { return _count; } }
    public int Get2() { lock (_gate) { return _count; } }
    public int Peek() => _count;
}");

        [Fact]
        public Task WritesUnderDifferentLocksInferNothing() => Verify.Analyzer(@"
class Counter
{
    private readonly object _a = new object();
    private readonly object _b = new object();
    private int _count;
    public void Add() { lock (_a) { _count++; } }
    public void Sub() { lock (_b) { _count--; } }
    public void Mul() { lock (_a) { _count *= 2; } }
    public void Div() { lock (_b) { _count /= 2; } }
    public int Peek() => _count;
}");

        [Fact]
        public Task ConstructionIsNotCounted() => Verify.AnalyzerReportingEveryInferredRead(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    private string? _name;
    public Counter() { _count = 1; _count++; Init(); }
    public Counter(int start) : this() { _count = start; }
    private void Init() { _count = 2; _name = ""a""; }
    public int Start { init { _count = value; } }
    public void Add() { lock (_gate) { _count++; _name = ""b""; } }
    public void Sub() { lock (_gate) { _count--; _name = ""c""; } }
    public int Peek() => {|HMM013:_count|};
}");

        [Fact]
        public Task AMemberWrittenOnlyDuringConstructionIsNotGuarded() => Verify.Analyzer(@"
class Settings
{
    private readonly object _gate = new object();
    private int _limit;
    private int _used;
    public Settings(int limit) { _limit = limit; _limit += 1; }
    public bool TryUse() { lock (_gate) { if (_used >= _limit) return false; _used++; return true; } }
    public void Release() { lock (_gate) { _used--; } }
    public int Limit => _limit;
}");

        [Fact]
        public Task LockFreeAccessesAreNotReported() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    private volatile int _version;
    public void Add() { lock (_gate) { _count++; _version++; } }
    public void Sub() { lock (_gate) { _count--; _version++; } }
    public int Peek() => Volatile.Read(ref _count);
    public void Bump() => Interlocked.Increment(ref _count);
    public int Version => _version;
}");

        [Fact]
        public Task DoubleCheckedLazyInitializationOfAReferenceIsNotReported() => Verify.Analyzer(@"
class Lazy1
{
    private readonly object _gate = new object();
    private object? _value;
    public object Get()
    {
        if (_value == null)
        {
            lock (_gate)
            {
                if (_value == null) _value = new object();
            }
        }
        return _value;
    }
    public void Reset() { lock (_gate) { _value = null; } }
    public void Set(object v) { lock (_gate) { _value = v; } }
    public object? Peek() { lock (_gate) { return _value; } }
}
class Lazy2
{
    private readonly object _gate = new object();
    private object? _value;
    public object Get()
    {
        var v = _value;
        if (v != null) return v;
        lock (_gate)
        {
            return _value ??= new object();
        }
    }
    public void Reset() { lock (_gate) { _value = null; } }
}");

        [Fact]
        public Task AnUnlockedReadWithoutTheSecondCheckIsStillReported() => Verify.AnalyzerReportingEveryInferredRead(@"
class Cache
{
    private readonly object _gate = new object();
    private object? _value;
    public object? Get() { lock (_gate) { return _value; } }
    public void Set(object v) { lock (_gate) { _value = v; } }
    public void Reset() { lock (_gate) { _value = null; } }
    public bool Has() => {|HMM013:_value|} != null;
}
class Counter
{
    private readonly object _gate = new object();
    private int? _value;
    public int Get()
    {
        if ({|HMM013:_value|} == null)
        {
            lock (_gate) { if (_value == null) _value = 1; }
        }
        return {|HMM013:_value|}.Value;
    }
    public void Reset() { lock (_gate) { _value = null; } }
    public void Set(int v) { lock (_gate) { _value = v; } }
}");

        [Fact]
        public Task AnnotatedMembersAreLeftToHMM001AndHMM002() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
    public int Peek() => {|HMM001:_count|};
}");

        [Fact]
        public Task PartialClassesAreOneType()
        {
            var test = Verify.Create(@"
partial class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
}");
            test.TestState.Sources.Add(("Other.cs", @"
partial class Counter
{
    public int Get() { lock (_gate) { return _count; } }
    public int Peek() => {|HMM013:_count|};
}"));
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", Verify.EveryInferredRead));
            return test.RunAsync();
        }

        [Fact]
        public Task StaticFieldsGuardedByAStaticLock() => Verify.AnalyzerReportingEveryInferredRead(@"
static class Registry
{
    private static readonly object Gate = new object();
    private static int s_count;
    static Registry() { s_count = 0; }
    public static void Add() { lock (Gate) { s_count++; } }
    public static void Sub() { lock (Gate) { s_count--; } }
    public static int Peek() => {|HMM013:s_count|};
}");

        [Fact]
        public Task MonitorAndLockGuards() => Verify.Analyzer(@"
class WithMonitor
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { Monitor.Enter(_gate); try { _count++; } finally { Monitor.Exit(_gate); } }
    public void Sub() { Monitor.Enter(_gate); try { _count--; } finally { Monitor.Exit(_gate); } }
    public void Reset() { {|HMM013:_count|} = 0; }
}
class WithLock
{
    private readonly Lock _gate = new Lock();
    private int _count;
    public void Add() { using (_gate.EnterScope()) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
    public void Reset() { {|HMM013:_count|} = 0; }
}");

        [Fact]
        public Task ReaderWriterLockSlimGuard() => Verify.AnalyzerReportingEveryInferredRead(@"
class Table
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private int _size;
    public void Grow() { _rw.EnterWriteLock(); try { _size++; } finally { _rw.ExitWriteLock(); } }
    public void Shrink() { _rw.EnterWriteLock(); try { _size--; } finally { _rw.ExitWriteLock(); } }
    public int Size() { _rw.EnterReadLock(); try { return _size; } finally { _rw.ExitReadLock(); } }
    public bool Empty() { _rw.EnterReadLock(); try { return _size == 0; } finally { _rw.ExitReadLock(); } }
    public void Clear() { _rw.EnterReadLock(); try { {|#0:_size|} = 0; } finally { _rw.ExitReadLock(); } }
    public int Peek() => {|#1:_size|};
}", Verify.Diagnostic("HMM013").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithMessage("'Table._size' is accessed under '_rw' in 4 of 6 places; this write does not hold it exclusively"),
            Verify.Diagnostic("HMM013").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithMessage("'Table._size' is accessed under '_rw' in 4 of 6 places; this read does not hold it"));

        [Fact]
        public Task SemaphoreSlimGuard() => Verify.AnalyzerReportingEveryInferredRead(@"
class Pool
{
    private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
    private int _free;
    public async Task TakeAsync() { await _sem.WaitAsync(); try { _free--; } finally { _sem.Release(); } }
    public void Give() { _sem.Wait(); try { _free++; } finally { _sem.Release(); } }
    public int Free => {|HMM013:_free|};
}");

        [Fact]
        public Task ABinarySemaphoreIsALockForInferenceOnly() => Verify.Analyzer(@"
class Gate
{
    private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
    private readonly SemaphoreSlim _counting = new SemaphoreSlim(4);
    private int _state;
    public async Task EnterAsync() { await _sem.WaitAsync(); _state++; }
    public void Leave() { _state--; _sem.Release(); }
    public void Loop() { for (var i = 0; i < 3; i++) { _sem.Wait(); } }
    public void Throttled() { _counting.Wait(); try { _state = 5; } finally { _counting.Release(); } }
}");

        [Fact]
        public Task LockingAMembersObjectDoesNotReadIt() => Verify.Analyzer(@"
class Barrier
{
    private readonly System.Collections.Generic.Queue<int> _waiters = new();
    public void Add(int i) { lock (_waiters) { _waiters.Enqueue(i); _waiters.Enqueue(i); } }
    public void Take() { lock (this._waiters) { _waiters.Dequeue(); _waiters.Dequeue(); _waiters.Clear(); Monitor.PulseAll(_waiters); } }
}");

        [Fact]
        public Task DeliberateUnlockedReadsAreNotReported() => Verify.Analyzer(@"
class Report
{
    private readonly object _gate = new object();
    private int _count;
    private object? _value;
    public void Add() { lock (_gate) { _count++; _value = new object(); } }
    public void Sub() { lock (_gate) { _count--; _value = null; } }
    public int BestEffort()
    {
        var taken = false;
        try
        {
            Monitor.TryEnter(_gate, 10, ref taken);
            return _count;
        }
        finally
        {
            if (taken) Monitor.Exit(_gate);
        }
    }
    public object? Fenced()
    {
        Thread.MemoryBarrier();
        return _value;
    }
}");

        [Fact]
        public Task APropertyThatReturnsTheLockFieldIsThatLock() => Verify.AnalyzerReportingEveryInferredRead(@"
class Store
{
    private readonly object _gate = new object();
    protected object SyncObject => _gate;
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (SyncObject) { _count--; } }
    public int Get() { lock (SyncObject) { return _count; } }
    public int Peek() => {|#0:_count|};
}", Verify.Diagnostic("HMM013").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithMessage("'Store._count' is accessed under '_gate' in 3 of 4 places; this read does not hold it"));

        [Fact]
        public Task AVirtualPropertyIsNotData() => Verify.Analyzer(@"
class Appender
{
    private readonly object _gate = new object();
    public virtual object? Head { get; private set; }
    public void A() { lock (_gate) { Head = new object(); } }
    public void B() { lock (_gate) { Head = null; } }
    public object? Peek() => Head;
}");

        [Fact]
        public Task AnOverrideMayRunUnderItsBaseTypesLock() => Verify.AnalyzerReportingEveryInferredRead(@"
abstract class Skeleton
{
    protected readonly object LockObj = new object();
    public void DoAppend(int e) { lock (LockObj) { Append(e); } }
    protected abstract void Append(int e);
}
class Forwarding : Skeleton
{
    private object? _target;
    private int _count;
    public void Attach(object t) { lock (LockObj) { _target = t; _count++; } }
    public void Detach() { lock (LockObj) { _target = null; _count--; } }
    protected override void Append(int e) { _target?.ToString(); }
    public int Count() => {|HMM013:_count|};
}");

        [Fact]
        public Task AnInternalHelperCalledOnlyUnderTheLockRunsUnderIt() => Verify.Analyzer(@"
class Store
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { SetAll(1); } }
    public void Sub() { lock (_gate) { _count--; SetAll(2); } }
    internal void SetAll(int v) { _count = v; }
}");

        [Fact]
        public Task APrivateHelperCalledOnlyUnderTheLockRunsUnderIt() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { AddCore(); } }
    public void Sub() { lock (_gate) { _count--; } }
    private void AddCore() { _count++; Log(); }
    private void Log() { _count += 0; }
    public int Get() { lock (_gate) { return _count; } }
}
class Leaky
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { AddCore(); } }
    public void Sub() { lock (_gate) { _count--; } }
    public void Sub2() { lock (_gate) { _count -= 2; } }
    public void Unlocked() { AddCore(); }
    private void AddCore() { {|HMM013:_count|}++; }
    public int Get() { lock (_gate) { return _count; } }
    public int Get2() { lock (_gate) { return _count; } }
    public int Get3() { lock (_gate) { return _count; } }
}");

        [Fact]
        public Task LambdasRunWithTheLocksOfWhereTheyRun() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    private readonly System.Collections.Generic.List<int> _items = new();
    private int _count;
    public void AddAll() { lock (_gate) { _items.ForEach(i => _count += i); } }
    public void Sub() { lock (_gate) { _count--; } }
    public void Later() { lock (_gate) { Task.Run(() => {|HMM013:_count|}++); } }
}");

        [Fact]
        public Task AReadonlyCollectionIsWrittenThroughItsMutatingCalls() => Verify.AnalyzerReportingEveryInferredRead(@"
class Queue1
{
    private readonly object _gate = new object();
    private readonly System.Collections.Generic.List<int> _items = new();
    public void Add(int i) { lock (_gate) { _items.Add(i); } }
    public void Clear() { lock (_gate) { _items.Clear(); } }
    public int Count => {|HMM013:_items|}.Count;
}");

        [Fact]
        public Task AccessesThroughOtherInstancesAreNotCounted() => Verify.Analyzer(@"
class Node
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
    public int Get() { lock (_gate) { return _count; } }
    public static int Peek(Node other) => other._count;
}");

        [Fact]
        public Task APropertyWithABodyIsNotData() => Verify.AnalyzerReportingEveryInferredRead(@"
class Counter
{
    private readonly object _gate = new object();
    public int Auto { get; set; }
    public int Computed { get => 1; set { } }
    public void A() { lock (_gate) { Auto++; Computed++; } }
    public void B() { lock (_gate) { Auto--; Computed--; } }
    public int Peek() => {|HMM013:Auto|} + Computed;
}");

        [Fact]
        public Task NoLockAnalysisCodeIsLeftAlone() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
    [NoLockAnalysis] public int Peek() => _count;
}");

        [Fact]
        public Task BranchesLoopsAndEarlyReturnsUseTheLocksetWhereTheAccessIs() => Verify.Analyzer(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add(bool b)
    {
        if (b) { lock (_gate) { _count++; } return; }
        for (var i = 0; i < 3; i++) { lock (_gate) { _count--; } }
        try { Monitor.Enter(_gate); _count = 1; } finally { Monitor.Exit(_gate); }
        {|HMM013:_count|} = 2;
    }
}");
    }
}
