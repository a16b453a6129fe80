using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    /// <summary>HMM005: a lock left held when something between its acquisition and its release throws.</summary>
    public class HMM005LeakedByExceptionTests
    {
        private static DiagnosticResult Leak(int location, string path, string thrower)
            => Verify.Diagnostic("HMM005").WithLocation(location).WithLocation(location + 1)
                .WithMessage($"'{path}' is acquired here but not released if '{thrower}' throws; release it in a finally block or use a scoped guard (lock, using)");

        [Fact]
        public Task AWriteLockIsLeftHeldWhenTheFactoryThrows() => Verify.Analyzer(@"
class Cache
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly System.Collections.Generic.Dictionary<string, object> _map = new();
    public object Add(string key, Func<string, object> factory)
    {
        {|#0:_rw.EnterWriteLock()|};
        var v = {|#1:factory(key)|};
        _map[key] = v;
        _rw.ExitWriteLock();
        return v;
    }
}", Leak(0, "_rw", "factory(key)"));

        [Fact]
        public Task AWriteLockReleasedInAFinallyIsNotLeaked() => Verify.Analyzer(@"
class Cache
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly System.Collections.Generic.Dictionary<string, object> _map = new();
    public object Add(string key, Func<string, object> factory)
    {
        _rw.EnterWriteLock();
        try
        {
            var v = factory(key);
            _map[key] = v;
            return v;
        }
        finally
        {
            _rw.ExitWriteLock();
        }
    }
}");

        [Fact]
        public Task AnExplicitThrowBetweenEnterAndExitLeavesTheMonitorHeld() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private int _n;
    public void Take(int n)
    {
        {|#0:Monitor.Enter(_gate)|};
        if (n > _n) { {|#1:throw new InvalidOperationException();|} }
        _n -= n;
        Monitor.Exit(_gate);
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithLocation(1)
        .WithMessage("'_gate' is acquired here but still held when 'throw new InvalidOperationException()' leaves; release it before the throw, in a finally block, or use a scoped guard (lock, using)"));

        [Fact]
        public Task AThrowAfterTheReleaseLeavesNothingHeld() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private int _n;
    public void Take(int n)
    {
        Monitor.Enter(_gate);
        var ok = n <= _n;
        if (ok) { _n -= n; }
        Monitor.Exit(_gate);
        if (!ok) { throw new InvalidOperationException(); }
    }
}");

        [Fact]
        public Task ALockStatementReleasesItsLockWhateverThrows() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private readonly Lock _lock = new Lock();
    private int _n;
    public void Take(Action a)
    {
        lock (_gate) { a(); if (_n < 0) throw new InvalidOperationException(); }
        lock (_lock) { a(); }
        using (_lock.EnterScope()) { a(); }
    }
}");

        [Fact]
        public Task ASpinLockIsLeftHeldWhenTheCallThrows() => Verify.Analyzer(@"
class Box
{
    private SpinLock _spin = new SpinLock(false);
    private int _n;
    public void Add(Func<int> f)
    {
        var taken = false;
        {|#0:_spin.Enter(ref taken)|};
        _n += {|#1:f()|};
        _spin.Exit();
    }

    public void AddSafely(Func<int> f)
    {
        var taken = false;
        try
        {
            _spin.Enter(ref taken);
            _n += f();
        }
        finally
        {
            if (taken) { _spin.Exit(); }
        }
    }
}", Leak(0, "_spin", "f()"));

        [Fact]
        public Task AMutexIsLeftHeldWhenTheCallThrows() => Verify.Analyzer(@"
class Box
{
    private readonly Mutex _mutex = new Mutex();
    public void Write(System.IO.Stream s, byte[] data)
    {
        {|#0:_mutex.WaitOne()|};
        {|#1:s.Write(data, 0, data.Length)|};
        _mutex.ReleaseMutex();
    }

    public void WriteSafely(System.IO.Stream s, byte[] data)
    {
        _mutex.WaitOne();
        try { s.Write(data, 0, data.Length); }
        finally { _mutex.ReleaseMutex(); }
    }
}", Leak(0, "_mutex", "s.Write(data, 0, data.Length)"));

        [Fact]
        public Task ASemaphoreUsedAsALockIsLeftHeldWhenAnAwaitThrows() => Verify.Analyzer(@"
class Box
{
    private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
    [GuardedBy(nameof(_sem))] private int _n;
    public async Task AddAsync(Func<Task<int>> next)
    {
        await {|#0:_sem.WaitAsync()|};
        _n += {|#1:await next()|};
        _sem.Release();
    }

    public async Task AddSafelyAsync(Func<Task<int>> next)
    {
        await _sem.WaitAsync();
        try { _n += await next(); }
        finally { _sem.Release(); }
    }
}", Leak(0, "_sem", "await next()"));

        [Fact]
        public Task AHandlerThatReleasesAndRethrowsProtectsTheLock() => Verify.Analyzer(@"
class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private int _n;
    public void Add(Func<int> f)
    {
        _rw.EnterWriteLock();
        try
        {
            _n += f();
        }
        catch
        {
            _rw.ExitWriteLock();
            throw;
        }

        _rw.ExitWriteLock();
    }
}");

        [Fact]
        public Task AHandlerThatRethrowsWithoutReleasingDoesNot() => Verify.Analyzer(@"
class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private int _n;
    public void Add(Func<int> f, Action<Exception> log)
    {
        {|#0:_rw.EnterWriteLock()|};
        try
        {
            _n += {|#1:f()|};
        }
        catch (Exception e)
        {
            log(e);
            throw;
        }

        _rw.ExitWriteLock();
    }
}", Leak(0, "_rw", "f()"));

        [Fact]
        public Task AHandlerOfEveryExceptionThatSwallowsItLetsTheNormalPathRelease() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private int _n;
    public void Add(Func<int> f)
    {
        Monitor.Enter(_gate);
        try { _n += f(); }
        catch (Exception) { _n = 0; }
        Monitor.Exit(_gate);
    }
}");

        [Fact]
        public Task AHandlerOfOneExceptionTypeLetsTheOthersThrough() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private int _n;
    public void Add(Func<int> f)
    {
        {|#0:Monitor.Enter(_gate)|};
        try { _n += {|#1:f()|}; }
        catch (InvalidOperationException) { _n = 0; }
        Monitor.Exit(_gate);
    }
}", Leak(0, "_gate", "f()"));

        [Fact]
        public Task ARegionWhereNothingCanThrowIsNotReported() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private int _n;
    private object _last;
    public int Add(int k, object o)
    {
        Monitor.Enter(_gate);
        var before = _n;
        _n = before * 2 + k;
        _last = o;
        Interlocked.Increment(ref _n);
        Monitor.Exit(_gate);
        return before;
    }
}");

        [Fact]
        public Task OnlyTheFirstOperationThatMayThrowIsNamed() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private readonly System.Collections.Generic.Dictionary<string, int> _map = new();
    private object _o;
    public int Get(string key, Action a)
    {
        {|#0:Monitor.Enter(_gate)|};
        var n = {|#1:_map[key]|};
        a();
        var s = (string)_o;
        Monitor.Exit(_gate);
        return n;
    }

    public string Cast(Action a)
    {
        {|#2:Monitor.Enter(_gate)|};
        var s = {|#3:(string)_o|};
        _map[""k""] = 1;
        Monitor.Exit(_gate);
        return s;
    }
}", Leak(0, "_gate", "_map[key]"), Leak(2, "_gate", "(string)_o"));

        [Fact]
        public Task ACalleeThatCannotThrowIsNoRisk() => Verify.Analyzer(@"
class Counter
{
    private int _count;
    public bool TryGet()
    {
        var seen = Volatile.Read(ref _count);
        return seen != 0 && Interlocked.CompareExchange(ref _count, seen + 1, seen) == seen;
    }

    public void Get()
    {
        if (Interlocked.Increment(ref _count) <= 1) { throw new InvalidOperationException(); }
    }
}

class Box
{
    private readonly object _gate = new object();
    private readonly Counter _counter = new Counter();
    public bool Grab()
    {
        Monitor.Enter(_gate);
        var ok = _counter.TryGet();
        Monitor.Exit(_gate);
        return ok;
    }

    public void GrabOrThrow()
    {
        {|#0:Monitor.Enter(_gate)|};
        {|#1:_counter.Get()|};
        Monitor.Exit(_gate);
    }
}", Leak(0, "_gate", "_counter.Get()"));

        [Fact]
        public Task AnAcquiringHelperAndALockTypeAreNotToldAboutExceptions() => Verify.AnalyzerIgnoringAssertions(@"
class Box
{
    private readonly object _gate = new object();
    [Acquires(nameof(_gate))]
    public void Lock(Action before) { Monitor.Enter(_gate); before(); }
    [Releases(nameof(_gate))]
    public void Unlock(Action after) { after(); Monitor.Exit(_gate); }
}

[LockType]
sealed class MyLock
{
    private readonly object _inner = new object();
    [Acquires] public void Enter() { Monitor.Enter(_inner); Console.WriteLine(); }
    [Releases] public void Exit() { Monitor.Exit(_inner); }
}");

        [Fact]
        public Task ALockNeverReleasedIsToldOnceAsHeldAtTheEnd() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public void Run(Action a, bool c)
    {
        {|#0:Monitor.Enter(_gate)|};
        a();
        if (c) { return; }
        Monitor.Exit(_gate);
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_gate' is acquired here but still held at the end of 'Box.Run' on some path"));

        [Fact]
        public Task ALambdaAndALocalFunctionAreCheckedOnTheirOwn() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public Action Later(Action a)
    {
        Run();
        return () =>
        {
            {|#0:Monitor.Enter(_gate)|};
            {|#1:a()|};
            Monitor.Exit(_gate);
        };

        void Run()
        {
            {|#2:Monitor.Enter(_gate)|};
            {|#3:a()|};
            Monitor.Exit(_gate);
        }
    }
}", Leak(0, "_gate", "a()"), Leak(2, "_gate", "a()"));

        [Fact]
        public Task ATryAcquireOnItsSuccessBranchAndALoopAreFollowed() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public void Run(Action a, int n)
    {
        if (!{|#0:Monitor.TryEnter(_gate)|}) { return; }
        for (var i = 0; i < n; i++) { {|#1:a()|}; }
        Monitor.Exit(_gate);
    }

    public void RunSafely(Action a, int n)
    {
        for (var i = 0; i < n; i++)
        {
            if (!Monitor.TryEnter(_gate)) { continue; }
            try { a(); }
            finally { Monitor.Exit(_gate); }
        }
    }
}", Leak(0, "_gate", "a()"));
    }
}
