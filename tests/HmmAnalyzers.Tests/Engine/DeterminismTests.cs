using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HmmAnalyzers.Tests.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>
    /// The same input gives the same diagnostics, with the same messages and locations, in every build: nothing that
    /// reaches a report may follow hash order (symbol hashes differ from one compilation to the next) or the order in
    /// which concurrent callbacks run.
    /// </summary>
    public class DeterminismTests
    {
        private const string Choices = @"
class Account
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private decimal _balance;
    public int Id;
    public static void Transfer(Account a, Account b, decimal x)
    {
        var (first, second) = a.Id < b.Id ? (a, b) : (b, a);
        lock (first._gate) { lock (second._gate) { a._balance -= x; b._balance += x; } }
    }
    public static void TwoHeldNeitherRight(Account a, Account b, Account c, decimal x)
    {
        // Both 'first._gate' and 'second._gate' are near matches: the message names one of them, the same one in every build.
        var (first, second) = a.Id < b.Id ? (a, b) : (b, a);
        lock (first._gate) { lock (second._gate) { c._balance += x; } }
    }
    public static void ThreeAtOneJoin(bool c, object p, object q, object r)
    {
        if (c) { Monitor.Enter(p); Monitor.Enter(q); Monitor.Enter(r); }
        Console.WriteLine();
    }
    public static void ThreeInALoop(object p, object q, object r)
    {
        Monitor.Enter(p); Monitor.Enter(q); Monitor.Enter(r);
        for (var i = 0; i < 3; i++) { Monitor.Exit(r); Monitor.Exit(q); Monitor.Exit(p); }
    }
}
class Pair
{
    private readonly object _a = new object();
    private readonly object _b = new object();
    private readonly object _c = new object();
    public void One() { lock (_a) { lock (_b) { lock (_c) { } } } }
    public void Two() { lock (_c) { lock (_b) { lock (_a) { } } } }
}";

        [Fact]
        public async Task EveryBuildOfTheSameSourcesReportsTheSame()
        {
            var sources = new List<(string Path, string Text)> { ("Choices.cs", Verify.Usings + Choices) };
            sources.AddRange(SampleCompilation.SourceFiles("Hmm.Before").Select(f => (f, File.ReadAllText(f))));
            sources.AddRange(Directory.GetFiles(Path.Combine(SampleCompilation.RepositoryRoot, "tests", "ValidCode"), "*.cs").Select(f => (f, File.ReadAllText(f))));

            List<string>? first = null;
            for (var build = 0; build < 6; build++)
            {
                var reports = await Analyze(sources);
                Assert.Contains(reports, r => r.StartsWith("HMM002", StringComparison.Ordinal));
                if (first is null)
                {
                    first = reports;
                    continue;
                }

                Assert.Equal(first, reports);
            }
        }

        /// <summary>A fresh compilation each time (fresh symbols, fresh hashes), analyzed with concurrent execution on.</summary>
        private static async Task<List<string>> Analyze(List<(string Path, string Text)> sources)
        {
            var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, new CSharpParseOptions(LanguageVersion.Preview), path: s.Path));
            var compilation = CSharpCompilation.Create(
                "p", trees, Verify.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);
            return Verify.Lines(await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HmmLockAnalyzer()), options).GetAnalyzerDiagnosticsAsync());
        }
    }
}
