using System;
using System.Collections.Generic;
using HmmAnalyzers.Annotations;

namespace Kernel
{
    /// <summary>mm/hmm.c: the functions the patch series leaves as they are; each sample adds the ones it changes.</summary>
    public static partial class HmmCore
    {
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

            // A mirror's release callback may throw: the semaphore is given back and taken again around it in finally blocks.
            hmm.MirrorsSem.DownWrite();
            try
            {
                while (hmm.Mirrors.Count > 0)
                {
                    var mirror = hmm.Mirrors[0];
                    hmm.Mirrors.RemoveAt(0);
                    hmm.MirrorsSem.UpWrite();
                    try
                    {
                        mirror.Release();
                    }
                    finally
                    {
                        hmm.MirrorsSem.DownWrite();
                    }
                }
            }
            finally
            {
                hmm.MirrorsSem.UpWrite();
            }
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

            try
            {
                foreach (var mirror in hmm.Mirrors)
                {
                    var rc = mirror.SyncCpuDevicePagetables(update);
                    if (rc != 0)
                    {
                        ret = -11;
                        break;
                    }
                }
            }
            finally
            {
                hmm.MirrorsSem.UpRead();
            }

        out_decrement:
            if (ret != 0)
            {
                NotifiersDecrement(hmm);
            }

            return ret;
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
            try
            {
                range.Hmm = hmm;
                hmm.Kref.Get();
                hmm.Ranges.Add(range);

                // If there are any concurrent notifiers the range becomes valid when they end.
                if (hmm.Notifiers == 0)
                {
                    range.Valid = true;
                }
            }
            finally
            {
                hmm.RangesLock.Unlock();
            }
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
