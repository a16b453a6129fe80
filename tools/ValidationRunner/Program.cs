using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using HmmAnalyzers;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HmmAnalyzers.Tools
{
    /// <summary>
    /// Runs the analyzer over other people's code, one compilation per project, without network: the project's C#
    /// files (bin/ and obj/ left out), the .NET reference assemblies, and the compile-time references that a prior
    /// 'dotnet restore' recorded in obj/project.assets.json (read from the local NuGet cache). Prints every
    /// diagnostic, the analyzer exceptions, and the analyzer's time against the compiler's.
    /// Usage: ValidationRunner path/to/Project.csproj [more.csproj ...]
    /// </summary>
    public static class Program
    {
        private static readonly string[] Symbols =
        {
            "NET", "NETCOREAPP", "NET5_0_OR_GREATER", "NET6_0_OR_GREATER", "NET7_0_OR_GREATER", "NET8_0_OR_GREATER", "NETCOREAPP3_0_OR_GREATER",
            "NETCOREAPP3_1_OR_GREATER", "NETCOREAPP2_0_OR_GREATER", "NETSTANDARD2_0_OR_GREATER", "NETSTANDARD2_1_OR_GREATER", "RELEASE", "TRACE",
        };

        public static int Main(string[] args)
        {
            if (args.Length == 0)
            {
                Console.Error.WriteLine("usage: ValidationRunner path/to/Project.csproj [more.csproj ...]");
                return 2;
            }

            var exceptions = 0;
            foreach (var project in args)
            {
                exceptions += Run(Path.GetFullPath(project));
            }

            return exceptions == 0 ? 0 : 1;
        }

        private static int Run(string project)
        {
            var directory = Path.GetDirectoryName(project)!;
            var parse = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: Symbols);
            var files = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
            var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, path: f)).ToList();
            if (ImplicitUsings(project))
            {
                trees.Add(CSharpSyntaxTree.ParseText(ImplicitUsingsSource, parse, path: Path.Combine(directory, "obj", "ImplicitUsings.g.cs")));
            }
            var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().ToList();
            var packages = PackageReferences(directory).ToList();
            var names = new HashSet<string>(references.Select(r => Path.GetFileName(r.Display ?? string.Empty)), StringComparer.OrdinalIgnoreCase);
            references.AddRange(packages.Where(p => names.Add(Path.GetFileName(p))).Select(p => MetadataReference.CreateFromFile(p)));
            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true, concurrentBuild: true);
            var lines = files.Sum(f => File.ReadLines(f).Count());

            // The first compilation warms the compiler up (JIT); the second one is measured.
            CSharpCompilation.Create(Path.GetFileNameWithoutExtension(project), trees, references, options).GetDiagnostics();
            var compileClock = Stopwatch.StartNew();
            var compilation = CSharpCompilation.Create(Path.GetFileNameWithoutExtension(project), trees, references, options);
            var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            compileClock.Stop();

            // Our own time is what the engine's phases measure (as in the benchmark), after a warm-up run of the analyzer.
            Analyze(compilation);
            EngineTelemetry.Enabled = true;
            EngineTelemetry.Reset();
            var analyzer = new HmmLockAnalyzer();
            var withAnalyzers = compilation.WithAnalyzers(
                ImmutableArray.Create<DiagnosticAnalyzer>(analyzer),
                new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
            var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
            var all = withAnalyzers.GetAllDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            var failures = all.Where(d => d.Id == "AD0001").ToList();

            var ours = Enum.GetValues<Phase>().Sum(EngineTelemetry.Milliseconds);
            var breakdown = string.Join(", ", Enum.GetValues<Phase>().Select(p => $"{p} {EngineTelemetry.Milliseconds(p):F0} ms")) + "; methods: " +
                string.Join(", ", Enum.GetValues<Route>().Select(r => $"{r} {EngineTelemetry.Methods(r)}"));
            EngineTelemetry.Enabled = false;
            var compiler = compileClock.Elapsed.TotalMilliseconds;
            Console.WriteLine($"## {Path.GetFileName(project)}: {files.Count} files, {lines} lines, {packages.Count} package references, {errors} compiler errors");
            Console.WriteLine(
                $"compiler {compiler:F0} ms, HmmAnalyzers {ours:F0} ms ({100 * ours / compiler:F1} % of the compiler; the driver's execution time for it " +
                $"{telemetry.ExecutionTime.TotalMilliseconds:F0} ms), {diagnostics.Length} reports, {failures.Count} analyzer exceptions");
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start))
            {
                var span = diagnostic.Location.GetLineSpan();
                Console.WriteLine($"{diagnostic.Id} {Path.GetRelativePath(directory, span.Path)}:{span.StartLinePosition.Line + 1}: {diagnostic.GetMessage()}");
            }

            foreach (var failure in failures)
            {
                Console.WriteLine($"AD0001 {failure.GetMessage()}");
            }

            // What a build waits for: compiler and analyzer diagnostics of a freshly parsed compilation, against the compiler alone.
            var (alone, withOurs) = BuildTimes(project, trees, parse, references, options);
            Console.WriteLine($"build wall time: compiler alone {alone:F0} ms, with HmmAnalyzers {withOurs:F0} ms (+{100 * (withOurs - alone) / alone:F1} %)");

            Console.WriteLine($"where our time went: {breakdown}");

            return failures.Count;
        }

        /// <summary>The best of two builds each: the compiler alone, and compiler and analyzer diagnostics together, on freshly parsed trees.</summary>
        private static (double Alone, double WithOurs) BuildTimes(
            string project, List<SyntaxTree> trees, CSharpParseOptions parse, List<MetadataReference> references, CSharpCompilationOptions options)
        {
            CSharpCompilation Fresh()
            {
                var fresh = trees.Select(t => CSharpSyntaxTree.ParseText(t.GetText(), parse, t.FilePath)).ToList();
                fresh.ForEach(t => t.GetRoot());
                return CSharpCompilation.Create(Path.GetFileNameWithoutExtension(project), fresh, references, options);
            }

            var alone = double.MaxValue;
            var withOurs = double.MaxValue;
            for (var i = 0; i < 2; i++)
            {
                var compilation = Fresh();
                GC.Collect();
                var clock = Stopwatch.StartNew();
                compilation.GetDiagnostics();
                alone = Math.Min(alone, clock.Elapsed.TotalMilliseconds);
                compilation = Fresh();
                GC.Collect();
                clock = Stopwatch.StartNew();
                compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer())).GetAllDiagnosticsAsync().GetAwaiter().GetResult();
                withOurs = Math.Min(withOurs, clock.Elapsed.TotalMilliseconds);
            }

            return (alone, withOurs);
        }

        private static void Analyze(Compilation compilation)
            => compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer())).GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();

        private const string ImplicitUsingsSource =
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

        /// <summary>Whether the project, or a Directory.Build.props above it, turns on the SDK's implicit usings.</summary>
        private static bool ImplicitUsings(string project)
        {
            if (File.ReadAllText(project).Contains("<ImplicitUsings>enable</ImplicitUsings>", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            for (var directory = Path.GetDirectoryName(project); directory is not null; directory = Path.GetDirectoryName(directory))
            {
                var props = Path.Combine(directory, "Directory.Build.props");
                if (File.Exists(props) && File.ReadAllText(props).Contains("<ImplicitUsings>enable</ImplicitUsings>", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The restore's assets file: obj/ beside the project, or artifacts/obj/(name)/ above it (UseArtifactsOutput).</summary>
        private static string? AssetsFile(string projectDirectory)
        {
            var local = Path.Combine(projectDirectory, "obj", "project.assets.json");
            if (File.Exists(local))
            {
                return local;
            }

            var name = Path.GetFileName(projectDirectory);
            for (var directory = Path.GetDirectoryName(projectDirectory); directory is not null; directory = Path.GetDirectoryName(directory))
            {
                var artifacts = Path.Combine(directory, "artifacts", "obj", name, "project.assets.json");
                if (File.Exists(artifacts))
                {
                    return artifacts;
                }
            }

            return null;
        }

        /// <summary>The compile-time assemblies a restore recorded, for the newest .NET target it has (else the first).</summary>
        private static IEnumerable<string> PackageReferences(string directory)
        {
            var assets = AssetsFile(directory);
            if (assets is null)
            {
                yield break;
            }

            using var document = JsonDocument.Parse(File.ReadAllText(assets));
            var root = document.RootElement;
            var folders = root.GetProperty("packageFolders").EnumerateObject().Select(p => p.Name).ToList();
            var targets = root.GetProperty("targets").EnumerateObject().ToList();
            var target = targets.Where(t => t.Name.StartsWith("net", StringComparison.Ordinal) && char.IsDigit(t.Name[3]))
                .OrderByDescending(t => t.Name, StringComparer.Ordinal).DefaultIfEmpty(targets[0]).First();
            var libraries = root.GetProperty("libraries");
            foreach (var library in target.Value.EnumerateObject())
            {
                if (!library.Value.TryGetProperty("compile", out var compile) || !libraries.TryGetProperty(library.Name, out var info) ||
                    !info.TryGetProperty("path", out var pathElement))
                {
                    continue;
                }

                foreach (var asset in compile.EnumerateObject().Select(a => a.Name).Where(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
                {
                    var file = folders.Select(f => Path.Combine(f, pathElement.GetString()!, asset)).FirstOrDefault(File.Exists);
                    if (file is not null)
                    {
                        yield return file;
                    }
                }
            }
        }
    }
}
