using System;
using System.Diagnostics;
using System.Threading;
using HmmAnalyzers.Annotations;

namespace Kernel
{
    /// <summary>A device mirror that counts the invalidations it receives.</summary>
    public sealed class DeviceMirror : HmmMirror
    {
        public int Invalidations;

        public override int SyncCpuDevicePagetables(NotifierRange range)
        {
            Interlocked.Increment(ref Invalidations);
            return 0;
        }

        public override void Release()
        {
        }
    }

    /// <summary>
    /// Stress demo: device threads register and unregister mirrors and ranges and snapshot the page table while
    /// another thread changes it and sends invalidations, all against one mm, with Lockdep assertions live.
    /// </summary>
    public static class Program
    {
        /// <summary>
        /// Plants a lock order inversion between two of the model's locks, on two threads one after the other: the first
        /// takes the page table lock and then the notifier list's lock, the second the other way round. The threads never
        /// meet, so nothing deadlocks; Lockdep refuses the second order all the same. The nesting goes through a delegate,
        /// whose two locks the static analysis (HMM012) cannot tell apart.
        /// </summary>
        private static int Inversion()
        {
            var mm = new MmStruct(8);
            Action<Spinlock, Spinlock> nest = (outer, inner) =>
            {
                outer.Lock();
                try
                {
                    inner.Lock();
                    inner.Unlock();
                }
                finally
                {
                    outer.Unlock();
                }
            };

            Exception? refused = null;
            var first = new Thread(() => nest(mm.PageTableLock, mm.Notifiers.Lock));
            first.Start();
            first.Join();
            var second = new Thread(() =>
            {
                try
                {
                    nest(mm.Notifiers.Lock, mm.PageTableLock);
                }
                catch (LockdepException exception)
                {
                    refused = exception;
                }
            });
            second.Start();
            second.Join();
            Console.WriteLine(refused is null ? "FAILED: the inversion was not refused" : refused.Message);
            return refused is null ? 1 : 0;
        }

        public static int Main(string[] args)
        {
            if (Array.IndexOf(args, "--inversion") >= 0)
            {
                return Inversion();
            }

            var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 2000;
            const int pages = 64;
            const int devices = 3;
            var mm = new MmStruct(pages);
            var stop = 0;
            var snapshots = 0;
            var busy = 0;
            var clock = Stopwatch.StartNew();

            var invalidator = new Thread(() =>
            {
                var round = 0;
                while (Volatile.Read(ref stop) == 0)
                {
                    var start = round++ % pages;
                    mm.MmapSem.DownWrite();
                    mm.Pages[start] = round;
                    mm.MmapSem.UpWrite();
                    MmuNotifiers.Invalidate(mm, new NotifierRange(start, start + 1, blockable: round % 3 != 0));
                }
            });

            var workers = new Thread[devices];
            var mirrors = new DeviceMirror[devices];
            for (var d = 0; d < devices; d++)
            {
                var mirror = mirrors[d] = new DeviceMirror();
                var device = d;
                workers[d] = new Thread(() =>
                {
                    for (var i = 0; i < iterations; i++)
                    {
                        int registered;
                        mm.MmapSem.DownWrite();
                        try
                        {
                            registered = HmmCore.HmmMirrorRegister(mirror, mm);
                        }
                        finally
                        {
                            mm.MmapSem.UpWrite();
                        }

                        if (registered != 0)
                        {
                            throw new InvalidOperationException("hmm_mirror_register failed");
                        }

                        var start = (device * 7 + i) % (pages - 8);
                        var range = new HmmRange(start, start + 8);
                        if (HmmCore.HmmRangeRegister(range, mirror) == 0)
                        {
                            mm.MmapSem.DownRead();
                            try
                            {
                                if (HmmCore.HmmRangeSnapshot(range, mm) > 0)
                                {
                                    Interlocked.Increment(ref snapshots);
                                }
                                else
                                {
                                    Interlocked.Increment(ref busy);
                                }
                            }
                            finally
                            {
                                mm.MmapSem.UpRead();
                            }

                            HmmCore.HmmRangeUnregister(range);
                        }

                        HmmCore.HmmMirrorUnregister(mirror);
                    }
                });
            }

            invalidator.Start();
            foreach (var worker in workers)
            {
                worker.Start();
            }

            foreach (var worker in workers)
            {
                worker.Join();
            }

            Volatile.Write(ref stop, 1);
            invalidator.Join();
            MmuNotifiers.SrcuBarrier();

            mm.PageTableLock.Lock();
            var leftover = mm.Hmm;
            mm.PageTableLock.Unlock();

            var invalidations = 0;
            foreach (var mirror in mirrors)
            {
                invalidations += mirror.Invalidations;
            }

            Console.WriteLine($"hmm stress: {devices} devices x {iterations} register/fault/unregister rounds in {clock.ElapsedMilliseconds} ms");
            Console.WriteLine($"  snapshots {snapshots}, busy ranges {busy}, invalidations seen by mirrors {invalidations}, srcu callbacks {MmuNotifiers.CallbacksRun}");
            Console.WriteLine($"  mm_count {mm.MmCount} (expected 1), mm_users {mm.MmUsers} (expected 1), mm->hmm {(leftover is null ? "NULL" : "still set")}");
            var ok = mm.MmCount == 1 && mm.MmUsers == 1 && leftover is null;
            Console.WriteLine($"  Lockdep learned {Lockdep.KnownDependencies} lock order dependencies between {Lockdep.KnownClasses} lock classes");
            Console.WriteLine(ok ? "OK: no Lockdep assertion failed and every reference was returned" : "FAILED: references leaked");
            return ok ? 0 : 1;
        }
    }
}
