using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Model
{
    /// <summary>The framework types the analyzer knows without annotations.</summary>
    internal sealed class KnownTypes
    {
        public KnownTypes(Compilation compilation)
        {
            Monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
            Lock = compilation.GetTypeByMetadataName("System.Threading.Lock");
            LockScope = compilation.GetTypeByMetadataName("System.Threading.Lock+Scope");
            ReaderWriterLockSlim = compilation.GetTypeByMetadataName("System.Threading.ReaderWriterLockSlim");
            SpinLock = compilation.GetTypeByMetadataName("System.Threading.SpinLock");
            Mutex = compilation.GetTypeByMetadataName("System.Threading.Mutex");
            SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
            Semaphore = compilation.GetTypeByMetadataName("System.Threading.Semaphore");
            WaitHandle = compilation.GetTypeByMetadataName("System.Threading.WaitHandle");
            Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
            Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
            TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
            TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
            ThreadPool = compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
            Timer = compilation.GetTypeByMetadataName("System.Threading.Timer");
        }

        public INamedTypeSymbol? Monitor { get; }

        public INamedTypeSymbol? Lock { get; }

        public INamedTypeSymbol? LockScope { get; }

        public INamedTypeSymbol? ReaderWriterLockSlim { get; }

        public INamedTypeSymbol? SpinLock { get; }

        public INamedTypeSymbol? Mutex { get; }

        public INamedTypeSymbol? SemaphoreSlim { get; }

        public INamedTypeSymbol? Semaphore { get; }

        public INamedTypeSymbol? WaitHandle { get; }

        public INamedTypeSymbol? Thread { get; }

        public INamedTypeSymbol? Task { get; }

        public INamedTypeSymbol? TaskOfT { get; }

        public INamedTypeSymbol? TaskFactory { get; }

        public INamedTypeSymbol? ThreadPool { get; }

        public INamedTypeSymbol? Timer { get; }
    }
}
