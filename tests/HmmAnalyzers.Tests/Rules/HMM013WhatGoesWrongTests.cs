using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    /// <summary>HMM013 by default: without a declaration, only the unlocked accesses that go wrong are reported.</summary>
    public class HMM013WhatGoesWrongTests
    {
        [Fact]
        public Task ALoneReadOfACountOrAStatusIsStaleByNatureAndNotReported() => Verify.Analyzer(@"
class Pool
{
    private readonly object _gate = new object();
    private readonly System.Collections.Generic.List<object> _items = new();
    private int _state;
    public void Add(object o) { lock (_gate) { _items.Add(o); _state = 1; } }
    public void Clear() { lock (_gate) { _items.Clear(); _state = 0; } }
    public int Count => _items.Count;
    public bool Busy => _state != 0;
}");

        [Fact]
        public Task TheSameReadsAreReportedWhenTheOptionAsksForEveryRead() => Verify.AnalyzerReportingEveryInferredRead(@"
class Pool
{
    private readonly object _gate = new object();
    private readonly System.Collections.Generic.List<object> _items = new();
    private int _state;
    public void Add(object o) { lock (_gate) { _items.Add(o); _state = 1; } }
    public void Clear() { lock (_gate) { _items.Clear(); _state = 0; } }
    public int Count => {|HMM013:_items|}.Count;
    public bool Busy => {|HMM013:_state|} != 0;
}");

        [Fact]
        public Task AWriteWithoutTheLockIsReported() => Verify.Analyzer(@"
class Pool
{
    private readonly object _gate = new object();
    private int _state;
    public void Open() { lock (_gate) { _state = 1; } }
    public void Close() { lock (_gate) { _state = 0; } }
    public void Reset() { {|HMM013:_state|} = 0; }
}");

        [Fact]
        public Task ReadingTheContentsOfACollectionOthersChangeUnderTheLockIsReported() => Verify.Analyzer(@"
class Bus
{
    private readonly object _gate = new object();
    private readonly System.Collections.Generic.List<Action> _handlers = new();
    private readonly System.Collections.Generic.Dictionary<string, int> _cache = new();
    public void Subscribe(Action a) { lock (_gate) { _handlers.Add(a); } }
    public void Unsubscribe(Action a) { lock (_gate) { _handlers.Remove(a); } }
    public void Put(string k, int v) { lock (_gate) { _cache[k] = v; } }
    public void Drop(string k) { lock (_gate) { _cache.Remove(k); } }
    public int Get(string k) { lock (_gate) { return _cache[k]; } }
    public bool Has(string k) { lock (_gate) { return _cache.ContainsKey(k); } }
    public void Raise() { foreach (var h in {|HMM013:_handlers|}) { h(); } }
    public bool Find(string k, out int v) => {|HMM013:_cache|}.TryGetValue(k, out v);
    public System.Collections.Generic.IEnumerable<int> Values => {|HMM013:_cache|}.Values;
}");

        [Fact]
        public Task AnImmutableSnapshotSwappedUnderTheLockIsReadWithoutIt() => Verify.Analyzer(@"
class Bus
{
    private readonly object _gate = new object();
    private System.Collections.Immutable.ImmutableList<Action> _handlers = System.Collections.Immutable.ImmutableList<Action>.Empty;
    private Action[] _array = new Action[0];
    private Action _combined;
    public void Subscribe(Action a) { lock (_gate) { _handlers = _handlers.Add(a); _array = new[] { a }; _combined += a; } }
    public void Unsubscribe(Action a) { lock (_gate) { _handlers = _handlers.Remove(a); _array = new Action[0]; _combined -= a; } }
    public void Raise()
    {
        foreach (var h in _handlers) { h(); }
        foreach (var h in _array) { h(); }
        _combined?.Invoke();
    }
}");

        [Fact]
        public Task AReadAfterTheLockOfWhatWasCheckedUnderItIsReported() => Verify.Analyzer(@"
class Handoff
{
    private readonly object _gate = new object();
    private int _kind;
    public void Set(int k) { lock (_gate) { _kind = k; } }
    public void Reset() { lock (_gate) { _kind = 0; } }
    public bool Take()
    {
        bool done;
        lock (_gate) { done = _kind != 0; }
        return done && {|HMM013:_kind|} == 1;
    }
}");

        [Fact]
        public Task TheReferenceOfAReadonlyCollectionTakenAsALockIsNotARead() => Verify.Analyzer(@"
class Tasks
{
    private readonly System.Collections.Generic.List<int> _tasks = new();
    public void Add(int t) { lock (_tasks) { _tasks.Add(t); } }
    public void Remove(int t) { lock (_tasks) { _tasks.Remove(t); } }
    public bool TryAdd(int t)
    {
        var taken = false;
        try
        {
            Monitor.TryEnter(_tasks, ref taken);
            if (taken) { _tasks.Add(t); }
            return taken;
        }
        finally
        {
            if (taken) { Monitor.Exit(_tasks); }
        }
    }
}");
    

        [Fact]
        public Task MembersOnlyTheDebuggerCallsAreNotReported() => Verify.AnalyzerReportingEveryInferredRead(@"
[System.Diagnostics.DebuggerDisplay(""Count = {Shown}"")]
class Pool
{
    private readonly object _gate = new object();
    private int _n;
    public void Add() { lock (_gate) { _n++; } }
    public void Sub() { lock (_gate) { _n--; } }
    public void Reset() { lock (_gate) { _n = 0; } }
    public void Set(int n) { lock (_gate) { _n = n; } }
    public int Get() { lock (_gate) { return _n; } }
    public int Get2() { lock (_gate) { return _n; } }
    private int Shown => _n;
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    private int Hidden => _n;
    public int Visible => {|HMM013:_n|};
}");

        [Fact]
        public Task OneStatementThatReadsAMemberTwiceIsOneReport() => Verify.Analyzer(@"
class Pool
{
    private readonly object _gate = new object();
    private int _n;
    public void Add() { lock (_gate) { _n++; } }
    public void Sub() { lock (_gate) { _n--; } }
    public void Reset() { lock (_gate) { _n = 0; } }
    public int Get() { lock (_gate) { return _n; } }
    public int Get2() { lock (_gate) { return _n; } }
    public void Twice() { {|HMM013:_n|} = _n + 1; }
}");
    

        [Fact]
        public Task DisposalAndTheHelpersOnlyItCallsAreTeardownLikeConstruction() => Verify.Analyzer(@"
sealed class Monitor2 : IDisposable
{
    private readonly object _gate = new object();
    private readonly System.Collections.Generic.Dictionary<int, object> _items = new();
    private object _last;
    public void Add(int k, object o) { lock (_gate) { _items[k] = o; _last = o; } }
    public void Remove(int k) { lock (_gate) { _items.Remove(k); _last = null; } }
    public object Get(int k) { lock (_gate) { return _items[k]; } }
    public void Dispose() { foreach (var o in _items.Values) { } ClearState(); }
    private void ClearState() { _items.Clear(); _last = null; }
    public void Reset() { {|HMM013:_items|}.Clear(); {|HMM013:_last|} = null; }
}");
    }
}
