using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM005LockNotReleasedTests
    {
        [Fact]
        public Task EarlyReturnLeaksLock() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public int Get(bool c)
    {
        {|#0:Monitor.Enter(_gate)|};
        if (c) { return 1; }
        Monitor.Exit(_gate);
        return 0;
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'_gate' is acquired here but still held at the end of 'Box.Get' on some path"));

        [Fact]
        public Task HeldOnEveryReturnSuggestsTheContract() => Verify.Analyzer(@"
class Box
{
    private static readonly object s_gate = new object();
    private readonly object _gate = new object();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void Lock() { {|#0:Monitor.Enter(_gate)|}; }
    public void ReadLock() { {|#1:_rw.EnterReadLock()|}; }
    public static void LockIt(object o) { {|#2:Monitor.Enter(o)|}; }
    public static void LockStatic() { {|#3:Monitor.Enter(s_gate)|}; }
    public void LockLocal() { var o = new object(); {|#4:Monitor.Enter(o)|}; }
    public void Upgradeable() { {|#5:_rw.EnterUpgradeableReadLock()|}; }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_gate' is acquired here and still held on every return from 'Box.Lock'; if 'Box.Lock' is meant to return holding it, declare that with [Acquires]"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_rw' is acquired here and still held on every return from 'Box.ReadLock'; if 'Box.ReadLock' is meant to return holding it, declare that with [AcquiresShared]"),
    Verify.Diagnostic("HMM005").WithLocation(2).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'o' is acquired here and still held on every return from 'Box.LockIt'; if 'Box.LockIt' is meant to return holding it, declare that with [Acquires]"),
    Verify.Diagnostic("HMM005").WithLocation(3).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'Box.s_gate' is acquired here and still held on every return from 'Box.LockStatic'; if 'Box.LockStatic' is meant to return holding it, declare that with [Acquires]"),
    Verify.Diagnostic("HMM005").WithLocation(4).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'o' is acquired here and still held on every return from 'Box.LockLocal'"),
    Verify.Diagnostic("HMM005").WithLocation(5).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_rw' is acquired here and still held on every return from 'Box.Upgradeable'"));

        [Fact]
        public Task AConstructorIsToldOnlyAboutLocksItsCallersCanName() => Verify.Analyzer(@"
class Token
{
    private readonly ReaderWriterLockSlim _rw;
    public Token(ReaderWriterLockSlim rw) { _rw = rw; {|#0:_rw.EnterReadLock()|}; }
    public Token(ReaderWriterLockSlim rw, int spins) { _rw = rw; {|#1:rw.EnterReadLock()|}; }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_rw' is acquired here and still held on every return from 'Token.Token'"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'rw' is acquired here and still held on every return from 'Token.Token'; if 'Token.Token' is meant to return holding it, declare that with [AcquiresShared]"));

        [Fact]
        public Task HeldOnEveryReturnOfALambdaHasNoContractToSuggest() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public Action Later() => () => {|#0:Monitor.Enter(_gate)|};
}", Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'_gate' is acquired here and still held on every return from the lambda"));

        [Fact]
        public Task ConditionalAcquireIsAJoinMismatch() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public void Run(int n)
    {
        if (n > 0) { Monitor.Enter(_gate); }
        {|#0:Console.WriteLine();|}
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'_gate' is held on some paths reaching this point but not on others"));

        [Fact]
        public Task ConditionalLockingThroughAFlagIsUnderstood() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Conditional(bool c)
    {
        var locked = false;
        if (c) { Monitor.Enter(_gate); locked = true; }
        Console.WriteLine(c);
        if (locked) { _n++; Monitor.Exit(_gate); }
        Console.WriteLine(locked);
    }
    public void Forgot(bool c)
    {
        var locked = false;
        if (c) { {|#0:Monitor.Enter(_gate)|}; locked = true; }
        Console.WriteLine(locked);
    }
    // The lock follows both the local flag and 'c'; it moves into the local, and 'c' is its equivalent: testing
    // 'c' is testing the flag, so the early return holds nothing and the release holds the lock.
    public void TheOtherFlag(bool c)
    {
        var locked = false;
        if (c) { Monitor.Enter(_gate); locked = true; }
        if (!c) { return; }
        Monitor.Exit(_gate);
    }
    public void TheOtherFlagReturnsHolding(bool c)
    {
        var locked = false;
        if (c) { {|#1:Monitor.Enter(_gate)|}; locked = true; }
        if (c) { return; }
        Console.WriteLine(locked);
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'_gate' is acquired here but still held at the end of 'Box.Forgot' on some path"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        [Fact]
        public Task ConditionalLockingOnAFlagThatCannotChange() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private readonly bool _synchronized;
    [GuardedBy(nameof(_gate))] private int _n;
    // A constructor may still assign the field, so the lock does not follow it there.
    public Box(bool synchronized)
    {
        _synchronized = synchronized;
        if (_synchronized) Monitor.Enter(_gate);
        {|#0:Console.WriteLine();|}
        if (_synchronized) {|HMM006:Monitor.Exit(_gate)|};
    }
    public void ByParameter(bool threadSafe)
    {
        if (threadSafe) Monitor.Enter(_gate);
        try { if (threadSafe) _n++; }
        finally { if (threadSafe) Monitor.Exit(_gate); }
    }
    public void ByReadonlyField()
    {
        if (_synchronized) Monitor.Enter(_gate);
        Console.WriteLine();
        if (!_synchronized) return;
        _n++;
        Monitor.Exit(_gate);
    }
    public void Forgot(bool threadSafe)
    {
        if (threadSafe) {|#1:Monitor.Enter(_gate)|};
        Console.WriteLine();
    }
    public void Unguarded(bool threadSafe)
    {
        if (threadSafe) Monitor.Enter(_gate);
        {|HMM002:_n|}++;
        if (threadSafe) Monitor.Exit(_gate);
    }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'_gate' is held on some paths reaching this point but not on others"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'_gate' is acquired here but still held at the end of 'Box.Forgot' on some path"));

        [Fact]
        public Task AFlagThatMayChangeIsNotFollowed() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private readonly bool _synchronized;
    public void Assigned(bool threadSafe)
    {
        if (threadSafe) Monitor.Enter(_gate);
        {|#0:Console.WriteLine();|}
        threadSafe = !threadSafe;
        if (threadSafe) {|HMM006:Monitor.Exit(_gate)|};
    }
    public void AssignedByALambda(bool threadSafe)
    {
        Action off = () => threadSafe = false;
        if (threadSafe) Monitor.Enter(_gate);
        {|#1:off();|}
        if (threadSafe) {|HMM006:Monitor.Exit(_gate)|};
    }
    public void AnotherInstance(Box other)
    {
        if (other._synchronized) Monitor.Enter(_gate);
        {|#2:Console.WriteLine();|}
        if (other._synchronized) {|HMM006:Monitor.Exit(_gate)|};
    }
}
struct Cursor
{
    private readonly object _gate;
    private readonly bool _synchronized;
    public Cursor(object gate, bool synchronized) { _gate = gate; _synchronized = synchronized; }
    public void Reset(Cursor fresh)
    {
        if (_synchronized) Monitor.Enter(_gate);
        {|#3:this = fresh;|}
        if (_synchronized) {|HMM006:Monitor.Exit(_gate)|};
    }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
    Verify.Diagnostic("HMM005").WithLocation(2).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
    Verify.Diagnostic("HMM005").WithLocation(3).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        [Fact]
        public Task AFunctionThatAsksWhetherItHoldsALockManagesThatLockForItsCallers() => Verify.Analyzer(@"
class LockService
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim(LockRecursionPolicy.SupportsRecursion);
    private readonly object _gate = new object();
    public void EnterTransaction()
    {
        if (_rw.IsWriteLockHeld) return;
        if (!_rw.TryEnterReadLock(1000)) throw new TimeoutException();
    }
    public bool EnterExclusive()
    {
        if (_rw.IsWriteLockHeld) return false;
        _rw.EnterWriteLock();
        return true;
    }
    public void EnterOnce()
    {
        if (!Monitor.IsEntered(_gate)) Monitor.Enter(_gate);
        Console.WriteLine();
    }
}");

        [Fact]
        public Task AskingAboutOneLockSaysNothingOfAnother() => Verify.Analyzer(@"
class LockService
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly object _gate = new object();
    public void Enter(bool skip)
    {
        if (_rw.IsWriteLockHeld || skip) return;
        {|#0:Monitor.Enter(_gate)|};
    }
    public void EnterWithoutAsking(bool skip)
    {
        if (skip) return;
        {|#1:_rw.EnterReadLock()|};
    }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'_gate' is acquired here but still held at the end of 'LockService.Enter' on some path"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'_rw' is acquired here but still held at the end of 'LockService.EnterWithoutAsking' on some path"));

        [Fact]
        public Task AnAbandonedMutexIsHeldInItsHandler() => Verify.Analyzer(@"
class Shared
{
    private readonly Mutex _mutex = new Mutex();
    private object? _engine;
    public void Open()
    {
        try { _mutex.WaitOne(); }
        catch (AbandonedMutexException) { }
        try { _engine = new object(); }
        finally { _mutex.ReleaseMutex(); }
    }
    public void Other(bool b)
    {
        try { _mutex.WaitOne(); }
        catch (InvalidOperationException) { }
        if ({|#0:b|}) { }
        {|#1:_mutex.ReleaseMutex()|};
    }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'_mutex' is held on some paths reaching this point but not on others"),
    Verify.Diagnostic("HMM006").WithLocation(1).WithMessage("Releasing '_mutex', which is not held here; no lock is held"));

        [Fact]
        public Task TryFinallyAndLockAreClean() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public int Get(bool c)
    {
        Monitor.Enter(_gate);
        try { if (c) { return 1; } return 0; }
        finally { Monitor.Exit(_gate); }
    }
    public int Taken(bool c)
    {
        bool taken = false;
        try { Monitor.Enter(_gate, ref taken); if (c) { throw new InvalidOperationException(); } return 2; }
        finally { if (taken) { Monitor.Exit(_gate); } }
    }
    public void Switch(int k) { lock (_gate) { switch (k) { case 0: return; case 1: break; default: throw new ArgumentException(); } } }
}");

        [Fact]
        public Task LoopThatAcquiresWithoutReleasing() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    public void Loop(int n)
    {
        {|#0:for|} (var i = 0; i < n; i++)
        {
            {|#1:Monitor.Enter(_gate)|};
            Console.WriteLine(i);
        }
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithLocation(1).WithMessage("'_gate' is acquired in this loop and still held when the next iteration starts"));

        // Clang's 'expecting mutex to be held at start of each loop': the states meet at the loop head, so that is where it is reported.
        [Fact]
        public Task ALocksetThatDiffersOnTheBackEdgeIsReportedAtTheLoopHead() => Verify.AnalyzerWithout(new[] { "HMM006" }, @"
class Box
{
    private readonly object _gate = new object();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void Releases(Func<bool> more)
    {
        {|#0:Monitor.Enter(_gate)|};
        {|#1:while|} (more())
        {
            Monitor.Exit(_gate);
            Console.WriteLine();
        }
        Monitor.Exit(_gate);
    }
    public void Downgrades(Func<bool> more)
    {
        _rw.EnterWriteLock();
        {|#3:do|}
        {
            _rw.ExitWriteLock();
            {|#2:_rw.EnterReadLock()|};
        }
        while (more());
        _rw.ExitReadLock();
    }
    public void Deepens(string[] items)
    {
        {|#5:Monitor.Enter(_gate)|};
        {|#4:foreach|} (var item in items)
        {
            Monitor.Enter(_gate);
            Console.WriteLine(item);
        }
        Monitor.Exit(_gate);
    }
    public void Nested(Func<bool> more)
    {
        {|#6:while|} (true)
        {
            for (var i = 0; i < 3; i++) { Console.WriteLine(i); }
            {|#7:Monitor.Enter(_gate)|};
            if (!more()) { break; }
        }
        Monitor.Exit(_gate);
    }
}",
    Verify.Diagnostic("HMM005").WithLocation(1).WithLocation(0).WithMessage("'_gate' is held when this loop starts but released before the next iteration"),
    Verify.Diagnostic("HMM005").WithLocation(3).WithLocation(2).WithMessage("'_rw' is held exclusively when this loop starts and shared when the next iteration starts"),
    Verify.Diagnostic("HMM005").WithLocation(4).WithLocation(5).WithMessage("'_gate' is held once when this loop starts and 2 times when the next iteration starts"),
    Verify.Diagnostic("HMM005").WithLocation(6).WithLocation(7).WithMessage("'_gate' is acquired in this loop and still held when the next iteration starts"));

        [Fact]
        public Task ALoopThatKeepsItsLocksetIsClean() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void Run(Func<bool> more, string[] items, int n)
    {
        Monitor.Enter(_gate);
        while (n-- > 0) { Monitor.Exit(_gate); Console.WriteLine(); Monitor.Enter(_gate); }
        Monitor.Exit(_gate);
        _rw.EnterReadLock();
        foreach (var item in items) { _rw.ExitReadLock(); _rw.EnterReadLock(); }
        _rw.ExitReadLock();
        do { Monitor.Enter(_gate); Monitor.Exit(_gate); } while (more());
    }
}");

        [Fact]
        public Task LoopsWithBreakAndContinueAreClean() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Loop(int n)
    {
        for (var i = 0; i < n; i++)
        {
            lock (_gate)
            {
                if (i == 3) { continue; }
                if (_n > 10) { break; }
                _n++;
            }
        }
        while (true) { Monitor.Enter(_gate); try { if (_n == 0) { break; } _n--; } finally { Monitor.Exit(_gate); } }
    }
}");

        [Fact]
        public Task GotoKeepsTrack() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Get(bool c)
    {
        Monitor.Enter(_gate);
        if (c) { goto out_unlock; }
        _n = 2;
    out_unlock:
        var v = _n;
        Monitor.Exit(_gate);
        return v + {|HMM001:_n|};
    }
}");

        [Fact]
        public Task AcquiresAndReleasesContracts() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [Acquires(nameof(_gate))] public void Lock() => Monitor.Enter(_gate);
    [Releases(nameof(_gate))] public void Unlock() => Monitor.Exit(_gate);
    [Acquires(nameof(_gate))] public void Broken(bool c) { if (c) { Monitor.Enter(_gate); } {|#0:}|}
    public void Use() { Lock(); _n++; Unlock(); }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithMessage("'Box.Broken' promises to return holding '_gate' ([Acquires]) but does not hold it on some return path"));

        [Fact]
        public Task TryAcquireFlowsAlongBranches() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void A() { if (Monitor.TryEnter(_gate)) { try { _n++; } finally { Monitor.Exit(_gate); } } }
    public void B() { if (!Monitor.TryEnter(_gate, 10)) { return; } _n++; Monitor.Exit(_gate); }
    public void C() { var ok = Monitor.TryEnter(_gate); if (ok) { _n++; Monitor.Exit(_gate); } }
    public void D() { bool t = false; Monitor.TryEnter(_gate, 5, ref t); if (t) { _n++; Monitor.Exit(_gate); } }
    public void E() { var ok = Monitor.TryEnter(_gate); {|HMM002:_n|}++; if (ok) { Monitor.Exit(_gate); } }
}");

        [Fact]
        public Task TryAcquireFlagTestedTwice() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public bool A(System.TimeSpan timeout)
    {
        bool taken = false;
        try
        {
            Monitor.TryEnter(_gate, timeout, ref taken);
            if (!taken) return false;
            _n++;
            return true;
        }
        finally
        {
            if (taken) Monitor.Exit(_gate);
        }
    }
    public bool B()
    {
        var ok = Monitor.TryEnter(_gate);
        if (!ok) return false;
        _n++;
        if (ok) Monitor.Exit(_gate);
        return true;
    }
}");

        [Fact]
        public Task TryAcquireFlagTestedTwiceStillFindsTheLeak() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public bool A()
    {
        var ok = {|#0:Monitor.TryEnter(_gate)|};
        if (!ok) return false;
        _n++;
        if (!ok) Monitor.Exit(_gate);
        return true;
    {|#1:}|}
    public bool B(System.TimeSpan timeout)
    {
        bool taken = false;
        try
        {
            Monitor.TryEnter(_gate, timeout, ref taken);
            if (!taken) return false;
            _n++;
            return true;
        }
        finally
        {
            {|HMM006:Monitor.Exit(_gate)|};
        }
    }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithLocation(1).WithMessage("'_gate' is acquired here but still held at the end of 'Box.A' on some path"));

        [Fact]
        public Task ALockTakenThroughANullConditionalFollowsItsReference() => Verify.Analyzer(@"
class Roller
{
    private Mutex? _mutex;
    public void Activate() { _mutex = new Mutex(); }
    public void Roll() { try { _mutex?.WaitOne(); Work(); } finally { _mutex?.ReleaseMutex(); } }
    public void Explicit() { if (_mutex != null) { _mutex.WaitOne(); } Work(); if (_mutex is not null) { _mutex.ReleaseMutex(); } }
    public void Local() { var m = _mutex; m?.WaitOne(); try { Work(); } finally { m?.ReleaseMutex(); } }
    private static void Work() { }
}");

        [Fact]
        public Task ALockTakenThroughANullConditionalStillFindsTheBrokenTwins() => Verify.Analyzer(@"
class Roller
{
    private Mutex? _mutex;
    private Mutex? _other;
    public void Activate() { _mutex = new Mutex(); _other = new Mutex(); }
    public void Leak() { _mutex?{|#0:.WaitOne()|}; Work(); }
    public void WrongOne() { _mutex?{|#1:.WaitOne()|}; Work(); _other?{|#2:.ReleaseMutex()|}; }
    public void Reassigned() { _mutex?.WaitOne(); {|#3:_mutex = new Mutex();|} _mutex?{|#4:.ReleaseMutex()|}; }
    private static void Work() { }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_mutex' is acquired here but still held at the end of 'Roller.Leak' on some path"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_mutex' is acquired here but still held at the end of 'Roller.WrongOne' on some path"),
    Verify.Diagnostic("HMM006").WithLocation(2).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
    Verify.Diagnostic("HMM005").WithLocation(3).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_mutex' is held on some paths reaching this point but not on others"),
    Verify.Diagnostic("HMM006").WithLocation(4).WithMessage("Releasing '_mutex', which is not held here; no lock is held"));

        [Fact]
        public Task OneTakenFlagForTwoWaysOfAcquiring() => Verify.Analyzer(@"
class Gate
{
    private readonly object _g = new object();
    public void Run(bool wait)
    {
        var taken = false;
        try
        {
            if (wait) { Monitor.Enter(_g, ref taken); } else { Monitor.TryEnter(_g, 50, ref taken); }
            Work();
        }
        finally { if (taken) { Monitor.Exit(_g); } }
    }
    public bool TryRun()
    {
        bool taken = false;
        try
        {
            taken = Monitor.TryEnter(_g, 50);
            if (taken) { Work(); return true; }
            return false;
        }
        catch (InvalidOperationException e) { Console.WriteLine(e); return false; }
        finally { if (taken) { Monitor.Exit(_g); } }
    }
    private static void Work() { }
}");

        [Fact]
        public Task OneTakenFlagForTwoWaysOfAcquiringStillFindsTheBrokenTwins() => Verify.Analyzer(@"
class Gate
{
    private readonly object _g = new object();
    private readonly object _h = new object();
    public void NoRelease(bool wait)
    {
        var taken = false;
        if (wait) { {|#0:Monitor.Enter(_g, ref taken)|}; } else { Monitor.TryEnter(_g, 50, ref taken); }
        Work();
    }
    public void WrongObject(bool wait)
    {
        var taken = false;
        try
        {
            if (wait) { {|#1:Monitor.Enter(_g, ref taken)|}; } else { Monitor.TryEnter(_g, 50, ref taken); }
            Work();
        }
        finally { if (taken) { {|#2:Monitor.Exit(_h)|}; } }
    }
    public bool TryRunUnguardedExit()
    {
        bool taken = false;
        try
        {
            taken = Monitor.TryEnter(_g, 50);
            return taken;
        }
        catch (InvalidOperationException e) { Console.WriteLine(e); return false; }
        finally { {|#3:Monitor.Exit(_g)|}; }
    }
    private static void Work() { }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_g' is acquired here but still held at the end of 'Gate.NoRelease' on some path"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
    Verify.Diagnostic("HMM006").WithLocation(2).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
    Verify.Diagnostic("HMM006").WithLocation(3).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        [Fact]
        public Task TheSuccessReturnOfATryAcquiresMethodHoldsTheLockByContract() => Verify.Analyzer(@"
class C
{
    private readonly object _o = new object();
    [TryAcquires(true, nameof(_o))] public bool TryLock() { if (Monitor.TryEnter(_o)) { return true; } return false; }
    [TryAcquires(false, nameof(_o))] public bool TryLockInverted() { if (!Monitor.TryEnter(_o)) { return true; } return false; }
    [TryAcquires(true, nameof(_o))] public bool Leaks() { if ({|#0:Monitor.TryEnter(_o)|}) { return false; } return false; }
}", Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        [Fact]
        public Task AMethodThatRequiresALockAndReleasesItBreaksItsContract() => Verify.AnalyzerIgnoringAssertions(@"
class C
{
    private readonly object _o = new object();
    [GuardedBy(nameof(_o))] private int _n;
    [RequiresExclusive(nameof(_o))] public void DropsIt() { _n++; Monitor.Exit(_o); {|#0:}|}
    [RequiresExclusive(nameof(_o))] public void KeepsIt() { _n++; Monitor.Exit(_o); Monitor.Enter(_o); }
    [RequiresExclusive(nameof(_o)), Releases(nameof(_o))] public void SaysSo() { _n++; Monitor.Exit(_o); }
}", Verify.Diagnostic("HMM005").WithLocation(0)
    .WithMessage("'C.DropsIt' requires its callers to hold '_o' but releases it on some return path; they still expect to hold it (declare [Releases] if it is meant to)"));

        [Fact]
        public Task ModesAndDepthsMustAgreeWhereThePathsMeet() => Verify.AnalyzerWithout(new[] { "HMM006" }, @"
class C
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly object _o = new object();
    public void Modes(bool b)
    {
        if (b) { _rw.EnterWriteLock(); } else { _rw.EnterReadLock(); }
        {|#0:Console.WriteLine();|}
        if (b) { _rw.ExitWriteLock(); } else { _rw.ExitReadLock(); }
    }
    public void Depths(bool b)
    {
        Monitor.Enter(_o);
        if (b) { Monitor.Enter(_o); }
        {|#1:Console.WriteLine();|}
        Monitor.Exit(_o);
    }
    public void Same(bool b)
    {
        if (b) { _rw.EnterReadLock(); } else { _rw.EnterReadLock(); }
        b = !b;
        _rw.ExitReadLock();
    }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_rw' is held exclusively on some paths reaching this point and shared on others"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_o' is held 2 times on some paths reaching this point and once on others"));

        // Clang keeps the acquired hold, not the asserted one, where the two meet: the acquisition must still be released.
        [Fact]
        public Task AnAssertionDoesNotExemptALockAcquiredOnAnotherPath() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Join(bool b)
    {
        if (b) { {|#0:Monitor.Enter(_gate)|}; } else { Lockdep.AssertHeld(_gate); }
        _n++;
    }
    public void OtherOrder(bool b)
    {
        if (b) { Lockdep.AssertHeld(_gate); } else { {|#1:Monitor.Enter(_gate)|}; }
        _n++;
    }
    public void AssertedOnBoth(bool b)
    {
        if (b) { Lockdep.AssertHeld(_gate); } else { Lockdep.AssertHeld(_gate); }
        _n++;
    }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_gate' is acquired here and still held on every return from 'Box.Join'"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_gate' is acquired here and still held on every return from 'Box.OtherOrder'"));

        // Clang: a scoped guard's destructor releases; here 'Dispose' does, so a guard never disposed leaves its lock held.
        [Fact]
        public Task AGuardThatIsNeverDisposedLeavesItsLockHeld() => Verify.Analyzer(@"
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
    public void Forgotten() { var g = {|#0:new Guard(_mu)|}; _n++; }
    public void ForgottenScope() { var s = {|#1:_l.EnterScope()|}; _m++; }
    public void Discarded() { {|#2:_l.EnterScope()|}; _m++; }
    public void DisposedByHand() { var g = new Guard(_mu); _n++; g.Dispose(); }
    public void ScopeDisposedByHand() { var s = _l.EnterScope(); try { _m++; } finally { s.Dispose(); } }
    public void Used() { using (new Guard(_mu)) { _n++; } using var s = _l.EnterScope(); _m++; }
}",
    Verify.Diagnostic("HMM005").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_mu' is acquired here and still held on every return from 'Box.Forgotten'; if 'Box.Forgotten' is meant to return holding it, declare that with [Acquires]"),
    Verify.Diagnostic("HMM005").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_l' is acquired here and still held on every return from 'Box.ForgottenScope'; if 'Box.ForgottenScope' is meant to return holding it, declare that with [Acquires]"),
    Verify.Diagnostic("HMM005").WithLocation(2).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithMessage("'_l' is acquired here and still held on every return from 'Box.Discarded'; if 'Box.Discarded' is meant to return holding it, declare that with [Acquires]"));
    }
}
