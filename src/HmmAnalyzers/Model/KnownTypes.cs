using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Model
{
    /// <summary>The framework types the analyzer knows without annotations, recognised by name so that nothing has to be looked up per compilation.</summary>
    internal enum KnownType
    {
        None,
        Monitor,
        Lock,
        LockScope,
        ReaderWriterLockSlim,
        SpinLock,
        Mutex,
        SemaphoreSlim,
        Semaphore,
        WaitHandle,
        Thread,
        Task,
        TaskOfT,
        TaskFactory,
        ThreadPool,
        Timer,
        Parallel,
        ParallelEnumerable,
        Volatile,
        Interlocked,
        CancellationToken,

        /// <summary><c>System.Threading.AbandonedMutexException</c>: a mutex wait that throws it has taken the mutex.</summary>
        AbandonedMutexException,

        /// <summary><c>System.Diagnostics.Debug</c> or <c>Trace</c>, whose <c>Assert</c> may check a lock.</summary>
        DiagnosticsAssert,
    }

    internal static class KnownTypes
    {
        /// <summary>Which known type <paramref name="type"/> is (by its original definition), or <see cref="KnownType.None"/>.</summary>
        public static KnownType Of(ITypeSymbol? type)
        {
            if (type?.OriginalDefinition is not INamedTypeSymbol named)
            {
                return KnownType.None;
            }

            if (named.ContainingType is { } outer)
            {
                return named.Name == "Scope" && Of(outer) == KnownType.Lock ? KnownType.LockScope : KnownType.None;
            }

            var ns = named.ContainingNamespace;
            if (ns is null || ns.ContainingNamespace is not { } parent)
            {
                return KnownType.None;
            }

            if (ns.Name == "Threading" && parent.Name == "System" && parent.ContainingNamespace is { IsGlobalNamespace: true })
            {
                return named.Name switch
                {
                    "Monitor" => KnownType.Monitor,
                    "Lock" => KnownType.Lock,
                    "ReaderWriterLockSlim" => KnownType.ReaderWriterLockSlim,
                    "SpinLock" => KnownType.SpinLock,
                    "Mutex" => KnownType.Mutex,
                    "SemaphoreSlim" => KnownType.SemaphoreSlim,
                    "Semaphore" => KnownType.Semaphore,
                    "WaitHandle" => KnownType.WaitHandle,
                    "Thread" => KnownType.Thread,
                    "ThreadPool" => KnownType.ThreadPool,
                    "Timer" => KnownType.Timer,
                    "Volatile" => KnownType.Volatile,
                    "Interlocked" => KnownType.Interlocked,
                    "CancellationToken" => KnownType.CancellationToken,
                    "AbandonedMutexException" => KnownType.AbandonedMutexException,
                    _ => KnownType.None,
                };
            }

            if (ns.Name == "Tasks" && parent.Name == "Threading" &&
                parent.ContainingNamespace is { Name: "System" } system && system.ContainingNamespace is { IsGlobalNamespace: true })
            {
                return named.Name switch
                {
                    "Task" when named.Arity == 0 => KnownType.Task,
                    "Task" => KnownType.TaskOfT,
                    "TaskFactory" => KnownType.TaskFactory,
                    "Parallel" => KnownType.Parallel,
                    _ => KnownType.None,
                };
            }

            if (ns.Name == "Diagnostics" && named.Name is "Debug" or "Trace" && parent.Name == "System" && parent.ContainingNamespace is { IsGlobalNamespace: true })
            {
                return KnownType.DiagnosticsAssert;
            }

            if (ns.Name == "Linq" && named.Name == "ParallelEnumerable" && parent.Name == "System" && parent.ContainingNamespace is { IsGlobalNamespace: true })
            {
                return KnownType.ParallelEnumerable;
            }

            return KnownType.None;
        }

        public static bool InheritsFrom(ITypeSymbol? type, KnownType known)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (Of(current) == known)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
