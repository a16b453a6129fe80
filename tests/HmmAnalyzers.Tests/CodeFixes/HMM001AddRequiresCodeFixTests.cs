using System.Threading.Tasks;
using HmmAnalyzers.CodeFixes;
using Xunit;

namespace HmmAnalyzers.Tests.CodeFixes
{
    public class HMM001AddRequiresCodeFixTests
    {
        [Fact]
        public Task AddsRequiresSharedForARead() => Verify.CodeFix<HMM001AddRequiresCodeFix>(@"
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
    [RequiresShared(""_gate"")]
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
    }
}
