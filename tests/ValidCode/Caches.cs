using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.Annotations;

namespace ValidCode
{
    /// <summary>An LRU cache with one Monitor lock, annotated.</summary>
    public sealed class LruCache<TKey, TValue>
        where TKey : notnull
    {
        private readonly object _gate = new object();
        private readonly int _capacity;

        [GuardedBy(nameof(_gate))]
        private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _map = new();

        [GuardedBy(nameof(_gate))]
        private readonly LinkedList<(TKey Key, TValue Value)> _order = new();

        [GuardedBy(nameof(_gate))]
        private long _hits;

        public LruCache(int capacity) => _capacity = capacity;

        public bool TryGet(TKey key, out TValue value)
        {
            lock (_gate)
            {
                if (_map.TryGetValue(key, out var node))
                {
                    _order.Remove(node);
                    _order.AddFirst(node);
                    _hits++;
                    value = node.Value.Value;
                    return true;
                }
            }

            value = default!;
            return false;
        }

        public void Put(TKey key, TValue value)
        {
            lock (_gate)
            {
                if (_map.TryGetValue(key, out var existing))
                {
                    _order.Remove(existing);
                }

                _map[key] = _order.AddFirst((key, value));
                Trim();
            }
        }

        public long Hits
        {
            get
            {
                lock (_gate)
                {
                    return _hits;
                }
            }
        }

        [RequiresExclusive(nameof(_gate))]
        private void Trim()
        {
            Lockdep.AssertHeld(_gate);
            while (_map.Count > _capacity && _order.Last is { } last)
            {
                _map.Remove(last.Value.Key);
                _order.RemoveLast();
            }
        }
    }

    /// <summary>A registry with a reader/writer lock and the upgradeable read pattern.</summary>
    public sealed class Registry
    {
        private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();

        [GuardedBy(nameof(_rw))]
        private readonly Dictionary<string, int> _ids = new();

        public int Lookup(string name)
        {
            _rw.EnterReadLock();
            try
            {
                return _ids.TryGetValue(name, out var id) ? id : -1;
            }
            finally
            {
                _rw.ExitReadLock();
            }
        }

        public int GetOrAdd(string name)
        {
            _rw.EnterUpgradeableReadLock();
            try
            {
                if (_ids.TryGetValue(name, out var id))
                {
                    return id;
                }

                _rw.EnterWriteLock();
                try
                {
                    id = _ids.Count;
                    _ids[name] = id;
                    return id;
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

        public bool TryRemove(string name, TimeSpan timeout)
        {
            if (!_rw.TryEnterWriteLock(timeout))
            {
                return false;
            }

            try
            {
                return _ids.Remove(name);
            }
            finally
            {
                _rw.ExitWriteLock();
            }
        }
    }

    /// <summary>A connection pool: a semaphore for capacity, a System.Threading.Lock for the free list, async callers.</summary>
    public sealed class ConnectionPool : IDisposable
    {
        private readonly SemaphoreSlim _slots;
        private readonly Lock _freeLock = new Lock();

        [GuardedBy(nameof(_freeLock))]
        private readonly Stack<int> _free = new Stack<int>();

        [GuardedBy(nameof(_freeLock))]
        private int _created;

        public ConnectionPool(int size)
        {
            _slots = new SemaphoreSlim(size, size);
        }

        public async Task<int> RentAsync(CancellationToken cancellationToken)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            using (_freeLock.EnterScope())
            {
                return _free.Count > 0 ? _free.Pop() : ++_created;
            }
        }

        public void Return(int connection)
        {
            lock (_freeLock)
            {
                _free.Push(connection);
            }

            _slots.Release();
        }

        public int Created
        {
            get
            {
                using var scope = _freeLock.EnterScope();
                return _created;
            }
        }

        public void Dispose() => _slots.Dispose();
    }

    /// <summary>Statistics behind a SpinLock, with the taken flag pattern.</summary>
    public sealed class Stats
    {
        private SpinLock _spin = new SpinLock(enableThreadOwnerTracking: false);

        [GuardedBy(nameof(_spin))]
        private long _count;

        [GuardedBy(nameof(_spin))]
        private long _sum;

        public void Add(long value)
        {
            var taken = false;
            try
            {
                _spin.Enter(ref taken);
                _count++;
                _sum += value;
            }
            finally
            {
                if (taken)
                {
                    _spin.Exit();
                }
            }
        }

        public double Mean()
        {
            var taken = false;
            try
            {
                _spin.Enter(ref taken);
                return _count == 0 ? 0 : (double)_sum / _count;
            }
            finally
            {
                if (taken)
                {
                    _spin.Exit();
                }
            }
        }
    }
}
