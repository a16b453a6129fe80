using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM012LockOrderCycleTests
    {
        [Fact]
        public Task DirectInvertedNesting() => Verify.Analyzer(@"
class Bank
{
    private static readonly object Accounts = new object();
    private static readonly object Audit = new object();
    public void Transfer() { lock (Accounts) { lock ({|#0:Audit|}) { } } }
    public void Report() { lock (Audit) { lock ({|#1:Accounts|}) { } } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1)
            .WithMessage("Possible circular locking dependency: 'Bank.Accounts' -> 'Bank.Audit' -> 'Bank.Accounts'; the cycle's other acquisitions: Test0.cs:8"));

        [Fact]
        public Task APropertyThatReturnsAReadonlyFieldIsThatLock() => Verify.Analyzer(@"
class Rw
{
    private readonly object syncObject = new object();
    protected object SyncObject => this.syncObject;
    internal object Gate { get { return syncObject; } }
    public void Nested() { lock (SyncObject) { lock (syncObject) { lock (Gate) { } } } }
    public void ThroughACall() { lock (syncObject) { Helper(); } }
    private void Helper() { lock (SyncObject) { } }
}");

        [Fact]
        public Task APropertyThatReturnsAReadonlyFieldStillClosesARealCycle() => Verify.Analyzer(@"
class Rw
{
    private readonly object syncObject = new object();
    private readonly object _other = new object();
    protected object SyncObject => this.syncObject;
    public void One() { lock (SyncObject) { lock ({|#0:_other|}) { } } }
    public void Two() { lock (_other) { lock ({|#1:syncObject|}) { } } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1)
            .WithMessage("Possible circular locking dependency: 'Rw._other' -> 'Rw.syncObject' -> 'Rw._other'; the cycle's other acquisitions: Test0.cs:9"));

        [Fact]
        public Task ALockEnteredAgainUnderAnotherOrdersNothing() => Verify.Analyzer(@"
class Context
{
    private readonly object _sync = new object();
    private readonly System.Collections.Generic.Stack<int> _tasks = new();
    public void Outer() { lock (_sync) { lock (_tasks) { Inner(); lock (_sync) { } } } }
    private void Inner() { lock (_sync) { } }
}");

        [Fact]
        public Task ALockEnteredAgainStillClosesACycleWhereAnotherPathTakesItFresh() => Verify.Analyzer(@"
class Context
{
    private readonly object _sync = new object();
    private readonly System.Collections.Generic.Stack<int> _tasks = new();
    public void Outer() { lock (_sync) { lock ({|#0:_tasks|}) { Inner(); } } }
    public void Other() { lock (_tasks) { {|#1:Inner()|}; } }
    private void Inner() { lock (_sync) { } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        [Fact]
        public Task ATryAcquireOrdersNothing() => Verify.Analyzer(@"
class Pool
{
    private readonly object _a = new object();
    private readonly object _b = new object();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void One() { lock (_a) { if (Monitor.TryEnter(_b)) { try { } finally { Monitor.Exit(_b); } } } }
    public void Two() { lock (_b) { lock (_a) { } } }
    public void Three() { lock (_a) { if (_rw.TryEnterWriteLock(0)) { _rw.ExitWriteLock(); } } }
    public void Four() { _rw.EnterReadLock(); try { lock (_a) { } } finally { _rw.ExitReadLock(); } }
}");

        [Fact]
        public Task ABlockingAcquireUnderATryAcquireStillOrders() => Verify.Analyzer(@"
class Pool
{
    private readonly object _a = new object();
    private readonly object _b = new object();
    public void One() { if (Monitor.TryEnter(_b)) { try { lock ({|#0:_a|}) { } } finally { Monitor.Exit(_b); } } }
    public void Two() { lock (_a) { lock ({|#1:_b|}) { } } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1)
            .WithMessage("Possible circular locking dependency: 'Pool._a' -> 'Pool._b' -> 'Pool._a'; the cycle's other acquisitions: Test0.cs:8"));

        [Fact]
        public Task InversionThroughAChainOfTwoCalls() => Verify.Analyzer(@"
class Cache
{
    private readonly object _map = new object();
    private readonly object _stats = new object();
    public void Put() { lock (_map) { {|#0:Count()|}; } }
    private void Count() => Bump();
    private void Bump() { lock (_stats) { } }
    public void Dump() { lock (_stats) { {|#1:Flush()|}; } }
    private void Flush() { lock (_map) { } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithMessage("Possible circular locking dependency: 'Cache._map' -> 'Cache._stats' -> 'Cache._map'; the cycle's other acquisitions: Test0.cs:10"));

        [Fact]
        public Task InversionThroughAMethodOfAnotherTypeThatTakesNoLock() => Verify.Analyzer(@"
static class Relay
{
    public static void Pass(Cache cache) => cache.Bump();
}
class Cache
{
    private readonly object _map = new object();
    private readonly object _stats = new object();
    public void Put() { lock (_map) { {|#0:Relay.Pass(this)|}; } }
    internal void Bump() { lock (_stats) { } }
    public void Dump() { lock (_stats) { {|#1:Flush()|}; } }
    private void Flush() { lock (_map) { } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        [Fact]
        public Task ThroughASynchronousLambda() => Verify.Analyzer(@"
class Work
{
    private readonly object _a = new object();
    private readonly object _b = new object();
    public void One(System.Collections.Generic.List<int> items) { lock (_a) { items.ForEach(i => { lock ({|#0:_b|}) { } }); } }
    public void Two() { lock (_b) { lock ({|#1:_a|}) { } } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        [Fact]
        public Task CycleOfThreeLocks() => Verify.Analyzer(@"
class Three
{
    private readonly object _a = new object();
    private readonly object _b = new object();
    private readonly object _c = new object();
    public void Ab() { lock (_a) { lock ({|#0:_b|}) { } } }
    public void Bc() { lock (_b) { lock ({|#1:_c|}) { } } }
    public void Ca() { lock (_c) { lock ({|#2:_a|}) { } } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1).WithLocation(2)
            .WithMessage("Possible circular locking dependency: 'Three._a' -> 'Three._b' -> 'Three._c' -> 'Three._a'; the cycle's other acquisitions: Test0.cs:9, Test0.cs:10"));

        [Fact]
        public Task ThroughAnExcludesContractWithoutABody() => Verify.Analyzer(@"
interface IStore
{
    object Gate { get; }
    [Excludes(nameof(Gate))] void Flush();
}
class User
{
    private readonly object _mine = new object();
    public void A(IStore s) { lock (_mine) { {|#0:s.Flush()|}; } }
    public void B(IStore s) { lock (s.Gate) { lock ({|#1:_mine|}) { } } }
    public void C(IStore s) { lock (s.Gate) { {|HMM004:s.Flush()|}; } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1)
            .WithMessage("Possible circular locking dependency: 'IStore.Gate' -> 'User._mine' -> 'IStore.Gate'; the cycle's other acquisitions: Test0.cs:12"));

        [Fact]
        public Task NoReportForConsistentOrdersReleasesReentryOrInstances() => Verify.Analyzer(@"
class Account
{
    private readonly object _gate = new object();
    private readonly object _log = new object();
    public void A() { lock (_gate) { lock (_log) { } } }
    public void B() { lock (_gate) { lock (_log) { } } }
    public void Released() { lock (_log) { } lock (_gate) { } }
    public void Reentry() { lock (_gate) { lock (_gate) { lock (_log) { } } } }
    public void Transfer(Account to) { lock (_gate) { lock (to._gate) { } } }
    public void Back(Account from) { lock (from._gate) { lock (_gate) { } } }
}");

        // No other thread can hold the lock of an object this method created and has not yet published: taking it orders nothing.
        [Fact]
        public Task AFreshObjectsLockClosesNoCycle() => Verify.Analyzer(@"
class Session
{
    private readonly object _cancel = new object();
    private readonly object _sync = new object();
    public Session Fork() { lock (_cancel) { var side = new Session(); lock (side._sync) { side.Init(); } return side; } }
    public Session Start() { var side = new Session(); lock (side._cancel) { side.Sync(); } return side; }
    public void Close() { lock (_sync) { lock (_cancel) { } } }
    private void Init() { }
    private void Sync() { lock (_sync) { } }
}");

        [Fact]
        public Task AFreshObjectsLockStillLeavesARealCycle() => Verify.Analyzer(@"
class Session
{
    private readonly object _cancel = new object();
    private readonly object _sync = new object();
    public void Fork(Session other) { lock (_cancel) { lock ({|#0:other._sync|}) { } } }
    public void Close() { lock (_sync) { lock ({|#1:_cancel|}) { } } }
}", Verify.Diagnostic("HMM012").WithLocation(0).WithLocation(1)
            .WithMessage("Possible circular locking dependency: 'Session._cancel' -> 'Session._sync' -> 'Session._cancel'; the cycle's other acquisitions: Test0.cs:8"));

        // A wrapper takes its own '_sync', then the wrapped object's: the same field on two objects is not a cycle.
        [Fact]
        public Task AWrapperTakingItsInnerObjectsLockIsNotACycle() => Verify.Analyzer(@"
class Writer
{
    private readonly object _sync = new object();
    private readonly Writer _inner;
    public Writer(Writer inner) { _inner = inner; }
    public void Write() { lock (_sync) { _inner?.Write(); } }
    public void Flush() { lock (_sync) { lock (_inner._sync) { } } }
}");
    }
}
