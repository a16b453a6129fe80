using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    /// <summary>An object the method created needs no lock until the method hands it on; from there on it does.</summary>
    public class HMM002PublishedObjectTests
    {
        private const string Account = @"
class Account
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] public decimal Balance;
    public void Deposit(decimal amount) { lock (_gate) { Balance += amount; } }
}
";

        [Fact]
        public Task AWriteAfterALambdaCapturedTheObjectIsReported() => Verify.Analyzer(Account + @"
class Bank
{
    public static Account Open()
    {
        var a = new Account();
        a.Balance = 1m;
        Task.Run(() => a.Deposit(1m));
        {|HMM002:a.Balance|} = 5m;
        return a;
    }
}");

        [Fact]
        public Task SetUpBeforeTheObjectIsSharedIsNotReported() => Verify.Analyzer(Account + @"
class Bank
{
    public static Account Open()
    {
        var a = new Account { Balance = 2m };
        a.Balance = 1m;
        a.Deposit(1m);
        if (a.Balance > 0m && a != null) { a.Balance = 3m; }
        return a;
    }
}");

        [Theory]
        [InlineData("s_last = a;")]
        [InlineData("list.Add(a);")]
        [InlineData("slots[0] = a;")]
        [InlineData("Keep(a);")]
        [InlineData("var b = a;")]
        [InlineData("Later(() => a.Deposit(1m));")]
        public Task EachWayOfHandingTheObjectOnPublishesIt(string handOver) => Verify.Analyzer(Account + @"
class Bank
{
    private static Account s_last;
    static void Keep(Account a) { }
    static void Later(Action a) { }
    public static void Open(System.Collections.Generic.List<Account> list, Account[] slots)
    {
        var a = new Account();
        a.Balance = 1m;
        " + handOver + @"
        {|HMM002:a.Balance|} = 5m;
    }
}");

        [Fact]
        public Task ALocalPassedByReferenceMayHoldAnyObjectAfterwards() => Verify.Analyzer(Account + @"
class Bank
{
    static void Keep(ref Account a) { }
    public static void Open()
    {
        var a = new Account();
        {|HMM002:a.Balance|} = 1m;
        Keep(ref a);
        {|HMM002:a.Balance|} = 5m;
    }
}");

        [Fact]
        public Task ALocalFunctionPublishesWhatItCapturesWhereItIsFirstUsed() => Verify.Analyzer(Account + @"
class Bank
{
    public static void Open()
    {
        var a = new Account();
        a.Balance = 1m;
        Task.Run(Work);
        {|HMM002:a.Balance|} = 5m;

        void Work() => a.Deposit(1m);
    }
}");

        [Fact]
        public Task InALoopThatPublishesTheObjectEveryWriteIsAfterThePublication() => Verify.Analyzer(Account + @"
class Bank
{
    public static void Open(int n)
    {
        var a = new Account();
        a.Balance = 1m;
        for (var i = 0; i < n; i++)
        {
            {|HMM002:a.Balance|} = i;
            Task.Run(() => a.Deposit(1m));
        }
    }
}");

        [Fact]
        public Task TheSameWriteThroughAParameterIsReported() => Verify.Analyzer(Account + @"
class Bank
{
    public static void Set(Account a) { {|HMM002:a.Balance|} = 5m; }
}");
    }
}
