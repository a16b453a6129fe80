using System;
using System.Collections.Generic;
using System.Threading;
using HmmAnalyzers.Annotations;

namespace Kernel
{
    /// <summary>struct mm_struct, reduced to what mm/hmm.c touches.</summary>
    public sealed class MmStruct
    {
        private int _mmCount = 1;
        private int _mmUsers = 1;

        public MmStruct(int pages)
        {
            Pages = new long[pages];
        }

        /// <summary>mmap_sem: protects the address space layout (here, the page table contents).</summary>
        public readonly RwSemaphore MmapSem = new RwSemaphore();

        /// <summary>page_table_lock; mm/hmm.c also uses it to protect mm->hmm.</summary>
        public readonly Spinlock PageTableLock = new Spinlock();

        /// <summary>mm->hmm</summary>
        [GuardedBy(nameof(PageTableLock))]
        public Hmm? Hmm;

        /// <summary>The page table: one entry a page.</summary>
        [GuardedBy(nameof(MmapSem))]
        public readonly long[] Pages;

        /// <summary>mm->mmu_notifier_mm: the registered notifiers, an SRCU-protected list.</summary>
        public readonly MmuNotifierList Notifiers = new MmuNotifierList();

        public int MmCount => Volatile.Read(ref _mmCount);

        public int MmUsers => Volatile.Read(ref _mmUsers);

        /// <summary>mmgrab(): pins the mm_struct itself.</summary>
        public static void MmGrab(MmStruct mm) => Interlocked.Increment(ref mm._mmCount);

        /// <summary>mmdrop(): releases a reference taken by mmgrab().</summary>
        public static void MmDrop([Drops] MmStruct mm)
        {
            if (Interlocked.Decrement(ref mm._mmCount) < 0)
            {
                throw new InvalidOperationException("mmdrop underflow");
            }
        }

        /// <summary>mmget_not_zero(): pins the address space unless it is already exiting.</summary>
        public static bool MmGetNotZero(MmStruct mm)
        {
            var users = Volatile.Read(ref mm._mmUsers);
            while (users != 0)
            {
                var seen = Interlocked.CompareExchange(ref mm._mmUsers, users + 1, users);
                if (seen == users)
                {
                    return true;
                }

                users = seen;
            }

            return false;
        }

        /// <summary>mmput(): releases a reference taken by mmget().</summary>
        public static void MmPut([Drops] MmStruct mm)
        {
            if (Interlocked.Decrement(ref mm._mmUsers) < 0)
            {
                throw new InvalidOperationException("mmput underflow");
            }
        }
    }

    /// <summary>struct rcu_head: the link a deferred free is queued by; it points back at its object.</summary>
    public sealed class RcuHead
    {
        public RcuHead(object owner) => Owner = owner;

        public object Owner { get; }
    }

    /// <summary>A range of addresses being invalidated (struct mmu_notifier_range).</summary>
    public readonly struct NotifierRange
    {
        public NotifierRange(int start, int end, bool blockable)
        {
            Start = start;
            End = end;
            Blockable = blockable;
        }

        public int Start { get; }

        public int End { get; }

        public bool Blockable { get; }
    }

    /// <summary>struct mmu_notifier with its ops.</summary>
    public abstract class MmuNotifier
    {
        /// <summary>The mm this notifier registered against; registration took a reference on it.</summary>
        public MmStruct? RegisteredMm;

        public abstract void Release(MmStruct mm);

        public abstract int InvalidateRangeStart(NotifierRange range);

        public abstract void InvalidateRangeEnd(NotifierRange range);
    }

    /// <summary>The SRCU-protected list of notifiers of one mm.</summary>
    public sealed class MmuNotifierList
    {
        public readonly Spinlock Lock = new Spinlock();

        [GuardedBy(nameof(Lock))]
        public readonly List<MmuNotifier> List = new List<MmuNotifier>();
    }

    /// <summary>mm/mmu_notifier.c, with SRCU as a pair of reader counters and a grace-period worker.</summary>
    public static class MmuNotifiers
    {
        private static readonly int[] Readers = new int[2];
        private static int _epoch;

        private static int _pending;

        /// <summary>Callbacks queued by <see cref="CallSrcu"/> that have run.</summary>
        public static int CallbacksRun;

        /// <summary>srcu_read_lock()</summary>
        public static int SrcuReadLock()
        {
            var index = Volatile.Read(ref _epoch) & 1;
            Interlocked.Increment(ref Readers[index]);
            return index;
        }

        /// <summary>srcu_read_unlock()</summary>
        public static void SrcuReadUnlock(int index) => Interlocked.Decrement(ref Readers[index]);

        /// <summary>synchronize_srcu(): waits until every reader that started before it has finished.</summary>
        [MightSleep]
        public static void SynchronizeSrcu()
        {
            var old = Interlocked.Increment(ref _epoch) - 1;
            var spinner = new SpinWait();
            while (Volatile.Read(ref Readers[old & 1]) != 0)
            {
                spinner.SpinOnce();
            }
        }

        /// <summary>
        /// mmu_notifier_call_srcu(): runs <paramref name="callback"/> after an SRCU grace period. Until then, notifier
        /// callbacks (SRCU readers) may still reach the object that owns <paramref name="head"/>.
        /// </summary>
        public static void CallSrcu([DeferredFree] RcuHead head, Action<RcuHead> callback)
        {
            Interlocked.Increment(ref _pending);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                SynchronizeSrcu();
                callback(head);
                Interlocked.Increment(ref CallbacksRun);
                Interlocked.Decrement(ref _pending);
            });
        }

        /// <summary>srcu_barrier(): waits until every queued callback has run.</summary>
        [MightSleep]
        public static void SrcuBarrier()
        {
            while (Volatile.Read(ref _pending) != 0)
            {
                Thread.Sleep(1);
            }
        }

        /// <summary>__mmu_notifier_register(): the caller holds mmap_sem for write; the registration pins the mm.</summary>
        [RequiresExclusive("mm.MmapSem")]
        public static int Register(MmuNotifier notifier, MmStruct mm)
        {
            Lockdep.AssertHeldExclusive(mm.MmapSem);
            MmStruct.MmGrab(mm);
            notifier.RegisteredMm = mm;
            mm.Notifiers.Lock.Lock();
            mm.Notifiers.List.Add(notifier);
            mm.Notifiers.Lock.Unlock();
            return 0;
        }

        /// <summary>
        /// mmu_notifier_unregister_no_release(): unlinks the notifier and drops the reference the registration
        /// took (<see cref="MmuNotifier.RegisteredMm"/>), not any reference of the caller.
        /// </summary>
        public static void UnregisterNoRelease(MmuNotifier notifier, MmStruct mm)
        {
            mm.Notifiers.Lock.Lock();
            mm.Notifiers.List.Remove(notifier);
            mm.Notifiers.Lock.Unlock();
            if (notifier.RegisteredMm is { } registered)
            {
                notifier.RegisteredMm = null;
                MmStruct.MmDrop(registered);
            }
        }

        /// <summary>Calls every notifier's invalidate_range_start/end around a page table change, as the core mm does.</summary>
        public static int Invalidate(MmStruct mm, NotifierRange range)
        {
            var index = SrcuReadLock();
            try
            {
                MmuNotifier[] notifiers;
                mm.Notifiers.Lock.Lock();
                notifiers = mm.Notifiers.List.ToArray();
                mm.Notifiers.Lock.Unlock();
                var busy = 0;
                foreach (var notifier in notifiers)
                {
                    if (notifier.InvalidateRangeStart(range) != 0)
                    {
                        busy++;
                        continue;
                    }

                    notifier.InvalidateRangeEnd(range);
                }

                return busy;
            }
            finally
            {
                SrcuReadUnlock(index);
            }
        }
    }
}
