using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using HmmAnalyzers.Tests.Samples;
using Xunit;

namespace HmmAnalyzers.Tests.Package
{
    /// <summary>The tests that use the packed package: they share one pack.</summary>
    [CollectionDefinition(Name)]
    public sealed class PackedCollection : ICollectionFixture<PackedFeed>
    {
        public const string Name = "packed package";
    }

    /// <summary>Packs HmmAnalyzers once into a folder feed for all the consumer tests.</summary>
    public sealed class PackedFeed : IDisposable
    {
        public PackedFeed()
        {
            Version = "0.1.0-it" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");

            // The analyzer this test assembly was built against is packed as it is (the test run built it already);
            // only where that build is not there (the package project never restored) does the pack build it.
            var configuration = typeof(PackedFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            string[] pack = { "pack", "nuget/HmmAnalyzers.Package.csproj", "-c", configuration, "-o", Folder, "-p:Version=" + Version };
            var packed = DotNet.Run(SampleCompilation.RepositoryRoot, pack.Append("--no-build").ToArray());
            if (packed.ExitCode != 0)
            {
                packed = DotNet.Run(SampleCompilation.RepositoryRoot, pack);
            }

            Assert.True(packed.ExitCode == 0, packed.Output);
        }

        public string Root { get; } = Path.Combine(Path.GetTempPath(), "hmm-package-" + Guid.NewGuid().ToString("N"));

        public string Folder => Path.Combine(Root, "feed");

        public string Version { get; }

        public string Package => Path.Combine(Folder, $"HmmAnalyzers.{Version}.nupkg");

        /// <summary>How a consumer project references the package.</summary>
        public enum Reference
        {
            None,
            Plain,
            Private,
        }

        /// <summary>
        /// A project directory under the feed's root, with a nuget.config that finds the packed package first (and
        /// nuget.org for the rest), and a project file for <paramref name="targetFramework"/>.
        /// </summary>
        public string Project(string name, string targetFramework, Reference package, bool exe = false, string? projectReference = null)
        {
            var directory = Path.Combine(Root, name);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(Root, "nuget.config"), $@"<?xml version=""1.0"" encoding=""utf-8""?>
<configuration>
  <packageSources>
    <clear />
    <add key=""local"" value=""{Folder}"" />
    <add key=""nuget.org"" value=""https://api.nuget.org/v3/index.json"" />
  </packageSources>
</configuration>
");
            var packageReference = package switch
            {
                Reference.Plain => $@"    <PackageReference Include=""HmmAnalyzers"" Version=""{Version}"" />
",
                Reference.Private => $@"    <PackageReference Include=""HmmAnalyzers"" Version=""{Version}"" PrivateAssets=""all"" />
",
                _ => string.Empty,
            };
            var reference = projectReference is null ? string.Empty : $@"    <ProjectReference Include=""{projectReference}"" />
";
            File.WriteAllText(Path.Combine(directory, name + ".csproj"), $@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
{(exe ? "    <OutputType>Exe</OutputType>\n" : string.Empty)}    <TargetFramework>{targetFramework}</TargetFramework>
    <RestorePackagesPath>{Path.Combine(Root, "packages")}</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
{reference}{packageReference}  </ItemGroup>
</Project>
");
            return directory;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// Builds fresh consumer projects that have only a PackageReference to the packed HmmAnalyzers, the way a user
    /// meets the analyzer: an app, a library referencing it with PrivateAssets="all" and an app that uses the library
    /// without the package, and a project whose analysis reads the library's contracts.
    /// </summary>
    [Collection(PackedCollection.Name)]
    public sealed class PackageTests
    {
        private const string Source = @"using HmmAnalyzers.Annotations;

public sealed class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _count;
    public int Get() => _count;
    public void Add() { lock (_gate) { Lockdep.AssertHeld(_gate); _count++; } }
    public void Reset() => _count = 0;
}
";

        private const string Program = @"var counter = new Counter();
counter.Add();
System.Console.WriteLine(""added"");
";

        private const string LibrarySource = @"using HmmAnalyzers.Annotations;

namespace Lib
{
    public sealed class Store
    {
        public readonly object Gate = new object();

        [GuardedBy(nameof(Gate))]
        private int _count;

        [RequiresExclusive(nameof(Gate))]
        public int Touch()
        {
            Lockdep.AssertHeld(Gate);
            return ++_count;
        }

        public int Safe()
        {
            lock (Gate)
            {
                return Touch();
            }
        }
    }
}
";

        private readonly PackedFeed _feed;

        public PackageTests(PackedFeed feed) => _feed = feed;

        /// <summary>
        /// A library (netstandard2.0, so C# 7.3 unless it says otherwise) references the package with
        /// PrivateAssets="all" and calls Lockdep; an app that references only the library runs, with nothing of
        /// the package next to it. A project that references the library and the package is told when it calls
        /// the library's [RequiresExclusive] method without the lock.
        /// </summary>
        [Fact]
        public void ALibraryWithPrivateAssetsNeedsNothingAtRunTimeAndItsContractsAreChecked()
        {
            var library = _feed.Project("Lib", "netstandard2.0", PackedFeed.Reference.Private);
            File.WriteAllText(Path.Combine(library, "Store.cs"), LibrarySource);

            var app = _feed.Project("App", "net10.0", PackedFeed.Reference.None, exe: true, projectReference: "../Lib/Lib.csproj");
            File.WriteAllText(Path.Combine(app, "Program.cs"), "System.Console.WriteLine(\"count \" + new Lib.Store().Safe());\n");
            var run = DotNet.Run(app, "run", "--nologo");
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("count 1", run.Output);
            Assert.Empty(Directory.GetFiles(Path.Combine(app, "bin"), "HmmAnalyzers*.dll", SearchOption.AllDirectories));

            var checkedApp = _feed.Project("Checked", "net10.0", PackedFeed.Reference.Private, projectReference: "../Lib/Lib.csproj");
            File.WriteAllText(Path.Combine(checkedApp, "Caller.cs"), "public static class Caller { public static int Call(Lib.Store store) => store.Touch(); }\n");
            var build = DotNet.Run(checkedApp, "build", "-nologo");
            Assert.True(build.ExitCode == 0, build.Output);
            Assert.Contains("warning HMM003: Calling 'Store.Touch' requires holding 'store.Gate'; no lock is held", build.Output);
        }

        /// <summary>
        /// The layout: a development dependency with nothing under lib/ (nothing to load at run time), the annotations as
        /// internal types in C# source under build/, an icon, and a README whose links work on the package's page.
        /// </summary>
        [Fact]
        public void ThePackageIsADevelopmentDependencyWithSourceAnnotationsAndAbsoluteLinks()
        {
            using var zip = System.IO.Compression.ZipFile.OpenRead(_feed.Package);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
            Assert.Contains("analyzers/dotnet/cs/HmmAnalyzers.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/HmmAnalyzers.CodeFixes.dll", entries);
            Assert.Contains("build/HmmAnalyzers.targets", entries);
            Assert.Contains("icon.png", entries);

            string Read(string name)
            {
                using var reader = new StreamReader(zip.GetEntry(name)!.Open());
                return reader.ReadToEnd();
            }

            Assert.Contains("<developmentDependency>true</developmentDependency>", Read("HmmAnalyzers.nuspec"));
            Assert.Contains("<icon>icon.png</icon>", Read("HmmAnalyzers.nuspec"));
            var attributes = Read("build/HmmAnalyzers/Attributes.cs");
            Assert.Contains("internal sealed class GuardedByAttribute", attributes);
            Assert.DoesNotContain("public sealed class", attributes);
            var readme = Read("README.md");
            Assert.Contains("](" + RuleIdentifiers.HelpLink("HMM001") + ")", readme);
            Assert.DoesNotMatch(@"\]\((?!https?:|#)", readme);
        }

        /// <summary>An app with a plain PackageReference: reports, configuration, SARIF, and it runs with Lockdep compiled in.</summary>
        [Fact]
        public void ConsumerBuildReportsConfiguresAndWritesSarif()
        {
            var consumer = _feed.Project("Consumer", "net10.0", PackedFeed.Reference.Plain, exe: true);
            File.WriteAllText(Path.Combine(consumer, "Counter.cs"), Source);
            File.WriteAllText(Path.Combine(consumer, "Program.cs"), Program);

            // A violation is a warning, and the build succeeds; the SARIF log carries the rule id, the help link and the
            // location; the app runs, its Lockdep assertion passing.
            var sarif = Path.Combine(consumer, "out.sarif");
            var build = DotNet.Run(consumer, "build", "-nologo", $"-p:ErrorLog={sarif}%2Cversion=2.1");
            Assert.True(build.ExitCode == 0, build.Output);
            Assert.Contains("warning HMM001: Reading 'Counter._count' requires holding '_gate'; no lock is held", build.Output);
            Assert.Contains("warning HMM002: Writing 'Counter._count' requires holding '_gate'; no lock is held", build.Output);
            using (var document = JsonDocument.Parse(File.ReadAllText(sarif)))
            {
                var run = document.RootElement.GetProperty("runs")[0];
                var result = run.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "HMM001");
                var uri = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
                Assert.EndsWith("Counter.cs", uri);
                var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "HMM001");
                Assert.Equal(RuleIdentifiers.HelpLink("HMM001"), rule.GetProperty("helpUri").GetString());
            }

            var ran = DotNet.Run(consumer, "run", "--nologo", "--no-build");
            Assert.True(ran.ExitCode == 0, ran.Output);
            Assert.Contains("added", ran.Output);

            // .editorconfig turns one rule off, and with warnings as errors the other fails the build.
            File.WriteAllText(Path.Combine(consumer, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.HMM001.severity = none\n");
            var configured = DotNet.Run(consumer, "build", "-nologo", "--no-incremental", "-warnaserror");
            Assert.NotEqual(0, configured.ExitCode);
            Assert.DoesNotContain("HMM001", configured.Output);
            Assert.Contains("error HMM002", configured.Output);
        }
    }
}
