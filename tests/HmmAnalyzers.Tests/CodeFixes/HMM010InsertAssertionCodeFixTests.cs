using System.Threading.Tasks;
using HmmAnalyzers.CodeFixes;
using Xunit;

namespace HmmAnalyzers.Tests.CodeFixes
{
    public class HMM010InsertAssertionCodeFixTests
    {
        [Fact]
        public Task InsertsExclusiveAssertionForReadWriteLock() => Verify.CodeFix<HMM010InsertAssertionCodeFix>(@"
public class Mm { public readonly ReaderWriterLockSlim MmapSem = new ReaderWriterLockSlim(); }
public static class Hmm
{
    [RequiresExclusive(""MmapSem"")]
    public static int {|HMM010:GetOrCreate|}(Mm mm)
    {
        return 1;
    }
}", @"
public class Mm { public readonly ReaderWriterLockSlim MmapSem = new ReaderWriterLockSlim(); }
public static class Hmm
{
    [RequiresExclusive(""MmapSem"")]
    public static int GetOrCreate(Mm mm)
    {
        Lockdep.AssertHeldExclusive(mm.MmapSem);
        return 1;
    }
}");

        [Fact]
        public Task ExpressionBodyBecomesABlock() => Verify.CodeFix<HMM010InsertAssertionCodeFix>(@"
public class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [RequiresShared(nameof(_gate))] public int {|HMM010:Get|}() => _n;
    [RequiresExclusive(nameof(_gate))] public void {|HMM010:Set|}(int v) => _n = v;
}", @"
public class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [RequiresShared(nameof(_gate))] public int Get()
    {
        Lockdep.AssertHeld(_gate);
        return _n;
    }

    [RequiresExclusive(nameof(_gate))] public void Set(int v)
    {
        Lockdep.AssertHeld(_gate);
        _n = v;
    }
}");

        [Fact]
        public Task FixAllAssertsEveryContractAcrossDocuments() => Verify.CodeFixAcrossDocuments<HMM010InsertAssertionCodeFix>(
            ("Store.cs", @"
public partial class Store
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [RequiresExclusive(nameof(_gate))]
    public void {|HMM010:Set|}(int v)
    {
        _n = v;
    }
}", @"
public partial class Store
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [RequiresExclusive(nameof(_gate))]
    public void Set(int v)
    {
        Lockdep.AssertHeld(_gate);
        _n = v;
    }
}"),
            ("Store.Get.cs", @"
public partial class Store
{
    [RequiresShared(nameof(_gate))]
    public int {|HMM010:Get|}()
    {
        return _n;
    }
}", @"
public partial class Store
{
    [RequiresShared(nameof(_gate))]
    public int Get()
    {
        Lockdep.AssertHeld(_gate);
        return _n;
    }
}"));

        [Fact]
        public Task TheAssertionGoesFirstInAnAccessorAndAfterAConstructorInitializer() => Verify.CodeFix<HMM010InsertAssertionCodeFix>(@"
public class Base { public Base(int n) { } }
public class Store : Base
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Value
    {
        [RequiresShared(nameof(_gate))]
        {|HMM010:get|} { return _n; }
    }

    [RequiresExclusive(""other._gate"")]
    public {|HMM010:Store|}(Store other) : base(other._n)
    {
        _n = other._n;
    }
}", @"
public class Base { public Base(int n) { } }
public class Store : Base
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Value
    {
        [RequiresShared(nameof(_gate))]
        get
        {
            Lockdep.AssertHeld(_gate);
            return _n;
        }
    }

    [RequiresExclusive(""other._gate"")]
    public Store(Store other) : base(other._n)
    {
        Lockdep.AssertHeld(other._gate);
        _n = other._n;
    }
}");
    }
}
