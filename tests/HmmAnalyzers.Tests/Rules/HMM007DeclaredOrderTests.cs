using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM007DeclaredOrderTests
    {
        [Fact]
        // The inversions below also close lock-order cycles; the declared order explains them, so HMM012 stays silent.
        public Task AcquisitionAgainstDeclaredOrderIsReported() => Verify.Analyzer(@"
class Mm
{
    [AcquiredBefore(nameof(PageTableLock))] public readonly object MmapSem = new object();
    public readonly object PageTableLock = new object();
    [AcquiredAfter(nameof(PageTableLock))] public readonly object Inner = new object();
    public void Good() { lock (MmapSem) { lock (PageTableLock) { lock (Inner) { } } } }
    public void Bad() { lock (PageTableLock) { lock ({|#0:MmapSem|}) { } } }
    public void Transitive() { lock (Inner) { lock ({|HMM007:MmapSem|}) { } } }
}", Verify.Diagnostic("HMM007").WithLocation(0).WithMessage("Acquiring 'MmapSem' while holding 'PageTableLock' is against the declared lock order Mm.MmapSem -> Mm.PageTableLock"));

        [Fact]
        public Task CycleInDeclarationsIsReportedOnce() => Verify.Analyzer(@"
class Two
{
    [AcquiredBefore({|#0:nameof(B)|})] public readonly object A = new object();
    [AcquiredBefore(nameof(A))] public readonly object B = new object();
}", Verify.Diagnostic("HMM007").WithLocation(0).WithMessage("The declared lock order has a cycle: Two.A -> Two.B -> Two.A"));

        [Fact]
        // The declared order is only read from files that name it: an alias names it too.
        public Task DeclaredOrderThroughAnAliasIsRead() => Verify.Analyzer(@"using Before = HmmAnalyzers.Annotations.AcquiredBeforeAttribute;
class Mm
{
    [Before(nameof(PageTableLock))] public readonly object MmapSem = new object();
    public readonly object PageTableLock = new object();
    public void Good() { lock (MmapSem) { lock (PageTableLock) { } } }
    public void Bad() { lock (PageTableLock) { lock ({|HMM007:MmapSem|}) { } } }
}");

        [Fact]
        public Task ACycleNoDeclarationCoversIsStillACycle() => Verify.Analyzer(@"
class Mm
{
    [AcquiredBefore(nameof(PageTableLock))] public readonly object MmapSem = new object();
    public readonly object PageTableLock = new object();
    public readonly object A = new object();
    public readonly object B = new object();
    public void Good() { lock (MmapSem) { lock (PageTableLock) { } } }
    public void Ab() { lock (A) { lock ({|HMM012:B|}) { } } }
    public void Ba() { lock (B) { lock (A) { } } }
}");

        [Fact]
        public Task AnInversionThroughACalleeIsACycle() => Verify.Analyzer(@"
class Mm
{
    [AcquiredBefore(nameof(PageTableLock))] public readonly object MmapSem = new object();
    public readonly object PageTableLock = new object();
    public void Good() { lock (MmapSem) { lock ({|HMM012:PageTableLock|}) { } } }
    public void Bad() { lock (PageTableLock) { TakeSem(); } }
    private void TakeSem() { lock (MmapSem) { } }
}");

        [Fact]
        public Task NoDeclaredOrderNoReport() => Verify.Analyzer(@"
class Mm
{
    public readonly object MmapSem = new object();
    public readonly object PageTableLock = new object();
    public void One() { lock (MmapSem) { lock (PageTableLock) { } } }
}");
    }
}
