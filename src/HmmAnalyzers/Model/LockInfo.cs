namespace HmmAnalyzers.Model
{
    internal enum LockFamily
    {
        Monitor,
        Lock,
        ReaderWriter,
        SpinLock,
        Mutex,
        Semaphore,
        UserType,
    }

    internal enum LockMode
    {
        /// <summary>Held, mode unknown: an assertion without a mode.</summary>
        Any,
        Shared,
        Upgradeable,
        Exclusive,
    }

    /// <summary>What kind of lock a lock path names.</summary>
    internal sealed class LockInfo
    {
        public static readonly LockInfo Monitor = new LockInfo(LockFamily.Monitor, reentrant: true, spinning: false, hasShared: false, threadAffine: true);
        public static readonly LockInfo Lock = new LockInfo(LockFamily.Lock, reentrant: true, spinning: false, hasShared: false, threadAffine: true);
        public static readonly LockInfo ReaderWriter = new LockInfo(LockFamily.ReaderWriter, reentrant: false, spinning: false, hasShared: true, threadAffine: true);
        public static readonly LockInfo RecursiveReaderWriter = new LockInfo(LockFamily.ReaderWriter, reentrant: true, spinning: false, hasShared: true, threadAffine: true);
        public static readonly LockInfo SpinLock = new LockInfo(LockFamily.SpinLock, reentrant: false, spinning: true, hasShared: false, threadAffine: true);
        public static readonly LockInfo Mutex = new LockInfo(LockFamily.Mutex, reentrant: true, spinning: false, hasShared: false, threadAffine: true);
        public static readonly LockInfo Semaphore = new LockInfo(LockFamily.Semaphore, reentrant: false, spinning: false, hasShared: false, threadAffine: false);

        public LockInfo(LockFamily family, bool reentrant, bool spinning, bool hasShared, bool threadAffine)
        {
            Family = family;
            Reentrant = reentrant;
            Spinning = spinning;
            HasShared = hasShared;
            ThreadAffine = threadAffine;
        }

        public LockFamily Family { get; }

        public bool Reentrant { get; }

        public bool Spinning { get; }

        /// <summary>Whether the lock has a shared (read) mode; if not, any hold is exclusive.</summary>
        public bool HasShared { get; }

        /// <summary>Whether the lock must be released by the thread that took it (so it must not be held across <c>await</c>).</summary>
        public bool ThreadAffine { get; }
    }
}
