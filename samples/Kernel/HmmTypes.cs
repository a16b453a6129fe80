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
}
