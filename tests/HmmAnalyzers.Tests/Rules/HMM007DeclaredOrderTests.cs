using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM007DeclaredOrderTests
    {
        [Fact]
        // The inversions below are also lock-order cycles (HMM012); this test is about the declared order.
        public Task AcquisitionAgainstDeclaredOrderIsReported() => Verify.AnalyzerWithout(new[] { "HMM012" }, @"
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
        public Task DeclaredOrderThroughAnAliasIsRead() => Verify.AnalyzerWithout(new[] { "HMM012" }, @"using Before = HmmAnalyzers.Annotations.AcquiredBeforeAttribute;
class Mm
{
    [Before(nameof(PageTableLock))] public readonly object MmapSem = new object();
    public readonly object PageTableLock = new object();
    public void Good() { lock (MmapSem) { lock (PageTableLock) { } } }
    public void Bad() { lock (PageTableLock) { lock ({|HMM007:MmapSem|}) { } } }
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
