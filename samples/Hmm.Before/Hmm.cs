using System;
using System.Collections.Generic;
using HmmAnalyzers.Annotations;

namespace Kernel
{
    /// <summary>mm/hmm.c before "mm/hmm: Simplify hmm_get_or_create and make it reliable" and the rest of its series.</summary>
    public static partial class HmmCore
    {
        /// <summary>
        /// mm_get_hmm(): returns the mm's hmm with a reference, or null.
        /// BUG: READ_ONCE(mm->hmm) without the page_table_lock that hmm_free() clears it under; removed by
        /// "mm/hmm: Simplify hmm_get_or_create and make it reliable".
        /// </summary>
        public static Hmm? MmGetHmm(MmStruct mm)
        {
            var hmm = mm.Hmm;
            if (hmm is not null && hmm.Kref.GetUnlessZero())
            {
                return hmm;
            }

            return null;
        }

        /// <summary>
        /// hmm_get_or_create(): the caller holds mmap_sem for write, but only a comment says so.
        /// BUG: no lockdep_assert_held_exclusive(&amp;mm->mmap_sem); the compare/exchange publish below can
        /// false-fail. Fixed by "mm/hmm: Simplify hmm_get_or_create and make it reliable".
        /// </summary>
        [RequiresExclusive("MmapSem")]
        public static Hmm? HmmGetOrCreate(MmStruct mm)
        {
            var hmm = MmGetHmm(mm);
            var cleanup = false;

            if (hmm is not null)
            {
                return hmm;
            }

            hmm = new Hmm(mm);
            MmStruct.MmGrab(hmm.Mm);

            mm.PageTableLock.Lock();
            if (mm.Hmm is null)
            {
                mm.Hmm = hmm;
            }
            else
            {
                cleanup = true;
            }

            mm.PageTableLock.Unlock();

            if (cleanup)
            {
                goto error;
            }

            // We should only get here if hold the mmap_sem in write mode ie on registration of first mirror
            // through hmm_mirror_register().
            if (MmuNotifiers.Register(hmm.MmuNotifier, mm) != 0)
            {
                goto error_mm;
            }

            return hmm;

        error_mm:
            mm.PageTableLock.Lock();
            if (mm.Hmm == hmm)
            {
                mm.Hmm = null;
            }

            mm.PageTableLock.Unlock();
        error:
            MmStruct.MmDrop(hmm.Mm);
            return null;
        }

        /// <summary>hmm_free_rcu(): the SRCU callback only frees the hmm.</summary>
        [AtomicContext]
        public static void HmmFreeRcu(RcuHead rcu)
        {
            var hmm = (Hmm)rcu.Owner;
            hmm.Freed = true;
        }

        /// <summary>
        /// hmm_free(): the kref release function.
        /// BUG: mmdrop(hmm->mm) runs before the SRCU grace period, while notifier callbacks may still use hmm->mm;
        /// the patch moves it into hmm_free_rcu().
        /// </summary>
        public static void HmmFree(Hmm hmm)
        {
            var mm = hmm.Mm;

            MmuNotifiers.UnregisterNoRelease(hmm.MmuNotifier, mm);

            mm.PageTableLock.Lock();
            if (mm.Hmm == hmm)
            {
                mm.Hmm = null;
            }

            mm.PageTableLock.Unlock();

            MmStruct.MmDrop(hmm.Mm);
            MmuNotifiers.CallSrcu(hmm.Rcu, HmmFreeRcu);
        }

        /// <summary>
        /// hmm_mirror_register(): the caller must hold mmap_sem for write.
        /// BUG: documented only in a comment; "mm/hmm: Use lockdep instead of comments" adds the assertion.
        /// </summary>
        [RequiresExclusive("MmapSem")]
        public static int HmmMirrorRegister(HmmMirror mirror, MmStruct mm)
        {
            // Sanity check: the caller must hold mmap_sem for write.
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
