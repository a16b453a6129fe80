namespace HmmAnalyzers.Annotations
{
    /// <summary>Implemented by user lock types so that <see cref="Lockdep"/> can check them at run time.</summary>
    public interface ILockState
    {
        /// <summary>Whether the current thread (or context) holds the lock exclusively.</summary>
        bool IsHeldExclusive { get; }

        /// <summary>Whether the lock is held shared by the current thread (or, for locks that do not track readers, by anyone).</summary>
        bool IsHeldShared { get; }
    }
}
