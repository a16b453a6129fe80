using System;
using System.Collections.Generic;
using HmmAnalyzers.Annotations;

namespace Kernel
{
    /// <summary>struct hmm: the per-mm HMM state, shared by every mirror of one address space.</summary>
    public sealed class Hmm
    {
        public Hmm(MmStruct mm)
        {
            Mm = mm;
            Rcu = new RcuHead(this);
            MmuNotifier = new HmmMmuNotifier(this);
        }

        /// <summary>hmm->mm: a counted reference (mmgrab) that SRCU readers use until the grace period after hmm_free().</summary>
        [GracePeriodProtected]
        public readonly MmStruct Mm;

        public readonly Kref Kref = new Kref();

        /// <summary>hmm->ranges_lock: protects the ranges and the notifier count.</summary>
        public readonly Spinlock RangesLock = new Spinlock();

        [GuardedBy(nameof(RangesLock))]
        public readonly List<HmmRange> Ranges = new List<HmmRange>();

        [GuardedBy(nameof(RangesLock))]
        public long Notifiers;

        /// <summary>hmm->mirrors_sem: protects the mirror list.</summary>
        public readonly RwSemaphore MirrorsSem = new RwSemaphore();

        [GuardedBy(nameof(MirrorsSem))]
        public readonly List<HmmMirror> Mirrors = new List<HmmMirror>();

        public readonly HmmMmuNotifier MmuNotifier;

        public readonly RcuHead Rcu;

        /// <summary>Set by hmm_release() when the mm is going away.</summary>
        public volatile bool Dead;

        /// <summary>Set by the deferred free; the demo checks that nothing uses a freed hmm.</summary>
        public volatile bool Freed;
    }

    /// <summary>The mmu_notifier embedded in struct hmm, with hmm_mmu_notifier_ops.</summary>
    public sealed class HmmMmuNotifier : MmuNotifier
    {
        public HmmMmuNotifier(Hmm hmm) => Owner = hmm;

        public Hmm Owner { get; }

        public override void Release(MmStruct mm) => HmmCore.HmmRelease(Owner);

        public override int InvalidateRangeStart(NotifierRange range) => HmmCore.HmmInvalidateRangeStart(Owner, range);

        public override void InvalidateRangeEnd(NotifierRange range) => HmmCore.NotifiersDecrement(Owner);
    }

    /// <summary>struct hmm_mirror: one device's mirror of the address space.</summary>
    public abstract class HmmMirror
    {
        public Hmm? Hmm;

        /// <summary>ops->sync_cpu_device_pagetables(): invalidate the device's copy of a range.</summary>
        public abstract int SyncCpuDevicePagetables(NotifierRange range);

        /// <summary>ops->release(): the mm is going away.</summary>
        public abstract void Release();
    }

    /// <summary>struct hmm_range: a range a device is faulting or snapshotting.</summary>
    public sealed class HmmRange
    {
        public HmmRange(int start, int end)
        {
            Start = start;
            End = end;
            Pfns = new long[end - start];
        }

        public int Start { get; }

        public int End { get; }

        public readonly long[] Pfns;

        public Hmm? Hmm;

        /// <summary>range->valid: cleared by invalidations, read without a lock.</summary>
        public volatile bool Valid;
    }

    /// <summary>mm/hmm.c as of Linux v5.3: after "mm/hmm: Simplify hmm_get_or_create and make it reliable".</summary>
    public static class HmmCore
    {
        /// <summary>hmm_get_or_create(): returns the mm's hmm with a reference, creating and registering it if needed.</summary>
        [RequiresExclusive("MmapSem")]
        public static Hmm? HmmGetOrCreate(MmStruct mm)
        {
            Lockdep.AssertHeldExclusive(mm.MmapSem);

            // Abuse the page_table_lock to also protect mm->hmm.
            mm.PageTableLock.Lock();
            var hmm = mm.Hmm;
            if (mm.Hmm is not null && mm.Hmm.Kref.GetUnlessZero())
            {
                goto out_unlock;
            }

            mm.PageTableLock.Unlock();

            hmm = new Hmm(mm);
            if (MmuNotifiers.Register(hmm.MmuNotifier, mm) != 0)
            {
                return null;
            }

            MmStruct.MmGrab(hmm.Mm);

            // We hold the exclusive mmap_sem here so we know that mm->hmm is still NULL or 0 kref, and is safe to update.
            mm.PageTableLock.Lock();
            mm.Hmm = hmm;

        out_unlock:
            mm.PageTableLock.Unlock();
            return hmm;
        }

        /// <summary>hmm_free_rcu(): the SRCU callback; the grace period is over, so the mm reference can go.</summary>
        [AtomicContext]
        public static void HmmFreeRcu(RcuHead rcu)
        {
            var hmm = (Hmm)rcu.Owner;
            MmStruct.MmDrop(hmm.Mm);
            hmm.Freed = true;
        }

        /// <summary>hmm_free(): the kref release function.</summary>
        public static void HmmFree(Hmm hmm)
        {
            hmm.Mm.PageTableLock.Lock();
            if (hmm.Mm.Hmm == hmm)
            {
                hmm.Mm.Hmm = null;
            }

            hmm.Mm.PageTableLock.Unlock();

            MmuNotifiers.UnregisterNoRelease(hmm.MmuNotifier, hmm.Mm);
            MmuNotifiers.CallSrcu(hmm.Rcu, HmmFreeRcu);
        }

        /// <summary>hmm_put()</summary>
        public static void HmmPut([Drops] Hmm hmm) => hmm.Kref.Put(hmm, HmmFree);

        /// <summary>hmm_release(): the mm is exiting; tell every mirror.</summary>
        public static void HmmRelease(Hmm hmm)
        {
            // Bail out if hmm is in the process of being freed.
            if (!hmm.Kref.GetUnlessZero())
            {
                return;
            }

            // Report this HMM as dying.
            hmm.Dead = true;

            hmm.RangesLock.Lock();
            foreach (var range in hmm.Ranges)
            {
                range.Valid = false;
            }

            hmm.RangesLock.Unlock();

            hmm.MirrorsSem.DownWrite();
            while (hmm.Mirrors.Count > 0)
            {
                var mirror = hmm.Mirrors[0];
                hmm.Mirrors.RemoveAt(0);
                hmm.MirrorsSem.UpWrite();
                mirror.Release();
                hmm.MirrorsSem.DownWrite();
            }

            hmm.MirrorsSem.UpWrite();
            HmmPut(hmm);
        }

        /// <summary>notifiers_decrement(): the end of an invalidation; ranges become valid again when none is running.</summary>
        public static void NotifiersDecrement(Hmm hmm)
        {
            hmm.RangesLock.Lock();
            hmm.Notifiers--;
            if (hmm.Notifiers == 0)
            {
                foreach (var range in hmm.Ranges)
                {
                    range.Valid = true;
                }
            }

            hmm.RangesLock.Unlock();
        }

        /// <summary>hmm_invalidate_range_start()</summary>
        public static int HmmInvalidateRangeStart(Hmm hmm, NotifierRange update)
        {
            var ret = 0;
            hmm.RangesLock.Lock();
            hmm.Notifiers++;
            foreach (var range in hmm.Ranges)
            {
                if (update.End < range.Start || update.Start >= range.End)
                {
                    continue;
                }

                range.Valid = false;
            }

            hmm.RangesLock.Unlock();

            if (update.Blockable)
            {
                hmm.MirrorsSem.DownRead();
            }
            else if (!hmm.MirrorsSem.DownReadTrylock())
            {
                ret = -11; // -EAGAIN
                goto out_decrement;
            }

            foreach (var mirror in hmm.Mirrors)
            {
                var rc = mirror.SyncCpuDevicePagetables(update);
                if (rc != 0)
                {
                    ret = -11;
                    break;
                }
            }

            hmm.MirrorsSem.UpRead();

        out_decrement:
            if (ret != 0)
            {
                NotifiersDecrement(hmm);
            }

            return ret;
        }

        /// <summary>hmm_mirror_register(): the caller must hold mmap_sem for write.</summary>
        [RequiresExclusive("MmapSem")]
        public static int HmmMirrorRegister(HmmMirror mirror, MmStruct mm)
        {
            Lockdep.AssertHeldExclusive(mm.MmapSem);

            var hmm = HmmGetOrCreate(mm);
            if (hmm is null)
            {
                return -12; // -ENOMEM
            }

            mirror.Hmm = hmm;
            hmm.MirrorsSem.DownWrite();
            hmm.Mirrors.Add(mirror);
            hmm.MirrorsSem.UpWrite();
            return 0;
        }

        /// <summary>hmm_mirror_unregister()</summary>
        public static void HmmMirrorUnregister(HmmMirror mirror)
        {
            var hmm = mirror.Hmm ?? throw new InvalidOperationException("mirror is not registered");
            hmm.MirrorsSem.DownWrite();
            hmm.Mirrors.Remove(mirror);
            hmm.MirrorsSem.UpWrite();
            HmmPut(hmm);
            mirror.Hmm = null;
        }

        /// <summary>hmm_range_register(): tracks CPU page table updates for the range.</summary>
        public static int HmmRangeRegister(HmmRange range, HmmMirror mirror)
        {
            var hmm = mirror.Hmm ?? throw new InvalidOperationException("mirror is not registered");
            range.Valid = false;
            range.Hmm = null;
            if (range.Start >= range.End)
            {
                return -22; // -EINVAL
            }

            // Prevent hmm_release() from running while the range is valid.
            if (!MmStruct.MmGetNotZero(hmm.Mm))
            {
                return -14; // -EFAULT
            }

            hmm.RangesLock.Lock();
            range.Hmm = hmm;
            hmm.Kref.Get();
            hmm.Ranges.Add(range);

            // If there are any concurrent notifiers the range becomes valid when they end.
            if (hmm.Notifiers == 0)
            {
                range.Valid = true;
            }

            hmm.RangesLock.Unlock();
            return 0;
        }

        /// <summary>hmm_range_unregister()</summary>
        public static void HmmRangeUnregister(HmmRange range)
        {
            var hmm = range.Hmm ?? throw new InvalidOperationException("range is not registered");
            hmm.RangesLock.Lock();
            hmm.Ranges.Remove(range);
            hmm.RangesLock.Unlock();

            // Drop the references taken by hmm_range_register().
            MmStruct.MmPut(hmm.Mm);
            HmmPut(hmm);

            range.Valid = false;
            range.Hmm = null;
        }

        /// <summary>hmm_range_snapshot(): copies the CPU page table entries of a valid range; mmap_sem held for read.</summary>
        [RequiresShared("mm.MmapSem")]
        public static int HmmRangeSnapshot(HmmRange range, MmStruct mm)
        {
            Lockdep.AssertHeld(mm.MmapSem);
            if (!range.Valid)
            {
                return -16; // -EBUSY
            }

            for (var i = range.Start; i < range.End; i++)
            {
                range.Pfns[i - range.Start] = mm.Pages[i];
            }

            return range.Valid ? range.End - range.Start : -16;
        }
    }
}
