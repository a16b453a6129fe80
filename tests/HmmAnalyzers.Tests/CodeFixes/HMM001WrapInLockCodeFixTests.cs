using System.Threading.Tasks;
using HmmAnalyzers.CodeFixes;
using Xunit;

namespace HmmAnalyzers.Tests.CodeFixes
{
    public class HMM001WrapInLockCodeFixTests
    {
        [Fact]
        public Task WrapsStatementsAndFixesAll() => Verify.CodeFix<HMM001WrapInLockCodeFix>(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Add(int v)
    {
        {|HMM002:_n|} += v;
        Console.WriteLine({|HMM001:_n|});
    }
}", @"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Add(int v)
    {
        lock (_gate)
        {
            _n += v;
        }

        lock (_gate)
        {
            Console.WriteLine(_n);
        }
    }
}");

        [Fact]
        public Task ReaderWriterGuardsAreNotWrapped() => Verify.Analyzer(@"
class Box
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    [GuardedBy(nameof(_rw))] private int _n;
    public void Add(int v) { {|HMM002:_n|} += v; }
}");

        // The lambda runs later: a lock around the statement that creates it would leave the warning and add a lock.
        [Fact]
        public Task ALambdaThatReadsTheMemberIsNotWrapped() => Verify.CodeFix<HMM001WrapInLockCodeFix>(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public Task<int> Later() => Task.Run(() => {|HMM001:_n|});
    public void Block()
    {
        Task.Run(() =>
        {
            Console.WriteLine({|HMM001:_n|});
        });
    }
}", @"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public Task<int> Later() => Task.Run(() => {|HMM001:_n|});
    public void Block()
    {
        Task.Run(() =>
        {
            lock (_gate)
            {
                Console.WriteLine(_n);
            }
        });
    }
}");

        [Fact]
        public Task AStatementInsideALockOnTheSameLockIsNotWrapped() => Verify.CodeFix<HMM001WrapInLockCodeFix>(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Gap()
    {
        lock (_gate)
        {
            Monitor.Exit(_gate);
            Console.WriteLine({|HMM001:_n|});
            Monitor.Enter(_gate);
        }
    }
}", @"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Gap()
    {
        lock (_gate)
        {
            Monitor.Exit(_gate);
            Console.WriteLine({|HMM001:_n|});
            Monitor.Enter(_gate);
        }
    }
}");

        [Fact]
        public Task AnExpressionBodiedMemberBecomesALockedBlock() => Verify.CodeFix<HMM001WrapInLockCodeFix>(@"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Size => {|HMM001:_n|};
    public int Get() => {|HMM001:_n|} + 1;
    public void Set(int v) => {|HMM002:_n|} = v;
    public int Both { get => {|HMM001:_n|}; set => {|HMM002:_n|} = value; }
}", @"
class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public int Size
    {
        get
        {
            lock (_gate)
            {
                return _n;
            }
        }
    }

    public int Get()
    {
        lock (_gate)
        {
            return _n + 1;
        }
    }

    public void Set(int v)
    {
        lock (_gate)
        {
            _n = v;
        }
    }

    public int Both
    {
        get
        {
            lock (_gate)
            {
                return _n;
            }
        }
        set
        {
            lock (_gate)
            {
                _n = value;
            }
        }
    }
}", fixAllIterations: 2, actionIndex: null);

        [Fact]
        public Task FixAllWrapsAcrossDocuments() => Verify.CodeFixAcrossDocuments<HMM001WrapInLockCodeFix>(
            ("Box.cs", @"
partial class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Add(int v)
    {
        {|HMM002:_n|} += v;
    }
}", @"
partial class Box
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Add(int v)
    {
        lock (_gate)
        {
            _n += v;
        }
    }
}"),
            ("Box.Print.cs", @"
partial class Box
{
    public void Print()
    {
        Console.WriteLine({|HMM001:_n|});
    }
}", @"
partial class Box
{
    public void Print()
    {
        lock (_gate)
        {
            Console.WriteLine(_n);
        }
    }
}"));
    }
}
