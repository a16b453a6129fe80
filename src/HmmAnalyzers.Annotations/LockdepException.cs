using System;

namespace HmmAnalyzers.Annotations
{
    /// <summary>Thrown by <see cref="Lockdep"/> when a lock assertion fails.</summary>
    public sealed class LockdepException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        public LockdepException(string lockName, string message)
            : base(message)
        {
            LockName = lockName;
        }

        /// <summary>The lock the assertion named.</summary>
        public string LockName { get; }
    }
}
