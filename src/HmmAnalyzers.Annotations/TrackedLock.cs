using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;

// Written for C# 7.3, without nullable annotations: the package compiles this file into projects that may use it.
#pragma warning disable CS8625

namespace HmmAnalyzers.Annotations
{
    /// <summary>
    /// An exclusive, reentrant lock (like <c>System.Threading.Lock</c>) whose acquisitions <see cref="Lockdep"/> records
    /// for its order validation. Its lock class is the name given, or else the place where it was created: every lock
    /// created at one place is one class, as in the kernel's lockdep. An acquisition that would close a cycle of
    /// dependencies between classes throws <see cref="LockdepException"/> before the lock is taken.
    /// </summary>
    [LockType(Reentrant = true)]
    public sealed class TrackedLock : ILockState
    {
        private readonly object _monitor = new object();

        /// <summary>Creates the lock; <paramref name="name"/> names its class, else the file and line of this call do.</summary>
        public TrackedLock(string name = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        {
            Name = string.IsNullOrEmpty(name) ? Path.GetFileName(file) + ":" + line : name;
        }

        /// <summary>The lock class: the name given, or the file and line where the lock was created.</summary>
        public string Name { get; }

        /// <summary>Whether the current thread holds the lock.</summary>
        public bool IsHeldExclusive => Monitor.IsEntered(_monitor);

        /// <summary>An exclusive lock is never held shared; <see cref="Lockdep.AssertHeldShared(ILockState, string)"/> accepts it held exclusively.</summary>
        public bool IsHeldShared => false;

        /// <summary>Takes the lock, waiting for it; throws <see cref="LockdepException"/>, and takes nothing, where that would close a cycle.</summary>
        [Acquires]
        public void Enter()
        {
            Lockdep.Acquired(this, Name);
            try
            {
                Monitor.Enter(_monitor);
            }
            catch
            {
                Lockdep.Released(this);
                throw;
            }
        }

        /// <summary>Takes the lock if it is free; a try-acquire never waits, so it adds no dependency.</summary>
        [TryAcquires(true)]
        public bool TryEnter()
        {
            if (!Monitor.TryEnter(_monitor))
            {
                return false;
            }

            Lockdep.Acquired(this, Name, tryLock: true);
            return true;
        }

        /// <summary>Gives the lock back.</summary>
        [Releases]
        public void Exit()
        {
            Monitor.Exit(_monitor);
            Lockdep.Released(this);
        }

        /// <summary>Takes the lock for a <c>using</c> block: <c>using (l.EnterScope()) { ... }</c>.</summary>
        [Acquires]
        public Scope EnterScope()
        {
            Enter();
            return new Scope(this);
        }

        /// <summary>The guard <see cref="EnterScope"/> returns: disposing it gives the lock back.</summary>
        [ScopedLock]
        public struct Scope : IDisposable
        {
            private TrackedLock _owner;

            internal Scope(TrackedLock owner) => _owner = owner;

            /// <summary>Gives the lock back, once.</summary>
            public void Dispose()
            {
                var owner = _owner;
                _owner = null;
                if (owner != null)
                {
                    owner.Exit();
                }
            }
        }
    }
}
