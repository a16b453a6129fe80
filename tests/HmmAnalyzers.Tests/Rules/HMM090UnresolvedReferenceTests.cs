using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM090UnresolvedReferenceTests
    {
        [Fact]
        public Task TypoGetsASuggestion() => Verify.Analyzer(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy({|#0:""_gat""|})] private int _n;
    [RequiresExclusive({|#1:""nothing""|})] void M() { }
}",
            Verify.Diagnostic("HMM090").WithLocation(0).WithMessage("Lock reference '_gat' does not resolve to a parameter or member; did you mean '_gate'?"),
            Verify.Diagnostic("HMM090").WithLocation(1).WithMessage("Lock reference 'nothing' does not resolve to a parameter or member"));

        [Fact]
        public Task ChainResolvesMemberByMember() => Verify.AnalyzerIgnoringAssertions(@"
class Mm { public readonly object PageTableLock = new object(); public readonly ReaderWriterLockSlim MmapSem = new ReaderWriterLockSlim(); }
class Hmm
{
    public readonly Mm Mm = new Mm();
    [GuardedBy(""Mm.PageTableLock"")] public object? Mirrors;
    [RequiresExclusive(""MmapSem"")] public static void A(Mm mm) { }
    [RequiresExclusive(""mm.MmapSem"", nameof(Hmm.Mm))] public static void B(Mm mm) { }
    [RequiresExclusive({|#0:""Mm.PageTablLock""|})] public void C() { }
}", Verify.Diagnostic("HMM090").WithLocation(0).WithMessage("Lock reference 'Mm.PageTablLock' does not resolve to a parameter or member; did you mean 'Mm.PageTableLock'?"));

        [Fact]
        public Task AmbiguousBareNameIsReported() => Verify.Analyzer(@"
class Mm { public readonly object PageTableLock = new object(); }
class Code
{
    [RequiresExclusive({|#0:""PageTableLock""|})] public static void A(Mm a, Mm b) { }
}", Verify.Diagnostic("HMM091").WithLocation(0).WithMessage("Lock reference 'PageTableLock' is ambiguous: it could be 'a.PageTableLock', 'b.PageTableLock'"));

        // An annotation the compiler cannot read is reported where it is written, never a guard that quietly disappears.
        [Fact]
        public Task AnAnnotationThatCannotBeReadIsReported() => Verify.Analyzer(@"
class Box
{
    private static string Name = ""_gate"";
    private readonly object _gate = new object();
    [GuardedBy({|#0:nameof({|CS0103:_gat|})|})] private int _n;
    [GuardedBy({|#1:{|CS0182:Name|}|})] private int _m;
    [RequiresExclusive({|#2:nameof({|CS0103:_gte|})|})] private void Touch() { }
    public void Use() { _n++; _m++; }
}",
    Verify.Diagnostic("HMM090").WithLocation(0).WithMessage("Lock reference '_gat' does not resolve to a parameter or member; did you mean '_gate'?"),
    Verify.Diagnostic("HMM090").WithLocation(1).WithMessage("Lock reference Name cannot be read: it is not a constant string; the annotation is ignored"),
    Verify.Diagnostic("HMM090").WithLocation(2).WithMessage("Lock reference '_gte' does not resolve to a parameter or member; did you mean '_gate'?"));
    }
}
