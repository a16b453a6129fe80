using System;
using System.Collections.Generic;
using HmmAnalyzers.Annotations;

namespace Kernel
{
    /// <summary>mm/hmm.c as of Linux v5.3: after "mm/hmm: Simplify hmm_get_or_create and make it reliable".</summary>
    public static partial class HmmCore
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
    }
}
