using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM003MissingRequiredLockTests
    {
        [Fact]
        public Task CallWithoutLockIsReported() => Verify.AnalyzerIgnoringAssertions(@"
class Mm { public readonly ReaderWriterLockSlim MmapSem = new ReaderWriterLockSlim(); }
class Hmm
{
    [RequiresExclusive(""MmapSem"")] public static void GetOrCreate(Mm mm) { }
    public static void NoLock(Mm mm) => {|#0:GetOrCreate(mm)|};
    public static void Read(Mm mm) { mm.MmapSem.EnterReadLock(); try { {|#1:GetOrCreate(mm)|}; } finally { mm.MmapSem.ExitReadLock(); } }
    public static void Write(Mm mm) { mm.MmapSem.EnterWriteLock(); try { GetOrCreate(mm); } finally { mm.MmapSem.ExitWriteLock(); } }
    public static void Other(Mm mm, Mm other) { other.MmapSem.EnterWriteLock(); try { {|#2:GetOrCreate(mm)|}; } finally { other.MmapSem.ExitWriteLock(); } }
}",
            Verify.Diagnostic("HMM003").WithLocation(0).WithMessage("Calling 'Hmm.GetOrCreate' requires holding 'mm.MmapSem' exclusively; no lock is held"),
            Verify.Diagnostic("HMM003").WithLocation(1).WithMessage("Calling 'Hmm.GetOrCreate' requires holding 'mm.MmapSem' exclusively; holding 'mm.MmapSem' shared"),
            Verify.Diagnostic("HMM003").WithLocation(2).WithMessage("Calling 'Hmm.GetOrCreate' requires holding 'mm.MmapSem' exclusively; 'other.MmapSem' is held, which is the same lock on another instance"));

        [Fact]
        public Task ContractsPropagateThroughCallers() => Verify.AnalyzerIgnoringAssertions(@"
class Box
{
    private readonly object _gate = new object();
    [RequiresExclusive(nameof(_gate))] private void Inner() { }
    [RequiresExclusive(nameof(_gate))] private void Outer() => Inner();
    public void Entry() { lock (_gate) { Outer(); } }
    public void Wrong() { {|HMM003:Outer()|}; }
}");

        [Fact]
        public Task PropertyWithContract() => Verify.AnalyzerIgnoringAssertions(@"
class Box
{
    private readonly object _gate = new object();
    private int _v;
    [RequiresShared(nameof(_gate))] public int Value { get => _v; }
    public int Bad() => {|HMM003:Value|};
    public int Good() { lock (_gate) { return Value; } }
}");

        [Fact]
        public Task AliasOfParameterPathSatisfiesRequirement() => Verify.AnalyzerIgnoringAssertions(@"
class Mm { public readonly object PageTableLock = new object(); }
class Hmm { public Mm Mm = new Mm(); }
class Code
{
    [RequiresExclusive(""mm.PageTableLock"")] static void Touch(Mm mm) { }
    static void Run(Hmm hmm) { var mm = hmm.Mm; lock (hmm.Mm.PageTableLock) { Touch(mm); } }
}");
    }
}
