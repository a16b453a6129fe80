using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM010MissingAssertionTests
    {
        [Fact]
        public Task ContractWithoutAssertionIsReportedOnTheName() => Verify.Analyzer(@"
public class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [RequiresExclusive(nameof(_rw))] public void {|#0:Update|}() { }
}", Verify.Diagnostic("HMM010").WithLocation(0).WithMessage("'Box.Update' requires holding '_rw' exclusively but does not assert it before its first use (Lockdep.AssertHeld*, or Debug.Assert of the lock's own query)"));

        [Fact]
        public Task AssertionAtTheTopIsClean() => Verify.Analyzer(@"
public class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [RequiresExclusive(nameof(_rw))] public void Update() { Lockdep.AssertHeldExclusive(_rw); }
    [RequiresShared(nameof(_rw))] public void Read() { Lockdep.AssertHeldShared(_rw); }
    [RequiresExclusive(nameof(_gate))] public void Bump() { Lockdep.AssertHeld(_gate); _n++; }
}");

        [Fact]
        public Task FrameworkLockChecksInDebugAssertCount() => Verify.Analyzer(@"
using System.Diagnostics;
public class Box
{
    private readonly object _gate = new object();
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly Lock _lock = new Lock();
    [GuardedBy(nameof(_gate))] private int _n;
    [GuardedBy(nameof(_rw))] private int _m;
    [GuardedBy(nameof(_lock))] private int _k;
    [RequiresExclusive(nameof(_gate))] public void A() { Debug.Assert(Monitor.IsEntered(_gate)); _n++; }
    [RequiresExclusive(nameof(_rw))] public void B() { Debug.Assert(_rw.IsWriteLockHeld); _m++; }
    [RequiresShared(nameof(_rw))] public int C() { Trace.Assert(_rw.IsReadLockHeld); return _m; }
    [RequiresExclusive(nameof(_lock))] public void D() { Debug.Assert(_lock.IsHeldByCurrentThread, ""held""); _k++; }
    [RequiresExclusive(nameof(_gate))] public void {|HMM010:E|}() { Debug.Assert(!Monitor.IsEntered(_rw)); _n++; }
    [RequiresExclusive(nameof(_gate))] public void {|HMM010:F|}() { _n++; Debug.Assert(Monitor.IsEntered(_gate)); }
}");

        [Fact]
        public Task AssertionAfterFirstUseIsTooLate() => Verify.Analyzer(@"
public class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [RequiresExclusive(nameof(_gate))] public void {|HMM010:Bump|}() { _n++; Lockdep.AssertHeld(_gate); }
}");

        [Fact]
        public Task UserAssertionHelpersCount() => Verify.Analyzer(@"
class Mm
{
    public readonly object Lock = new object();
    [AssertsHeld(""mm.Lock"")] public static void AssertLocked(Mm mm) => Lockdep.AssertHeld(mm.Lock);
    [RequiresExclusive(""mm.Lock"")] public static void Work(Mm mm) { AssertLocked(mm); }
}");

        [Fact]
        public Task ASemaphoreAssertionBindsToItsOwnOverloadAndCounts() => Verify.Analyzer(@"
public class Pool
{
    private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
    [GuardedBy(nameof(_sem))] private int _n;
    [RequiresExclusive(nameof(_sem))] public void Take() { Lockdep.AssertHeld(_sem); _n--; }
    [RequiresExclusive(nameof(_sem))] public void {|HMM010:Put|}() { _n++; }
}");

        // What runs before a constructor's body (field initializers, the base constructor) is not the contract's first use.
        [Fact]
        public Task AnAssertionFirstInAConstructorCounts() => Verify.Analyzer(@"
public class Owner { public readonly object Gate = new object(); [GuardedBy(nameof(Gate))] public int Count; }
public class Base { protected Base(int n) { } }
public class Node : Base
{
    private readonly object _own = new object();
    private readonly int[] _slots = new int[4];
    [RequiresExclusive(""owner.Gate"")]
    public Node(Owner owner) : base(4)
    {
        Lockdep.AssertHeld(owner.Gate);
        owner.Count++;
    }
    [RequiresExclusive(""owner.Gate"")]
    public Node(Owner owner, int n) : this(owner)
    {
        Lockdep.AssertHeld(owner.Gate);
        owner.Count += n;
    }
    [RequiresExclusive(""owner.Gate"")]
    public {|#0:Node|}(Owner owner, string s) : base(s.Length)
    {
        owner.Count++;
        Lockdep.AssertHeld(owner.Gate);
    }
}",
    Verify.Diagnostic("HMM010").WithLocation(0).WithMessage("'Node.Node' requires holding 'owner.Gate' but does not assert it before its first use (Lockdep.AssertHeld*, or Debug.Assert of the lock's own query)"));

        // HMM003 checks every call of a method whose callers it sees: a run-time check is asked for where callers escape it.
        [Fact]
        public Task OnlyContractsWhoseCallersEscapeTheAnalysisAreAskedToAssert() => Verify.Analyzer(@"
public interface IStep { void Run(); }
public class Engine : IStep
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [RequiresExclusive(nameof(_gate))] private void Helper() { _n++; }
    [RequiresExclusive(nameof(_gate))] internal void Internal() { _n++; }
    [RequiresExclusive(nameof(_gate))] public void {|#0:Visible|}() { _n++; }
    [RequiresExclusive(nameof(_gate))] protected void {|#1:ForDerived|}() { _n++; }
    [RequiresExclusive(nameof(_gate))] internal virtual void {|#2:Overridable|}() { _n++; }
    [RequiresExclusive(nameof(_gate))] public void {|#3:Run|}() { _n++; }
    [RequiresExclusive(nameof(_gate))] private void {|#4:Callback|}() { _n++; }
    public void Use() { lock (_gate) { Helper(); Internal(); Action a = Callback; a(); } }
}
class Hidden
{
    private readonly object _gate = new object();
    [RequiresExclusive(nameof(_gate))] public void Visible() { }
}",
    Verify.Diagnostic("HMM010").WithLocation(0),
    Verify.Diagnostic("HMM010").WithLocation(1),
    Verify.Diagnostic("HMM010").WithLocation(2),
    Verify.Diagnostic("HMM010").WithLocation(3),
    Verify.Diagnostic("HMM010").WithLocation(4));

        [Fact]
        public Task AnEditorConfigOptionAsksEveryContractToAssert()
        {
            var test = Verify.Create(@"
class Engine
{
    private readonly object _gate = new object();
    [RequiresExclusive(nameof(_gate))] private void {|HMM010:Helper|}() { }
    public void Use() { lock (_gate) { Helper(); } }
}");
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nhmm_analyzers.contract_assertions = everywhere\n"));
            return test.RunAsync(System.Threading.CancellationToken.None);
        }
    }
}
