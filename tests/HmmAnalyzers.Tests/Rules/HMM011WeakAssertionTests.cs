using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM011WeakAssertionTests
    {
        [Fact]
        public Task SharedOrModelessAssertionForExclusiveContract() => Verify.Analyzer(@"
class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [RequiresExclusive(nameof(_rw))] public void A() { {|#0:Lockdep.AssertHeld(_rw)|}; }
    [RequiresExclusive(nameof(_rw))] public void B() { {|HMM011:Lockdep.AssertHeldShared(_rw)|}; }
}", Verify.Diagnostic("HMM011").WithLocation(0).WithMessage("The assertion checks that '_rw' is held in some mode, but 'Box.A' requires it exclusively; assert it exclusively"));

        [Fact]
        public Task SharedFrameworkCheckForExclusiveContract() => Verify.Analyzer(@"
class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [RequiresExclusive(nameof(_rw))] public void A() { {|#0:System.Diagnostics.Debug.Assert(_rw.IsReadLockHeld)|}; }
}", Verify.Diagnostic("HMM011").WithLocation(0).WithMessage("The assertion checks that '_rw' is held shared, but 'Box.A' requires it exclusively; assert it exclusively"));

        [Fact]
        public Task ModelessAssertionIsEnoughForExclusiveOnlyLocks() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    private readonly Lock _lock = new Lock();
    [RequiresExclusive(nameof(_gate))] public void A() { Lockdep.AssertHeld(_gate); }
    [RequiresExclusive(nameof(_lock))] public void B() { Lockdep.AssertHeld(_lock); }
}");

        [Fact]
        public Task AssertingAnExcludedLock() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [Excludes(nameof(_gate))] public void A() { {|HMM011:Lockdep.AssertHeld(_gate)|}; }
}");
    }
}
