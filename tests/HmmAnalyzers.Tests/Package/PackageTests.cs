using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using HmmAnalyzers.Tests.Samples;
using Xunit;

namespace HmmAnalyzers.Tests.Package
{
    /// <summary>
    /// Packs HmmAnalyzers into a folder feed and builds a fresh consumer project that has only a
    /// PackageReference to it, the way a user meets the analyzer.
    /// </summary>
    public sealed class PackageTests : IDisposable
    {
        private const string Source = @"using HmmAnalyzers.Annotations;

public sealed class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _count;
    public int Get() => _count;
    public void Add() { lock (_gate) { _count++; } }
}
";

        private readonly string _root = Path.Combine(Path.GetTempPath(), "hmm-package-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        [Fact]
        public void ConsumerBuildReportsConfiguresAndWritesSarif()
        {
            var feed = Path.Combine(_root, "feed");
            var consumer = Path.Combine(_root, "consumer");
            Directory.CreateDirectory(consumer);
            var version = "0.1.0-it" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");
            var pack = DotNet.Run(SampleCompilation.RepositoryRoot, "pack", "nuget/HmmAnalyzers.Package.csproj", "-c", "Release", "-o", feed, "-p:Version=" + version);
            Assert.True(pack.ExitCode == 0, pack.Output);

            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $@"<?xml version=""1.0"" encoding=""utf-8""?>
<configuration>
  <packageSources>
    <clear />
    <add key=""local"" value=""{feed}"" />
  </packageSources>
</configuration>
");
            File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <RestorePackagesPath>{Path.Combine(_root, "packages")}</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=""HmmAnalyzers"" Version=""{version}"" />
  </ItemGroup>
</Project>
");
            File.WriteAllText(Path.Combine(consumer, "Counter.cs"), Source);

            // A violation is a warning, and the build succeeds.
            var build = DotNet.Run(consumer, "build", "-nologo");
            Assert.True(build.ExitCode == 0, build.Output);
            Assert.Contains("warning HMM001: Reading 'Counter._count' requires holding '_gate'; no lock is held", build.Output);

            // With warnings as errors it fails.
            var strict = DotNet.Run(consumer, "build", "-nologo", "--no-incremental", "-warnaserror");
            Assert.NotEqual(0, strict.ExitCode);
            Assert.Contains("error HMM001", strict.Output);

            // SARIF carries the rule id, the help link and the location.
            var sarif = Path.Combine(consumer, "out.sarif");
            var logged = DotNet.Run(consumer, "build", "-nologo", "--no-incremental", $"-p:ErrorLog={sarif}%2Cversion=2.1");
            Assert.True(logged.ExitCode == 0, logged.Output);
            using (var document = JsonDocument.Parse(File.ReadAllText(sarif)))
            {
                var run = document.RootElement.GetProperty("runs")[0];
                var result = run.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "HMM001");
                var uri = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
                Assert.EndsWith("Counter.cs", uri);
                var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "HMM001");
                Assert.Equal(RuleIdentifiers.HelpLink("HMM001"), rule.GetProperty("helpUri").GetString());
            }

            // .editorconfig turns it off, or into an error.
            File.WriteAllText(Path.Combine(consumer, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.HMM001.severity = none\n");
            var silenced = DotNet.Run(consumer, "build", "-nologo", "--no-incremental");
            Assert.True(silenced.ExitCode == 0, silenced.Output);
            Assert.DoesNotContain("HMM001", silenced.Output);

            File.WriteAllText(Path.Combine(consumer, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.HMM001.severity = error\n");
            var error = DotNet.Run(consumer, "build", "-nologo", "--no-incremental");
            Assert.NotEqual(0, error.ExitCode);
            Assert.Contains("error HMM001", error.Output);
        }
    }
}
