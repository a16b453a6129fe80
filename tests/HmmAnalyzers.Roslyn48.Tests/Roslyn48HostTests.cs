using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HmmAnalyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace HmmAnalyzers.Roslyn48.Tests
{
    public class Roslyn48HostTests
    {
        // The running framework's own assemblies: the reference-assembly packages need a newer Roslyn than this host.
        private static readonly ImmutableArray<MetadataReference> References = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray()
            .Add(MetadataReference.CreateFromFile(typeof(GuardedByAttribute).Assembly.Location));

        private static readonly string Root = FindRoot();

        [Fact]
        public void TheHostIsRoslyn48()
            => Assert.Equal(new Version(4, 8), new Version(typeof(CSharpCompilation).Assembly.GetName().Version!.Major, typeof(CSharpCompilation).Assembly.GetName().Version!.Minor));

        [Fact]
        public async Task HmmBeforeGivesTheExpectedDiagnostics()
        {
            var files = Directory.GetFiles(Path.Combine(Root, "samples", "Hmm.Before"), "*.cs")
                .Concat(Directory.GetFiles(Path.Combine(Root, "samples", "Kernel"), "*.cs"));
            var diagnostics = await AnalyzeAsync(files.Select(f => (File.ReadAllText(f), Path.GetRelativePath(Root, f).Replace('\\', '/'))).ToArray());
            var actual = diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan().Path}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}").OrderBy(l => l, StringComparer.Ordinal);
            var expected = File.ReadAllLines(Path.Combine(Root, "samples", "Hmm.Before", "expected-diagnostics.txt"))
                .Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal)).OrderBy(l => l, StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }

        [Fact]
        public async Task LockOnSystemThreadingLockLowersToMonitorAndIsUnderstood()
        {
            var diagnostics = await AnalyzeAsync((@"
using System.Threading;
using HmmAnalyzers.Annotations;
class Pool
{
    private readonly Lock _gate = new Lock();
    [GuardedBy(nameof(_gate))] private int _n;
    public void Add() { lock (_gate) { _n++; } }
    public int Scoped() { using (_gate.EnterScope()) { return _n; } }
    public int Bad() => _n;
}", "Pool.cs"));
            var diagnostic = Assert.Single(diagnostics);
            Assert.Equal("HMM001", diagnostic.Id);
            Assert.Equal(9, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        }

        private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(params (string Text, string Path)[] files)
        {
            var compilation = CSharpCompilation.Create(
                "Host48",
                files.Select(f => CSharpSyntaxTree.ParseText(f.Text, new CSharpParseOptions(LanguageVersion.Latest), path: f.Path)),
                References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
            var all = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer())).GetAllDiagnosticsAsync();
            return all.Where(d => d.Id.StartsWith("HMM", StringComparison.Ordinal) || d.Id == "AD0001").ToImmutableArray();
        }

        private static string FindRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HmmAnalyzers.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("HmmAnalyzers.sln not found");
        }
    }
}
