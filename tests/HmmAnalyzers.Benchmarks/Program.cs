using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HmmAnalyzers.Benchmarks
{
    /// <summary>
    /// Measures, in one process and one run: the compiler's own GetDiagnostics() time, HmmAnalyzers' execution time
    /// (CompilationWithAnalyzers telemetry), SonarAnalyzer's S2222 on the same compilation, peak memory, and the
    /// cost of single pathological methods. Prints one line a measurement, then the ratios.
    /// </summary>
    public static class Program
    {
        private static readonly ImmutableArray<MetadataReference> References = Basic.Reference.Assemblies.Net100.References.All
            .CastArray<MetadataReference>()
            .Add(MetadataReference.CreateFromFile(typeof(HmmAnalyzers.Annotations.GuardedByAttribute).Assembly.Location));

        public static int Main(string[] args)
        {
            if (args.Contains("--edit"))
            {
                EngineTelemetry.Enabled = true;
                Console.WriteLine(EditedDocument.Measure(CorpusGenerator.Generate(100_000, lockEvery: 10), References));
                Console.WriteLine(Breakdown());
                return 0;
            }

            if (args.Contains("--findings"))
            {
                PrintFindings();
                return 0;
            }

            if (args.Contains("--lockdep"))
            {
                PrintLockdepCost();
                return 0;
            }

            var quick = args.Contains("--quick");
            EngineTelemetry.Enabled = true;
            EngineTelemetry.PauseClock = () => GC.GetTotalPauseDuration().Ticks;
            EngineTelemetry.AllocationClock = GC.GetAllocatedBytesForCurrentThread;
            var sizes = quick ? new[] { 10_000, 30_000 } : new[] { 10_000, 30_000, 100_000 };
            var repetitions = quick ? 2 : 5;
            var sonar = LoadSonarS2222();
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC; repetitions {repetitions}; Sonar S2222 {(sonar.IsEmpty ? "not found" : "loaded")}");

            // Warm-up: JIT the compiler, the analyzer and Sonar on a small corpus.
            Measure("warm-up", CorpusGenerator.Generate(2_000), sonar, 1, print: false);

            var results = new List<Result>();
            foreach (var size in sizes)
            {
                results.Add(Measure($"{size / 1000}k lines", CorpusGenerator.Generate(size), sonar, repetitions, print: true));
            }

            // Whether the engine's own cost per method grows with the compilation (full run only: it binds every method twice over).
            var engineScaling = string.Empty;
            if (!quick)
            {
                var smallest = CorpusGenerator.Generate(sizes[0]);
                var largest = CorpusGenerator.Generate(sizes[sizes.Length - 1]);
                var smallTime = EngineScaling.Print(Compile(smallest), $"{sizes[0] / 1000}k lines");
                var largeTime = EngineScaling.Print(Compile(largest), $"{sizes[sizes.Length - 1] / 1000}k lines");
                var ratio = (largeTime / largest.Sum(CorpusGenerator.CountLines)) / (smallTime / smallest.Sum(CorpusGenerator.CountLines));
                engineScaling = $"  per-line cost of the engine alone, {sizes[sizes.Length - 1] / 1000}k / {sizes[0] / 1000}k lines: {ratio:F2}";
            }

            // Ordinary code: one class in ten takes locks; the rest never touches a lock, so no flow analysis runs there.
            var mixedSize = sizes[sizes.Length - 1];
            var mixed = Measure($"{mixedSize / 1000}k lines, 1 class in 10 with locks", CorpusGenerator.Generate(mixedSize, lockEvery: 10), sonar, repetitions, print: true);
            var mixedMethods = Enum.GetValues<Route>().Sum(EngineTelemetry.Methods);
            var mixedFiltered = EngineTelemetry.Methods(Route.Filtered);
            var mixedSkipped = EngineTelemetry.Methods(Route.Skipped);
            var edit = EditedDocument.Measure(CorpusGenerator.Generate(100_000, lockEvery: 10), References);

            var pathological = new (string Name, string Source)[]
            {
                ("2,000 branches", CorpusGenerator.Branches(2_000)),
                ("2,000 branches, Monitor.Enter/Exit", CorpusGenerator.Branches(2_000, explicitCalls: true)),
                ("50 nested locks", CorpusGenerator.NestedLocks(50)),
                ("5,000-case switch", CorpusGenerator.Switch(5_000)),
                ("5,000-case switch, Monitor.Enter/try/finally", CorpusGenerator.Switch(5_000, explicitCalls: true)),
                ("200-deep if chain in a loop", CorpusGenerator.DeepIfInLoop(200)),
            };
            var slowest = (Name: string.Empty, Milliseconds: 0.0);
            foreach (var (name, source) in pathological)
            {
                // Small enough to repeat: the minimum of five runs, each after a full collection.
                var ours = Enumerable.Range(0, 5).Select(_ =>
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    return OurTime(new[] { source }).Total;
                }).Min();
                Console.WriteLine($"single method, {name}: HmmAnalyzers {ours:F1} ms");
                if (ours > slowest.Milliseconds)
                {
                    slowest = (name, ours);
                }
            }

            var small = results.First();
            var large = results.Last();
            Console.WriteLine();
            Console.WriteLine("summary");
            Console.WriteLine($"  our time / compiler time at {large.Name}: {100 * large.Ours / large.Compiler:F2} %");
            Console.WriteLine($"  the same with the process's garbage collection pauses charged by allocation share rather than by where they fell: {100 * large.OursFair / large.Compiler:F2} %");
            Console.WriteLine($"  build wall time we add over a do-nothing analyzer / compiler time at {large.Name}: {100 * large.AddedBuildTime / large.Compiler:F2} %");
            Console.WriteLine(
                $"  build wall time with HmmAnalyzers over the compiler alone / compiler time: {100 * (large.BuildWithOurs - large.Compiler) / large.Compiler:F2} % at {large.Name}, " +
                $"{100 * (mixed.BuildWithOurs - mixed.Compiler) / mixed.Compiler:F2} % on ordinary code (what a build with no other analyzer waits for; driver overhead included)");
            Console.WriteLine($"  compilation-end (lock order) share of our time at {large.Name}: {100 * large.OursEnd / large.Ours:F2} %");
            Console.WriteLine($"  per-line cost {large.Name} / {small.Name}: {(large.Ours / large.Lines) / (small.Ours / small.Lines):F2}; with pauses charged by allocation share: {(large.OursFair / large.Lines) / (small.OursFair / small.Lines):F2}");
            if (engineScaling.Length > 0)
            {
                Console.WriteLine(engineScaling);
            }

            if (large.Sonar > 0)
            {
                Console.WriteLine($"  our time / Sonar S2222 time at {large.Name}: {large.Ours / large.Sonar:F2}");
            }

            Console.WriteLine($"  our time / compiler time on ordinary code ({mixed.Name}): {100 * mixed.Ours / mixed.Compiler:F2} %");
            Console.WriteLine($"  slowest single method: {slowest.Name}, {slowest.Milliseconds:F1} ms");
            Console.WriteLine($"  peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
            PrintLockdepCost();

            // The cost targets, each with its figure from this run.
            Console.WriteLine();
            Console.WriteLine("targets");
            Target($"our time / compiler time on ordinary code ({mixed.Name})", 100 * mixed.Ours / mixed.Compiler, 3, " %");
            Target($"our time / compiler time on lock-heavy code ({large.Name})", 100 * large.Ours / large.Compiler, 12, " %");
            Target($"per-line cost {large.Name} / {small.Name}", (large.Ours / large.Lines) / (small.Ours / small.Lines), 1.3, string.Empty);
            Console.WriteLine(
                $"  methods turned into operations on ordinary code: {mixedMethods - mixedFiltered} of {mixedMethods}; {mixedFiltered} left unbound by the syntax " +
                $"pre-filter; of those bound, {mixedSkipped} kept only for the lock order or guard inference and found by the relevance scan to take no lock " +
                $"(target: only methods whose syntax names a lock API, an annotated member or a method that may take a lock): {(mixedFiltered > 0 ? "met" : "not met")}");
            Target($"one edited document of a 100k-line solution analyzed again ({edit})", edit.Ours, 50, " ms");
            return 0;
        }

        private static void PrintLockdepCost()
        {
            var (lockPair, trackedPair) = LockdepCost.NanosecondsPerPair();
            Console.WriteLine(
                $"  Lockdep's order validation, an uncontended nested pair whose order is known: TrackedLock {trackedPair:F1} ns, " +
                $"System.Threading.Lock {lockPair:F1} ns, ratio {trackedPair / lockPair:F2}");
        }

        private sealed record Result(string Name, int Lines, double Compiler, double Ours, double OursFair, double OursEnd, double Sonar, double AddedBuildTime, double BuildWithOurs);

        /// <summary>
        /// One run of our analyzer: its telemetry time, the compilation end's share, the findings, the garbage collection
        /// pauses of the whole run and of those the ones that fell inside our phases, and the bytes our phases allocated
        /// against the bytes the whole process allocated during the run.
        /// </summary>
        private sealed record OurRun(double Total, double End, int Findings, double RunPauses, double PhasePauses, long OurBytes, long ProcessBytes, string Breakdown)
        {
            /// <summary>
            /// Our time with the run's garbage collection pauses charged by our share of the bytes allocated, instead of
            /// by whether a pause happened to fall inside one of our callbacks.
            /// </summary>
            public double Fair => Total - PhasePauses + (ProcessBytes > 0 ? RunPauses * OurBytes / ProcessBytes : 0);
        }

        private static double BuildTime(List<string> files, DiagnosticAnalyzer analyzer)
        {
            var compilation = Compile(files);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var clock = Stopwatch.StartNew();
            compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAllDiagnosticsAsync().GetAwaiter().GetResult();
            return clock.Elapsed.TotalMilliseconds;
        }

        private static Result Measure(string name, List<string> files, ImmutableArray<DiagnosticAnalyzer> sonar, int repetitions, bool print)
        {
            var lines = files.Sum(CorpusGenerator.CountLines);
            var compiler = double.MaxValue;
            var ours = double.MaxValue;
            var oursFair = double.MaxValue;
            OurRun? best = null;
            var sonarTime = double.MaxValue;
            var buildWithNoOp = double.MaxValue;
            var buildWithOurs = double.MaxValue;
            for (var r = 0; r < repetitions; r++)
            {
                // What a build waits for: compiler and analyzer diagnostics together, with a do-nothing analyzer of the same shape and with ours.
                buildWithNoOp = Math.Min(buildWithNoOp, BuildTime(files, new NoOpAnalyzer()));
                buildWithOurs = Math.Min(buildWithOurs, BuildTime(files, new HmmLockAnalyzer()));

                GC.Collect();
                GC.WaitForPendingFinalizers();
                var clock = Stopwatch.StartNew();
                var errors = Compile(files).GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
                compiler = Math.Min(compiler, clock.Elapsed.TotalMilliseconds);
                if (errors > 0)
                {
                    throw new InvalidOperationException($"the generated corpus has {errors} compile errors");
                }

                GC.Collect();
                var run = OurTime(files);
                oursFair = Math.Min(oursFair, run.Fair);
                if (run.Total < ours)
                {
                    ours = run.Total;
                    best = run;
                }

                if (!sonar.IsEmpty)
                {
                    GC.Collect();
                    sonarTime = Math.Min(sonarTime, AnalyzerTime(Compile(files), sonar).Total);
                }
            }

            if (sonar.IsEmpty)
            {
                sonarTime = 0;
            }

            if (print)
            {
                Console.WriteLine($"corpus {name} ({lines} lines, {files.Count} files): compiler {compiler:F0} ms; HmmAnalyzers {ours:F0} ms ({100 * ours / compiler:F2} % of compiler, {best!.Findings} findings), of which compilation end {best.End:F2} ms; Sonar S2222 {sonarTime:F0} ms; {1000 * ours / lines:F3} ms per 1k lines");
                Console.WriteLine($"  where our time went: {best.Breakdown}");
                Console.WriteLine($"  garbage collection: {best.RunPauses:F0} ms of pauses in the whole analysis run, {best.PhasePauses:F0} ms of them inside our phases; our phases allocated {best.OurBytes / 1048576.0:F0} MB of the {best.ProcessBytes / 1048576.0:F0} MB the process allocated during the run ({100.0 * best.OurBytes / best.ProcessBytes:F1} %); charging the pauses by that share instead, our best run is {oursFair:F0} ms ({100 * oursFair / compiler:F2} % of compiler)");
                Console.WriteLine($"  build wall time (compiler and analyzer diagnostics): with a do-nothing analyzer of the same shape {buildWithNoOp:F0} ms, with HmmAnalyzers {buildWithOurs:F0} ms; we add {buildWithOurs - buildWithNoOp:F0} ms ({100 * (buildWithOurs - buildWithNoOp) / compiler:F1} % of the compiler's time)");
            }

            return new Result(name, lines, compiler, ours, oursFair, best!.End, sonarTime, buildWithOurs - buildWithNoOp, buildWithOurs);
        }

        private static void Target(string name, double figure, double limit, string unit)
            => Console.WriteLine($"  {name}: {figure:F2}{unit} (target: at most {limit}{unit}): {(figure <= limit ? "met" : "not met")}");

        /// <summary>
        /// <c>--findings</c>: what the analyzer reports on the 30k-line corpora (lock-heavy, and ordinary code with one class in
        /// ten taking locks), counted per rule and listed for HMM013, so that inferred guards can be judged report by report.
        /// </summary>
        private static void PrintFindings()
        {
            var corpora = new[] { ("lock-heavy 30k", CorpusGenerator.Generate(30_000)), ("ordinary 30k", CorpusGenerator.Generate(30_000, lockEvery: 10)) };
            foreach (var (name, files) in corpora)
            {
                var diagnostics = Compile(files).WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer()))
                    .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
                Console.WriteLine($"{name}: " + string.Join(", ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
                foreach (var diagnostic in diagnostics.Where(d => d.Id == "HMM013").OrderBy(d => d.Location.SourceTree?.FilePath).ThenBy(d => d.Location.SourceSpan.Start))
                {
                    Console.WriteLine($"  {diagnostic.Location.GetLineSpan()}: {diagnostic.GetMessage()}");
                    Console.WriteLine($"    {diagnostic.Location.SourceTree!.GetText().Lines[diagnostic.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim()}");
                }
            }
        }

        private static CSharpCompilation Compile(IEnumerable<string> files)
            => CSharpCompilation.Create(
                "Corpus",
                files.Select((f, i) => CSharpSyntaxTree.ParseText(f, new CSharpParseOptions(LanguageVersion.Latest), path: $"File{i}.cs")),
                References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        /// <summary>The engine's own phase timings and method routes for the last run.</summary>
        private static string Breakdown()
        {
            var phases = Enum.GetValues<Phase>().Select(p => $"{p} {EngineTelemetry.Milliseconds(p):F0} ms");
            var routes = Enum.GetValues<Route>().Select(r => $"{r} {EngineTelemetry.Methods(r)}");
            return string.Join(", ", phases) + "; methods: " + string.Join(", ", routes);
        }

        private static OurRun OurTime(IEnumerable<string> files)
        {
            var compilation = Compile(files);
            EngineTelemetry.Reset();
            var pause = GC.GetTotalPauseDuration();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var (total, count) = AnalyzerTime(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer()));
            var processBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            var runPauses = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds;
            var phases = Enum.GetValues<Phase>();
            return new OurRun(
                total,
                EngineTelemetry.Milliseconds(Phase.CompilationEnd),
                count,
                runPauses,
                phases.Sum(EngineTelemetry.PauseMilliseconds),
                phases.Sum(EngineTelemetry.Allocated),
                processBytes,
                Breakdown());
        }

        private static (double Total, int Count) AnalyzerTime(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
            var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
            var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            var total = 0.0;
            foreach (var analyzer in analyzers)
            {
                total += withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds;
            }

            return (total, diagnostics.Length);
        }

        /// <summary>SonarAnalyzer.CSharp's analyzers that report S2222, loaded from the restored package.</summary>
        private static ImmutableArray<DiagnosticAnalyzer> LoadSonarS2222()
        {
            var root = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SonarAnalyzerPath")?.Value;
            var path = root is null ? null : Path.Combine(root, "analyzers", "SonarAnalyzer.CSharp.dll");
            if (path is null || !File.Exists(path))
            {
                return ImmutableArray<DiagnosticAnalyzer>.Empty;
            }

            var reference = new AnalyzerFileReference(path, new Loader());
            return reference.GetAnalyzers(LanguageNames.CSharp)
                .Where(a => a.SupportedDiagnostics.Any(d => d.Id == "S2222"))
                .ToImmutableArray();
        }

        private sealed class Loader : IAnalyzerAssemblyLoader
        {
            public void AddDependencyLocation(string fullPath)
            {
            }

            public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
        }
    }
}
