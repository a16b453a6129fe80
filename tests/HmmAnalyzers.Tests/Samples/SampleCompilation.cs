using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HmmAnalyzers.Tests.Samples
{
    /// <summary>Compiles a sample project's sources in memory, the way its .csproj does, and runs the analyzer on it.</summary>
    internal static class SampleCompilation
    {
        public static string RepositoryRoot { get; } = FindRoot();

        /// <summary>The sample's own files plus, for the hmm models, the shared kernel model they include.</summary>
        public static string[] SourceFiles(string sample)
            => Directory.GetFiles(Path.Combine(RepositoryRoot, "samples", sample), "*.cs")
                .Concat(sample.StartsWith("Hmm", StringComparison.Ordinal) ? Directory.GetFiles(Path.Combine(RepositoryRoot, "samples", "Kernel"), "*.cs") : Array.Empty<string>())
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToArray();

        public static CSharpCompilation Compile(string sample, OutputKind kind)
        {
            var trees = SourceFiles(sample).Select(file => CSharpSyntaxTree.ParseText(
                File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Latest), path: Relative(file)));
            return CSharpCompilation.Create(sample, trees, Verify.References, new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
        }

        public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation)
        {
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException("The sample does not compile: " + string.Join(Environment.NewLine, errors));
            }

            var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer());
            return await compilation.WithAnalyzers(analyzers).GetAllDiagnosticsAsync();
        }

        public static string Format(Diagnostic diagnostic)
        {
            var span = diagnostic.Location.GetLineSpan();
            return $"{diagnostic.Id} {span.Path}:{span.StartLinePosition.Line + 1}";
        }

        private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot, file).Replace('\\', '/');

        private static string FindRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HmmAnalyzers.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("HmmAnalyzers.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
