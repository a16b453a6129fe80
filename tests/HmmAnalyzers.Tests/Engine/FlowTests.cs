using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>The engine on the tricky control flow: lambdas, local functions, iterators, catch, using, nested locks.</summary>
    public class FlowTests
    {
        [Fact]
        public Task LambdaRunSynchronouslyInheritsTheLockset() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Run(System.Collections.Generic.List<int> items)
    {
        lock (_gate) { items.ForEach(i => _n += i); }
        items.ForEach(i => {|HMM002:_n|} += i);
    }
}");

        [Fact]
        public Task LambdaHandedToAnotherThreadHoldsNothing() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public Task Run()
    {
        lock (_gate) { return Task.Run(() => {|HMM002:_n|}++); }
    }
    public void Thread() { lock (_gate) { new System.Threading.Thread(() => {|HMM001:_n|}.ToString()).Start(); } }
    public void Parallel(int[] items) { lock (_gate) { System.Threading.Tasks.Parallel.ForEach(items, i => {|HMM002:_n|} += i); } }
    public int Plinq(int[] items) { lock (_gate) { return System.Linq.ParallelEnumerable.Sum(System.Linq.ParallelEnumerable.AsParallel(items), i => i + {|HMM001:_n|}); } }
}");

        // A lambda kept in a local runs where the local is invoked: created under the lock and called after it, it runs without it.
        [Fact]
        public Task ALambdaInALocalRunsWithTheLocksetOfItsCalls() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int CalledAfterRelease()
    {
        Func<int> read;
        lock (_gate) { read = () => {|HMM001:_n|}; }
        return read();
    }
    public int CalledInside()
    {
        Func<int> read = () => _n;
        lock (_gate) { return read(); }
    }
    public void CalledInsideAndOutside()
    {
        Action bump = () => {|HMM002:_n|}++;
        lock (_gate) { bump(); }
        bump.Invoke();
    }
    public int CreatedAndCalledInside()
    {
        lock (_gate) { Func<int> read = () => _n; return read() + read(); }
    }
    public void PassedOn(System.Collections.Generic.List<int> items)
    {
        Action<int> add = i => _n += i;
        lock (_gate) { items.ForEach(add); }
        Action<int> late = i => {|HMM002:_n|} += i;
        lock (_gate) { Task.Run(() => late(1)); System.Threading.ThreadPool.QueueUserWorkItem(late, 2, false); }
    }
    public void CalledFromAnotherThread()
    {
        Action late = () => {|HMM002:_n|}++;
        lock (_gate) { Task.Run(() => late()); }
    }
    public Func<int> NeverCalledHere()
    {
        lock (_gate) { Func<int> read = () => {|HMM001:_n|}; return read; }
    }
}");

        // As Clang's capability aliases: a local re-pointed to another object's lock names that lock from the assignment on.
        [Fact]
        public Task ALocalRePointedToAnotherLockNamesItFromThenOn() => Verify.Analyzer(@"
class Account { public readonly object Mu = new object(); [GuardedBy(nameof(Mu))] public int X; }
class Transfer
{
    public void Repointed(Account a, Account b)
    {
        var m = a.Mu;
        lock (m) { a.X++; }
        m = b.Mu;
        lock (m) { b.X++; {|HMM002:a.X|}++; }
    }
    public void EitherOne(Account a, Account b, bool c)
    {
        object m = a.Mu;
        if (c) { m = b.Mu; }
        lock (m) { {|HMM002:a.X|}++; {|HMM002:b.X|}++; }
    }
    public void SameOnBothPaths(Account a, Account b, bool c)
    {
        object m = b.Mu;
        if (c) { m = a.Mu; Console.WriteLine(); m = b.Mu; }
        lock (m) { b.X++; }
    }
    public void ReleasedThroughTheNewName(Account a, Account b)
    {
        var m = a.Mu;
        {|HMM005:Monitor.Enter(m)|};
        a.X++;
        m = b.Mu;
        {|HMM006:Monitor.Exit(m)|};
    }
}");

        // AsyncEx's AsyncLock and hand-written SemaphoreSlim wrappers: the awaited result is a releaser that holds the lock until disposed.
        [Fact]
        public Task AnAsyncLockReturningAReleaserHoldsTheLockUntilItIsDisposed() => Verify.Analyzer(@"
[ScopedLock]
public sealed class Releaser : IDisposable
{
    private readonly AsyncLock _owner;
    internal Releaser(AsyncLock owner) { _owner = owner; }
    public void Dispose() => _owner.Release();
}
[LockType]
public sealed class AsyncLock
{
    private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
    [Acquires] public async Task<Releaser> LockAsync() { await _sem.WaitAsync().ConfigureAwait(false); return new Releaser(this); }
    [Acquires] public async ValueTask<Releaser> LockValueAsync() { await _sem.WaitAsync(); return new Releaser(this); }
    [Releases] internal void Release() => _sem.Release();
}
class Account
{
    private readonly AsyncLock _mutex = new AsyncLock();
    [GuardedBy(nameof(_mutex))] private int _n;
    public async Task Add() { using (await _mutex.LockAsync()) { _n++; } {|HMM002:_n|}++; }
    public async Task Declared() { using var r = await _mutex.LockAsync().ConfigureAwait(false); _n++; }
    public async Task Value() { using (await _mutex.LockValueAsync()) { _n++; } }
    public async Task ByHand() { var r = await _mutex.LockAsync(); _n++; r.Dispose(); {|HMM002:_n|}++; }
    public async Task Forgotten() { var r = {|HMM005:await _mutex.LockAsync()|}; _n++; }
}");

        // Hand-over-hand locking: the held lock follows 'prev = next', and 'prev' carries it by its nullness around the loop.
        [Fact]
        public Task HandOverHandLockingThroughLocals() => Verify.Analyzer(@"
class Node { public Node Next; public int Value; }
class Chain
{
    public int Sum(Node head)
    {
        Node prev = null;
        var total = 0;
        try
        {
            for (var next = head; next != null; next = next.Next)
            {
                Monitor.Enter(next);
                if (prev != null) { Monitor.Exit(prev); }
                prev = next;
                total += next.Value;
            }
        }
        finally
        {
            if (prev != null) { Monitor.Exit(prev); }
        }
        return total;
    }
    public System.Collections.Generic.IEnumerable<int> Walk(Node head)
    {
        Node prev = null;
        try
        {
            for (var next = head; next != null; next = next.Next)
            {
                Monitor.Enter(next);
                if (prev != null) { Monitor.Exit(prev); }
                prev = next;
                yield return next.Value;
            }
        }
        finally
        {
            if (prev != null) { Monitor.Exit(prev); }
        }
    }
}");

        [Fact]
        public Task HandOverHandLockingStillFindsTheBrokenTwins() => Verify.Analyzer(@"
class Node { public Node Next; public int Value; }
class Chain
{
    public int NeverReleasedAtTheEnd(Node head)
    {
        Node prev = null;
        var total = 0;
        for (var next = head; next != null; next = next.Next)
        {
            {|HMM005:Monitor.Enter(next)|};
            if (prev != null) { Monitor.Exit(prev); }
            prev = next;
            total += next.Value;
        }
        return total;
    }
    public void PreviousNeverReleased(Node head)
    {
        Node prev = null;
        try
        {
            {|#0:for|} (var next = head; next != null; next = next.Next)
            {
                Monitor.Enter(next);
                prev = next;
            }
        }
        finally
        {
            if (prev != null) { Monitor.Exit(prev); }
        }
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        // A callback the callee stores or schedules runs later, without the caller's locks; one it calls before returning keeps them.
        [Fact]
        public Task ACallbackTheCalleeStoresRunsWithoutTheCallersLocks() => Verify.Analyzer(@"
using System.Collections.Generic;
class Bus
{
    private readonly List<Action> _handlers = new List<Action>();
    private Action _last;
    public event Action Changed;
    public void Register(Action a) => _handlers.Add(a);
    public void Remember(Action a) { _last = a; }
    public void Subscribe(Action a) { Changed += a; }
    public void Now(Action a) { a(); a.Invoke(); a?.Invoke(); }
    public void Forward(Action a) => Now(a);
    public void Later([CalledLater] Action a) { }
    public void Inline([CalledBeforeReturn] Action a) { _handlers.Add(a); _handlers.Clear(); }
}
class Account
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _total;
    public void Run(Bus bus, CancellationToken token, Task task)
    {
        lock (_gate)
        {
            bus.Register(() => {|HMM002:_total|}++);
            bus.Remember(() => {|HMM002:_total|}++);
            bus.Subscribe(() => {|HMM002:_total|}++);
            bus.Now(() => _total++);
            bus.Forward(() => _total++);
            bus.Later(() => {|HMM002:_total|}++);
            bus.Inline(() => _total++);
            token.Register(() => {|HMM002:_total|}++);
            task.ContinueWith(t => {|HMM002:_total|}++);
        }
    }
}");

        [Fact]
        public Task JumpsOutOfTryFinallyInsideALockInALoop() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Find(int[] xs)
    {
        foreach (var x in xs)
        {
            lock (_gate)
            {
                try
                {
                    if (x == _n) return x;
                    if (x < 0) continue;
                    if (x > 100) break;
                }
                finally { _n++; }
            }
        }

        return {|HMM001:_n|};
    }
}");

        [Fact]
        public Task UsingDeclarationReleasesOnBreakAndAtTheEndOfEachIteration() => Verify.Analyzer(@"
class Box
{
    private readonly Lock _lock = new Lock();
    [GuardedBy(nameof(_lock))] private int _n;
    public void Run(int k)
    {
        for (var i = 0; i < k; i++)
        {
            using var scope = _lock.EnterScope();
            if (i == 3) break;
            _n++;
        }

        {|HMM002:_n|}++;
    }
}");

        [Fact]
        public Task LockInACatchThatRethrows() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Run(Action work)
    {
        try { work(); }
        catch (InvalidOperationException) { lock (_gate) { _n = 0; } throw; }
        {|HMM002:_n|} = 1;
    }
}");

        [Fact]
        public Task BalancedLocksInWhileTrueAndDoWhileLoops() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Run(int k)
    {
        while (true) { Monitor.Enter(_gate); _n++; Monitor.Exit(_gate); if (--k < 0) break; }
        do { if (k++ < 3) continue; lock (_gate) { _n--; } } while (k < 10);
        return k;
    }
}");

        [Fact]
        public Task LocalFunctionsDeclaredAfterReturnGetTheirCallersStates() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Run()
    {
        lock (_gate) { Touch(); }
        return Read();
        void Touch() => _n++;
        int Read() => {|HMM001:_n|};
    }
}");

        [Fact]
        public Task SwitchSectionsGuardsAndGotoCase() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Run(object o)
    {
        lock (_gate)
        {
            switch (o)
            {
                case int i when i > _n: return i;
                case string s: _n = s.Length; break;
                default: break;
            }
        }

        switch (o)
        {
            case 1: goto case 2;
            case 2: return {|HMM001:_n|};
            default: return 0;
        }
    }
}");

        [Fact]
        public Task FinalizerIsExemptLikeAConstructor() => Verify.Analyzer(@"
class Handle
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private IntPtr _raw;
    ~Handle() { _raw = IntPtr.Zero; }
    public void Close() { {|HMM002:_raw|} = IntPtr.Zero; }
}");

        [Fact]
        public Task LocalFunctionGetsTheStateOfItsCallSites() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Good() { lock (_gate) { Bump(); Bump(); } void Bump() => _n++; }
    public void Bad() { lock (_gate) { Bump(); } Bump(); void Bump() => {|HMM002:_n|}++; }
    public void Own() { {|HMM003:Work()|}; lock (_gate) { Work(); } [RequiresExclusive(""_gate"")] void Work() => _n++; }
}");

        [Fact]
        public Task LocalFunctionWithContractChecksItsCallers() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Run() { {|HMM003:Work()|}; lock (_gate) { Work(); } [RequiresExclusive(""_gate"")] void Work() => _n++; }
}");

        [Fact]
        public Task IteratorsAndAsyncMethods() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public System.Collections.Generic.IEnumerable<int> Items()
    {
        lock (_gate) { yield return _n; }
        yield return {|HMM001:_n|};
    }
    public async Task<int> Async()
    {
        await Task.Yield();
        lock (_gate) { return _n; }
    }
}");

        [Fact]
        public Task AwaitedTryAcquireThroughConfigureAwait() => Verify.Analyzer(@"
class Cache
{
    private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
    [GuardedBy(nameof(_sem))] private int _n;
    public async Task<bool> Tested()
    {
        if (!await _sem.WaitAsync(100).ConfigureAwait(false)) return false;
        try { await Task.Yield(); return _n > 0; }
        finally { _sem.Release(); }
    }
    public async Task<bool> Stored()
    {
        var entered = await _sem.WaitAsync(100).ConfigureAwait(false);
        if (!entered) return false;
        try { return _n > 0; }
        finally { _sem.Release(); }
    }
    public async Task<bool> Wrong()
    {
        if (await {|#0:_sem.WaitAsync(100)|}.ConfigureAwait(false)) return false;
        try { return {|HMM001:_n|} > 0; }
        finally { {|HMM006:_sem.Release()|}; }
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        [Fact]
        public Task FrameworkLockChecksInDebugAssertHoldFromWhereTheyRun() => Verify.Analyzer(@"
using System.Diagnostics;
class Box
{
    private readonly object _gate = new object();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [GuardedBy(nameof(_gate))] private int _n;
    [GuardedBy(nameof(_rw))] private int _m;
    public void Both() { Debug.Assert(Monitor.IsEntered(_gate) && _rw.IsWriteLockHeld, ""caller locks""); _n++; _m++; }
    public void Shared() { Debug.Assert(_rw.IsReadLockHeld); {|HMM002:_m|}++; }
    public void Negated() { Debug.Assert(!Monitor.IsEntered(_gate)); {|HMM002:_n|}++; }
    public void Either() { Debug.Assert(Monitor.IsEntered(_gate) || _rw.IsWriteLockHeld); {|HMM002:_n|}++; }
    public void Queried() { if (Monitor.IsEntered(_gate)) { } {|HMM002:_n|}++; }
}");

        [Fact]
        public Task CatchHandlersStartFromTheTryStates() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Run()
    {
        lock (_gate)
        {
            try { _n = int.Parse(""1""); }
            catch (FormatException) { _n = 0; }
        }
        try { lock (_gate) { _n = 3; } }
        catch (Exception) { {|HMM002:_n|} = 4; }
    }
}");

        [Fact]
        public Task UsingDeclarationsAndScopedGuards() => Verify.Analyzer(@"
[LockType]
class Mutex2 { [Acquires] public void Lock() { } [Releases] public void Unlock() { } }
[ScopedLock]
sealed class Guard : IDisposable
{
    private readonly Mutex2 _m;
    [Acquires(""m"")] public Guard(Mutex2 m) { _m = m; m.Lock(); }
    public void Dispose() => _m.Unlock();
}
class Box
{
    private readonly Mutex2 _mu = new Mutex2();
    [GuardedBy(nameof(_mu))] private int _n;
    public void A() { using var g = new Guard(_mu); _n++; }
    public void B() { using (new Guard(_mu)) { _n++; } {|HMM002:_n|}++; }
    public int C(bool c) { if (c) { using var g = new Guard(_mu); return _n; } return 0; }
}");

        // A using declaration's scope is its enclosing block: one declared in a branch ends with that branch.
        [Fact]
        public Task AUsingDeclarationInABranchEndsWithTheBranch() => Verify.Analyzer(@"
[LockType]
class Mutex2 { [Acquires] public void Lock() { } [Releases] public void Unlock() { } }
[ScopedLock]
sealed class Guard : IDisposable
{
    private readonly Mutex2 _m;
    [Acquires(""m"")] public Guard(Mutex2 m) { _m = m; m.Lock(); }
    public void Dispose() => _m.Unlock();
}
class Box
{
    private readonly Mutex2 _mu = new Mutex2();
    private readonly Lock _l = new Lock();
    [GuardedBy(nameof(_mu))] private int _n;
    [GuardedBy(nameof(_l))] private int _m;
    public void Branches(bool c)
    {
        if (c) { using var g = new Guard(_mu); _n++; }
        else { using var s = _l.EnterScope(); _m++; }
        {|HMM002:_n|}++;
        {|HMM002:_m|}++;
    }
    public void Both(bool c)
    {
        if (c) { using var g = new Guard(_mu); _n++; } else { using var g = new Guard(_mu); _n--; }
        {|HMM002:_n|}++;
    }
    public void InALoop(int k)
    {
        for (var i = 0; i < k; i++) { using var s = _l.EnterScope(); _m++; }
        {|HMM002:_m|}++;
    }
    public void InASwitch(int k)
    {
        switch (k) { case 1: { using var s = _l.EnterScope(); _m++; break; } default: break; }
        {|HMM002:_m|}++;
    }
}");

        [Fact]
        public Task LockOnSystemThreadingLockInANullableContext() => Verify.Analyzer(@"
#nullable enable
class Pool
{
    private readonly Lock _gate = new Lock();
    [GuardedBy(nameof(_gate))] private readonly System.Collections.Generic.Stack<int> _free = new();
    public void Return(int c) { lock (_gate) { _free.Push(c); } {|HMM002:_free|}.Clear(); }
    public int Rent() { lock (_gate) { if (_free.Count == 0) { return -1; } return _free.Pop(); } }
    public void Nested(Pool other) { lock (_gate) { lock (other._gate) { _free.Push(other._free.Count); } {|HMM002:other._free|}.Clear(); } }
}");

        [Fact]
        public Task LockStatementsOnlyConditionalAccessAndGotoOut() => Verify.Analyzer(@"
class Node
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private Node? _next;
    [GuardedBy(nameof(_gate))] private int _n;
    // Another node's field needs that node's lock, through '?.' as through '.'.
    public int Peek(Node? other) { lock (_gate) { return (_next?{|HMM001:._n|} ?? 0) + (other?{|HMM001:._n|} ?? 0); } }
    public Node? Next() { lock (_gate) { return _next; } }
    public int Jump(bool c)
    {
        lock (_gate)
        {
            if (c) { goto done; }
            _n++;
        }
    done:
        return {|HMM001:_n|};
    }
}");

        [Fact]
        public Task AssertionsHoldFromWhereTheyRun() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Top() { {|HMM002:_n|}++; Lockdep.AssertHeld(_gate); _n++; }
    public void Branch(bool c) { if (c) { Lockdep.AssertHeld(_gate); _n++; } {|HMM002:_n|}++; }
}");

        [Fact]
        public Task NestedLocksAndSwitch() => Verify.Analyzer(@"
class Box
{
    private readonly object _a = new object();
    private readonly object _b = new object();
    [GuardedBy(nameof(_a))] private int _x;
    [GuardedBy(nameof(_b))] private int _y;
    public int Run(int k)
    {
        lock (_a)
        {
            lock (_b)
            {
                switch (k)
                {
                    case 0: return _x + _y;
                    case 1: _y = 2; break;
                    default: _x = 1; break;
                }
            }
            return _x + {|HMM001:_y|};
        }
    }
}");

        [Fact]
        public Task ThrowPathsAreNotExits() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public void Run(bool c)
    {
        {|#0:Monitor.Enter(_gate)|};
        if (c) { {|#1:throw new InvalidOperationException();|} }
        Monitor.Exit(_gate);
    }

    public void Released(bool c)
    {
        Monitor.Enter(_gate);
        if (c) { Monitor.Exit(_gate); throw new InvalidOperationException(); }
        Monitor.Exit(_gate);
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithLocation(1)
        .WithMessage("'_gate' is acquired here but still held when 'throw new InvalidOperationException()' leaves; release it before the throw, in a finally block, or use a scoped guard (lock, using)"));

        [Fact]
        public Task StaticGuardsAndStaticConstructor() => Verify.Analyzer(@"
static class Registry
{
    private static readonly object Gate = new object();
    [GuardedBy(nameof(Gate))] private static int _count;
    static Registry() { _count = 0; }
    public static void Add() { lock (Gate) { _count++; } }
    public static int Peek() => {|HMM001:_count|};
}");

        [Fact]
        public Task NoLockAnalysisOptsOut() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [NoLockAnalysis] public int Racy() => _n;
}
[NoLockAnalysis]
class Other { private readonly object _g = new object(); [GuardedBy(""_g"")] private int _m; public int Get() => _m; }");

        [Fact]
        public Task SourceOnlyAnnotationsAreRecognised() => new SourceOnly().RunAsync();

        private sealed class SourceOnly
        {
            public Task RunAsync()
            {
                var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<HmmLockAnalyzer, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
                {
                    TestCode = @"
namespace HmmAnalyzers.Annotations { [System.AttributeUsage(System.AttributeTargets.All)] sealed class GuardedByAttribute : System.Attribute { public GuardedByAttribute(string l) { } } }
namespace App
{
    using HmmAnalyzers.Annotations;
    class Box { private readonly object _g = new object(); [GuardedBy(""_g"")] private int _n; public int Get() => {|HMM001:_n|}; }
}",
                    ReferenceAssemblies = new Microsoft.CodeAnalysis.Testing.ReferenceAssemblies("net10.0"),
                };
                test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
                return test.RunAsync();
            }
        }
    }
}
