using System;

namespace HmmAnalyzers.Annotations
{
    /// <summary>Reading the member needs the named lock held (shared or exclusive); writing needs it exclusively.</summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
    public sealed class GuardedByAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="lockReference">The lock, as a member path such as <c>"PageTableLock"</c> or <c>"Mm.PageTableLock"</c>.</param>
        public GuardedByAttribute(string lockReference) => Lock = lockReference;

        /// <summary>The lock reference.</summary>
        public string Lock { get; }

        /// <summary>
        /// Writes need the lock; reads need nothing: the member is written under the lock and published for readers
        /// that do not take it (a fast path that tolerates a stale value).
        /// </summary>
        public bool LockFreeReads { get; set; }
    }

    /// <summary>The caller must hold each named lock exclusively.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
    public sealed class RequiresExclusiveAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public RequiresExclusiveAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references.</summary>
        public string[] Locks { get; }
    }

    /// <summary>The caller must hold each named lock, at least shared.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
    public sealed class RequiresSharedAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public RequiresSharedAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references.</summary>
        public string[] Locks { get; }
    }

    /// <summary>The caller must not hold the named locks, because the method takes them.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
    public sealed class ExcludesAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ExcludesAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references.</summary>
        public string[] Locks { get; }
    }

    /// <summary>On return the named locks (or <c>this</c> when none is named) are held exclusively.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, AllowMultiple = true, Inherited = true)]
    public sealed class AcquiresAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AcquiresAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references; empty means <c>this</c>.</summary>
        public string[] Locks { get; }
    }

    /// <summary>On return the named locks (or <c>this</c>) are held shared.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, AllowMultiple = true, Inherited = true)]
    public sealed class AcquiresSharedAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AcquiresSharedAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references; empty means <c>this</c>.</summary>
        public string[] Locks { get; }
    }

    /// <summary>The named locks (or <c>this</c>) must be held exclusively on entry and are released on return.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class ReleasesAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ReleasesAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references; empty means <c>this</c>.</summary>
        public string[] Locks { get; }
    }

    /// <summary>The named locks (or <c>this</c>) must be held shared on entry and are released on return.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class ReleasesSharedAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public ReleasesSharedAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references; empty means <c>this</c>.</summary>
        public string[] Locks { get; }
    }

    /// <summary>The bool method acquires the named locks (or <c>this</c>) exclusively when it returns <c>success</c>.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class TryAcquiresAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public TryAcquiresAttribute(bool success, params string[] locks)
        {
            Success = success;
            Locks = locks;
        }

        /// <summary>The return value that means the locks are held.</summary>
        public bool Success { get; }

        /// <summary>The lock references; empty means <c>this</c>.</summary>
        public string[] Locks { get; }
    }

    /// <summary>The bool method acquires the named locks (or <c>this</c>) shared when it returns <c>success</c>.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class TryAcquiresSharedAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public TryAcquiresSharedAttribute(bool success, params string[] locks)
        {
            Success = success;
            Locks = locks;
        }

        /// <summary>The return value that means the locks are held.</summary>
        public bool Success { get; }

        /// <summary>The lock references; empty means <c>this</c>.</summary>
        public string[] Locks { get; }
    }

    /// <summary>A run-time assertion that the named lock is held, in any mode; afterwards the analysis assumes it held.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class AssertsHeldAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssertsHeldAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references.</summary>
        public string[] Locks { get; }
    }

    /// <summary>A run-time assertion that the named lock is held exclusively.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class AssertsHeldExclusiveAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssertsHeldExclusiveAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references.</summary>
        public string[] Locks { get; }
    }

    /// <summary>A run-time assertion that the named lock is held shared.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
    public sealed class AssertsHeldSharedAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AssertsHeldSharedAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references.</summary>
        public string[] Locks { get; }
    }

    /// <summary>Marks a user-defined lock type; its methods carry <see cref="AcquiresAttribute"/> and <see cref="ReleasesAttribute"/>.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
    public sealed class LockTypeAttribute : Attribute
    {
        /// <summary>Whether the lock may be re-acquired by its holder.</summary>
        public bool Reentrant { get; set; }

        /// <summary>Whether the lock spins: nothing may sleep while it is held.</summary>
        public bool Spinning { get; set; }
    }

    /// <summary>A guard object: its constructor or factory carries <see cref="AcquiresAttribute"/>, <c>Dispose</c> releases.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
    public sealed class ScopedLockAttribute : Attribute
    {
    }

    /// <summary>
    /// The method changes its object's state: called on a guarded member, it is a write of that member (HMM002), as
    /// <c>List&lt;T&gt;.Add</c> is. Methods without it are reads.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
    public sealed class MutatesAttribute : Attribute
    {
    }

    /// <summary>
    /// The delegate passed for this parameter runs later or on another thread (the method stores or schedules it):
    /// a lambda passed here does not hold the caller's locks.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
    public sealed class CalledLaterAttribute : Attribute
    {
    }

    /// <summary>
    /// The delegate passed for this parameter is called, if at all, before the method returns, on the caller's thread:
    /// a lambda passed here holds the caller's locks.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
    public sealed class CalledBeforeReturnAttribute : Attribute
    {
    }

    /// <summary>Declares that this lock is acquired before the named locks.</summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
    public sealed class AcquiredBeforeAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AcquiredBeforeAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references.</summary>
        public string[] Locks { get; }
    }

    /// <summary>Declares that this lock is acquired after the named locks.</summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
    public sealed class AcquiredAfterAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public AcquiredAfterAttribute(params string[] locks) => Locks = locks;

        /// <summary>The lock references.</summary>
        public string[] Locks { get; }
    }

    /// <summary>The method may block; illegal while a spinning lock is held or in an atomic context.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, AllowMultiple = false, Inherited = true)]
    public sealed class MightSleepAttribute : Attribute
    {
    }

    /// <summary>The method runs where sleeping is forbidden (RCU callbacks, interrupt-like paths).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
    public sealed class AtomicContextAttribute : Attribute
    {
    }

    /// <summary>The call gives up the counted reference passed as this parameter (or <c>this</c>, on a method).</summary>
    [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
    public sealed class DropsAttribute : Attribute
    {
    }

    /// <summary>Turns the lock analysis off for a method or a type.</summary>
    [AttributeUsage(
        AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Struct,
        AllowMultiple = false,
        Inherited = false)]
    public sealed class NoLockAnalysisAttribute : Attribute
    {
    }
}

namespace HmmAnalyzers.Annotations
{
    /// <summary>
    /// A counted reference that (S)RCU readers may still reach through its owner until the owner's grace
    /// period ends: it must be dropped only after that, in the deferred free, never before it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
    public sealed class GracePeriodProtectedAttribute : Attribute
    {
    }

    /// <summary>
    /// The call frees the object passed here (or the object whose field is passed, such as its rcu head) after a
    /// grace period: readers may use its <see cref="GracePeriodProtectedAttribute"/> members until then.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
    public sealed class DeferredFreeAttribute : Attribute
    {
    }
}
