using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using HmmAnalyzers.Annotations;

namespace Kernel
{
    /// <summary>spinlock_t: a non-sleeping, non-reentrant lock. Nothing may sleep while it is held.</summary>
    [LockType(Spinning = true)]
    public sealed class Spinlock : ILockState
    {
        private int _owner;

        /// <summary>Lockdep's lock class: where the lock was created, as in the kernel.</summary>
        private readonly string _class;

        public Spinlock([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => _class = Path.GetFileName(file) + ":" + line;

        public bool IsHeldExclusive => Volatile.Read(ref _owner) == Environment.CurrentManagedThreadId;

        public bool IsHeldShared => false;

        /// <summary>spin_lock()</summary>
        [Acquires]
        public void Lock()
        {
            Lockdep.Acquired(this, _class);
            var me = Environment.CurrentManagedThreadId;
            var spinner = new SpinWait();
            while (Interlocked.CompareExchange(ref _owner, me, 0) != 0)
            {
                spinner.SpinOnce();
            }
        }

        /// <summary>spin_unlock()</summary>
        [Releases]
        public void Unlock()
        {
            if (Interlocked.CompareExchange(ref _owner, 0, Environment.CurrentManagedThreadId) != Environment.CurrentManagedThreadId)
            {
                throw new LockdepException(nameof(Spinlock), "spin_unlock of a lock this thread does not hold");
            }

            Lockdep.Released(this);
        }
    }

    /// <summary>struct rw_semaphore: a sleeping reader/writer lock (down_read/up_read, down_write/up_write).</summary>
    [LockType]
    public sealed class RwSemaphore : ILockState
    {
        private readonly object _gate = new object();
        private readonly ThreadLocal<int> _readsByThisThread = new ThreadLocal<int>();
        private int _readers;
        private int _writer;

        /// <summary>Lockdep's lock class: where the semaphore was created.</summary>
        private readonly string _class;

        public RwSemaphore([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => _class = Path.GetFileName(file) + ":" + line;

        public bool IsHeldExclusive => Volatile.Read(ref _writer) == Environment.CurrentManagedThreadId;

        public bool IsHeldShared => _readsByThisThread.Value > 0;

        /// <summary>down_read()</summary>
        [MightSleep]
        [AcquiresShared]
        public void DownRead()
        {
            Lockdep.Acquired(this, _class);
            lock (_gate)
            {
                while (_writer != 0)
                {
                    Monitor.Wait(_gate);
                }

                _readers++;
            }

            _readsByThisThread.Value++;
        }

        /// <summary>down_read_trylock(): true when the read side was taken.</summary>
        [TryAcquiresShared(true)]
        public bool DownReadTrylock()
        {
            lock (_gate)
            {
                if (_writer != 0)
                {
                    return false;
                }

                _readers++;
            }

            _readsByThisThread.Value++;
            Lockdep.Acquired(this, _class, tryLock: true);
            return true;
        }

        /// <summary>up_read()</summary>
        [ReleasesShared]
        public void UpRead()
        {
            _readsByThisThread.Value--;
            lock (_gate)
            {
                _readers--;
                Monitor.PulseAll(_gate);
            }

            Lockdep.Released(this);
        }

        /// <summary>down_write()</summary>
        [MightSleep]
        [Acquires]
        public void DownWrite()
        {
            Lockdep.Acquired(this, _class);
            lock (_gate)
            {
                while (_writer != 0 || _readers != 0)
                {
                    Monitor.Wait(_gate);
                }

                _writer = Environment.CurrentManagedThreadId;
            }
        }

        /// <summary>up_write()</summary>
        [Releases]
        public void UpWrite()
        {
            lock (_gate)
            {
                _writer = 0;
                Monitor.PulseAll(_gate);
            }

            Lockdep.Released(this);
        }
    }

    /// <summary>struct kref: a reference count whose last put runs a release function.</summary>
    public sealed class Kref
    {
        private int _count = 1;

        public int Count => Volatile.Read(ref _count);

        /// <summary>kref_get()</summary>
        public void Get()
        {
            if (Interlocked.Increment(ref _count) <= 1)
            {
                throw new InvalidOperationException("kref_get on a released object");
            }
        }

        /// <summary>kref_get_unless_zero(): takes a reference unless the object is already being released.</summary>
        public bool GetUnlessZero()
        {
            var count = Volatile.Read(ref _count);
            while (count != 0)
            {
                var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
                if (seen == count)
                {
                    return true;
                }

                count = seen;
            }

            return false;
        }

        /// <summary>kref_put(): drops a reference and runs <paramref name="release"/> on the last one.</summary>
        public bool Put<T>(T owner, Action<T> release)
        {
            if (Interlocked.Decrement(ref _count) == 0)
            {
                release(owner);
                return true;
            }

            return false;
        }
    }
}
