using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.Annotations;

namespace ValidCode
{
    /// <summary>The try-acquire patterns of Monitor, with a timeout and with a lockTaken flag tested twice.</summary>
    public sealed class Throttle
    {
        private readonly object _gate = new object();

        [GuardedBy(nameof(_gate))]
        private int _inFlight;

        public bool TryStart(TimeSpan timeout)
        {
            var taken = false;
            try
            {
                Monitor.TryEnter(_gate, timeout, ref taken);
                if (!taken)
                {
                    return false;
                }

                _inFlight++;
                return true;
            }
            finally
            {
                if (taken)
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        public bool TryFinish()
        {
            if (!Monitor.TryEnter(_gate))
            {
                return false;
            }

            try
            {
                _inFlight--;
                return true;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        public void Drain()
        {
            lock (_gate)
            {
                while (_inFlight > 0)
                {
                    Monitor.Wait(_gate);
                }

                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>A reader/writer cache that upgrades inside its upgradeable read lock, and reads under a timeout.</summary>
    public sealed class UpgradingCache
    {
        private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim(LockRecursionPolicy.NoRecursion);

        [GuardedBy(nameof(_rw))]
        private readonly Dictionary<string, int> _map = new();

        public int GetOrAdd(string key, Func<string, int> factory)
        {
            _rw.EnterUpgradeableReadLock();
            try
            {
                if (_map.TryGetValue(key, out var value))
                {
                    return value;
                }

                _rw.EnterWriteLock();
                try
                {
                    value = factory(key);
                    _map[key] = value;
                    return value;
                }
                finally
                {
                    _rw.ExitWriteLock();
                }
            }
            finally
            {
                _rw.ExitUpgradeableReadLock();
            }
        }

        public bool TryRead(string key, out int value)
        {
            if (!_rw.TryEnterReadLock(100))
            {
                value = 0;
                return false;
            }

            try
            {
                return _map.TryGetValue(key, out value);
            }
            finally
            {
                _rw.ExitReadLock();
            }
        }

        public List<string> KeysAbove(int floor)
        {
            _rw.EnterReadLock();
            try
            {
                return _map.Where(e => e.Value > floor).Select(e => e.Key).ToList();
            }
            finally
            {
                _rw.ExitReadLock();
            }
        }
    }

    /// <summary>An async cache guarded by a SemaphoreSlim, entered with and without a timeout through ConfigureAwait.</summary>
    public sealed class AsyncLoader : IDisposable
    {
        private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);

        [GuardedBy(nameof(_sem))]
        private readonly Dictionary<string, string> _loaded = new();

        public async Task<string> GetAsync(string key, Func<string, Task<string>> load)
        {
            await _sem.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_loaded.TryGetValue(key, out var value))
                {
                    return value;
                }

                value = await load(key).ConfigureAwait(false);
                _loaded[key] = value;
                return value;
            }
            finally
            {
                _sem.Release();
            }
        }

        public async Task<bool> TryForgetAsync(string key, TimeSpan timeout)
        {
            if (!await _sem.WaitAsync(timeout).ConfigureAwait(false))
            {
                return false;
            }

            try
            {
                return _loaded.Remove(key);
            }
            finally
            {
                _sem.Release();
            }
        }

        public async Task<int> CountAsync(CancellationToken cancellationToken)
        {
            var entered = await _sem.WaitAsync(1000, cancellationToken).ConfigureAwait(false);
            if (!entered)
            {
                return -1;
            }

            try
            {
                return _loaded.Count;
            }
            finally
            {
                _sem.Release();
            }
        }

        public void Dispose() => _sem.Dispose();
    }

    /// <summary>A collection that locks only when it was created synchronized, and a helper told so by its caller.</summary>
    public sealed class MaybeSynchronizedList<T>
    {
        private readonly object _syncRoot = new object();
        private readonly bool _synchronized;
        private readonly List<T> _items = new();

        [GuardedBy(nameof(_syncRoot))]
        private int _version;

        public MaybeSynchronizedList(bool synchronized) => _synchronized = synchronized;

        public void Add(T item)
        {
            if (_synchronized)
            {
                Monitor.Enter(_syncRoot);
            }

            try
            {
                _items.Add(item);
                if (_synchronized)
                {
                    _version++;
                }
            }
            finally
            {
                if (_synchronized)
                {
                    Monitor.Exit(_syncRoot);
                }
            }
        }

        public int Count(bool takeLock)
        {
            if (takeLock)
            {
                Monitor.Enter(_syncRoot);
            }

            var count = _items.Count;
            if (takeLock)
            {
                Monitor.Exit(_syncRoot);
            }

            return count;
        }
    }

    /// <summary>Helpers whose callers hold the lock, asserted with the framework's own queries.</summary>
    public sealed class Ledger
    {
        private readonly object _gate = new object();
        private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();

        [GuardedBy(nameof(_gate))]
        private long _total;

        [GuardedBy(nameof(_rw))]
        private readonly List<long> _entries = new();

        public void Add(long amount)
        {
            lock (_gate)
            {
                AddLocked(amount);
            }

            _rw.EnterWriteLock();
            try
            {
                Append(amount);
            }
            finally
            {
                _rw.ExitWriteLock();
            }
        }

        public long Sum()
        {
            _rw.EnterReadLock();
            try
            {
                return SumLocked();
            }
            finally
            {
                _rw.ExitReadLock();
            }
        }

        [RequiresExclusive(nameof(_gate))]
        private void AddLocked(long amount)
        {
            Debug.Assert(Monitor.IsEntered(_gate));
            _total += amount;
        }

        [RequiresExclusive(nameof(_rw))]
        private void Append(long amount)
        {
            Debug.Assert(_rw.IsWriteLockHeld, "callers hold the write lock");
            _entries.Add(amount);
        }

        [RequiresShared(nameof(_rw))]
        private long SumLocked()
        {
            Debug.Assert(_rw.IsReadLockHeld);
            return _entries.Sum();
        }
    }
}
