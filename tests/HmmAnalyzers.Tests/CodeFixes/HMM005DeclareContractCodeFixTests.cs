using System.Threading.Tasks;
using HmmAnalyzers.CodeFixes;
using Xunit;

namespace HmmAnalyzers.Tests.CodeFixes
{
    public class HMM005DeclareContractCodeFixTests
    {
        [Fact]
        public Task DeclaresAcquiresOnAMethodThatReturnsHoldingTheLock() => Verify.CodeFix<HMM005DeclareContractCodeFix>(@"
class Box
{
    private readonly object _gate = new object();
    public void Lock()
    {
        {|HMM005:Monitor.Enter(_gate)|};
    }
}", @"
class Box
{
    private readonly object _gate = new object();
    [Acquires(""_gate"")]
    public void Lock()
    {
        Monitor.Enter(_gate);
    }
}");

        [Fact]
        public Task DeclaresAcquiresSharedThroughAParameter() => Verify.CodeFix<HMM005DeclareContractCodeFix>(@"
static class Locks
{
    public static void Read(ReaderWriterLockSlim rw) { {|HMM005:rw.EnterReadLock()|}; }
}", @"
static class Locks
{
    [AcquiresShared(""rw"")]
    public static void Read(ReaderWriterLockSlim rw) { rw.EnterReadLock(); }
}");

        [Fact]
        public Task DeclaresReleasesOnAMethodThatReleasesForItsCaller() => Verify.CodeFix<HMM005DeclareContractCodeFix>(@"
class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void Unlock()
    {
        {|HMM006:_rw.ExitWriteLock()|};
    }
}", @"
class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [Releases(""_rw"")]
    public void Unlock()
    {
        _rw.ExitWriteLock();
    }
}");

        [Fact]
        public Task DeclaresReleasesSharedOnAnExpressionBodiedMethod() => Verify.CodeFix<HMM005DeclareContractCodeFix>(@"
class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void UnlockRead() => {|HMM006:_rw.ExitReadLock()|};
}", @"
class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [ReleasesShared(""_rw"")]
    public void UnlockRead() => _rw.ExitReadLock();
}");

        [Fact]
        public Task NoFixForALeakOnSomePaths() => Verify.CodeFix<HMM005DeclareContractCodeFix>(@"
class Box
{
    private readonly object _gate = new object();
    public int Get(bool c)
    {
        {|HMM005:Monitor.Enter(_gate)|};
        if (c) { return 1; }
        Monitor.Exit(_gate);
        return 0;
    }
}", @"
class Box
{
    private readonly object _gate = new object();
    public int Get(bool c)
    {
        {|HMM005:Monitor.Enter(_gate)|};
        if (c) { return 1; }
        Monitor.Exit(_gate);
        return 0;
    }
}");

        [Fact]
        public Task FixAllDeclaresEveryContractAcrossDocuments() => Verify.CodeFixAcrossDocuments<HMM005DeclareContractCodeFix>(
            ("Box.cs", @"
partial class Box
{
    private readonly object _gate = new object();
    public void Lock() { {|HMM005:Monitor.Enter(_gate)|}; }
    public void Unlock() { {|HMM006:Monitor.Exit(_gate)|}; }
}", @"
partial class Box
{
    private readonly object _gate = new object();
    [Acquires(""_gate"")]
    public void Lock() { Monitor.Enter(_gate); }
    [Releases(""_gate"")]
    public void Unlock() { Monitor.Exit(_gate); }
}"),
            ("Box.Read.cs", @"
partial class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    public void LockRead() { {|HMM005:_rw.EnterReadLock()|}; }
    public void UnlockRead() { {|HMM006:_rw.ExitReadLock()|}; }
}", @"
partial class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [AcquiresShared(""_rw"")]
    public void LockRead() { _rw.EnterReadLock(); }
    [ReleasesShared(""_rw"")]
    public void UnlockRead() { _rw.ExitReadLock(); }
}"));
    }
}
