using System;
using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.Annotations;

namespace Demo
{
    /// <summary>A bank account with four deliberate locking bugs; each line marked BUG gets a warning.</summary>
    public sealed class Account
    {
        private readonly object _gate = new object();

        [GuardedBy(nameof(_gate))]
        private decimal _balance;

        public decimal Balance => _balance; // BUG: HMM001, read without _gate

        public void Deposit(decimal amount)
        {
            lock (_gate)
            {
                _balance += amount;
            }
        }

        public void Withdraw(decimal amount)
        {
            Monitor.Enter(_gate); // BUG: HMM005, not released on the early return
            if (_balance < amount)
            {
                return;
            }

            _balance -= amount;
            Monitor.Exit(_gate);
        }

        [RequiresExclusive(nameof(_gate))]
        private void Audit()
        {
            Lockdep.AssertHeld(_gate);
            _balance = Math.Round(_balance, 2);
        }

        public void Close() => Audit(); // BUG: HMM003, caller does not hold _gate

        public async Task SaveAsync()
        {
            Monitor.Enter(_gate);
            try
            {
                await Task.Delay(1); // BUG: HMM009, a Monitor is thread-affine
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }
    }

    public static class Program
    {
        public static void Main()
        {
            var account = new Account();
            account.Deposit(10);
            Console.WriteLine($"Balance: {account.Balance}");
        }
    }
}
