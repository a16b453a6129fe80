using System.Threading.Tasks;
using HmmAnalyzers.CodeFixes;
using Xunit;

namespace HmmAnalyzers.Tests.CodeFixes
{
    public class HMM001AddRequiresCodeFixTests
    {
        [Fact]
        public Task AddsRequiresSharedForAReadKeepingNameof() => Verify.CodeFix<HMM001AddRequiresCodeFix>(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Get()
    {
        return {|HMM001:_n|};
    }
}", @"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [RequiresShared(nameof(_gate))]
    public int Get()
    {
        return _n;
    }
}", disabled: "HMM010");

        [Fact]
        public Task AddsRequiresExclusiveForACallThroughAParameter() => Verify.CodeFix<HMM001AddRequiresCodeFix>(@"
class Mm { public readonly ReaderWriterLockSlim MmapSem = new ReaderWriterLockSlim(); }
static class Hmm
{
    [RequiresExclusive(""mm.MmapSem"")] static void Register(Mm mm) { }
    static void Caller(Mm mm)
    {
        {|HMM003:Register(mm)|};
    }
}", @"
class Mm { public readonly ReaderWriterLockSlim MmapSem = new ReaderWriterLockSlim(); }
static class Hmm
{
    [RequiresExclusive(""mm.MmapSem"")] static void Register(Mm mm) { }
    [RequiresExclusive(""mm.MmapSem"")]
    static void Caller(Mm mm)
    {
        Register(mm);
    }
}", disabled: "HMM010");

        // Callers outside the assembly cannot name a private lock: the contract would only move the warning to each of them.
        [Fact]
        public Task APublicMemberWithAPrivateLockIsNotGivenAContract() => Verify.CodeFix<HMM001AddRequiresCodeFix>(@"
public class Box
{
    private readonly object _gate = new object();
    internal readonly object Shared = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [GuardedBy(nameof(Shared))] private int _m;
    public int Get() => {|HMM001:_n|};
    public int GetShared()
    {
        return {|HMM001:_m|};
    }
}", @"
public class Box
{
    private readonly object _gate = new object();
    internal readonly object Shared = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [GuardedBy(nameof(Shared))] private int _m;
    public int Get() => {|HMM001:_n|};
    [RequiresShared(nameof(Shared))]
    public int GetShared()
    {
        return _m;
    }
}", disabled: "HMM010");

        [Fact]
        public Task FixAllDeclaresEveryRequirementAcrossDocuments() => Verify.CodeFixAcrossDocuments<HMM001AddRequiresCodeFix>(
            ("Box.cs", @"
partial class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    private void Add(int v)
    {
        {|HMM002:_n|} += v;
    }
}", @"
partial class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    [RequiresExclusive(nameof(_gate))]
    private void Add(int v)
    {
        _n += v;
    }
}"),
            ("Box.Read.cs", @"
partial class Box
{
    private int Read()
    {
        return {|HMM001:_n|};
    }
}", @"
partial class Box
{
    [RequiresShared(""_gate"")]
    private int Read()
    {
        return _n;
    }
}"));
    }
}
