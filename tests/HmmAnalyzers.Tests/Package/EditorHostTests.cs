using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using HmmAnalyzers.Tests.Samples;
using Xunit;

namespace HmmAnalyzers.Tests.Package
{
    /// <summary>
    /// Squiggles in a real editor host: csharp-ls (the Roslyn-based language server that Neovim, Emacs and Helix use,
    /// from the repository's tool manifest) started over stdio on a project that references the packed package, with
    /// analyzers turned on through its <c>workspace/configuration</c> request. The test opens a file, pulls its
    /// diagnostics until the analyzer's arrive, then edits the file to fix the violation and pulls until it is gone.
    /// </summary>
    [Collection(PackedCollection.Name)]
    public sealed class EditorHostTests
    {
        private const string Broken = @"using HmmAnalyzers.Annotations;

public sealed class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _count;
    public void Add() { _count++; }
}
";

        private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

        private readonly PackedFeed _feed;

        public EditorHostTests(PackedFeed feed) => _feed = feed;

        [Fact]
        public void CsharpLsShowsTheDiagnosticAndDropsItOnceTheEditFixesIt()
        {
            var project = _feed.Project("Editor", "net10.0", PackedFeed.Reference.Private);
            var file = Path.Combine(project, "Counter.cs");
            File.WriteAllText(file, Broken);
            var restore = DotNet.Run(project, "restore");
            Assert.True(restore.ExitCode == 0, restore.Output);
            var tools = DotNet.Run(SampleCompilation.RepositoryRoot, "tool", "restore");
            Assert.True(tools.ExitCode == 0, tools.Output);

            using var server = LanguageServer.Start(
                SampleCompilation.RepositoryRoot,
                "dotnet",
                "tool run csharp-ls",
                section => section switch
                {
                    "csharp" => new JsonObject { ["analyzersEnabled"] = true },
                    "csharp.analyzersEnabled" => true,
                    _ => null,
                });
            var root = new Uri(project + Path.DirectorySeparatorChar).AbsoluteUri.TrimEnd('/');
            server.Request(
                "initialize",
                new JsonObject
                {
                    ["processId"] = Environment.ProcessId,
                    ["rootUri"] = root,
                    ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = root, ["name"] = "Editor" }),
                    ["capabilities"] = new JsonObject
                    {
                        ["workspace"] = new JsonObject { ["configuration"] = true },
                        ["textDocument"] = new JsonObject { ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = false } },
                    },
                },
                Patience);
            server.Notify("initialized", new JsonObject());

            var document = new Uri(file).AbsoluteUri;
            server.Notify("textDocument/didOpen", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = document, ["languageId"] = "csharp", ["version"] = 1, ["text"] = Broken },
            });

            // The write of _count on line 7 (0-based 6), columns 24 to 30.
            var reported = Pull(server, document, found => found is not null);
            Assert.NotNull(reported);
            Assert.Equal("Writing 'Counter._count' requires holding '_gate'; no lock is held", reported!["message"]!.GetValue<string>());
            var range = reported["range"]!;
            Assert.Equal((6, 24, 6, 30), (
                range["start"]!["line"]!.GetValue<int>(),
                range["start"]!["character"]!.GetValue<int>(),
                range["end"]!["line"]!.GetValue<int>(),
                range["end"]!["character"]!.GetValue<int>()));

            var fixedText = Broken.Replace("public void Add() { _count++; }", "public void Add() { lock (_gate) { _count++; } }");
            server.Notify("textDocument/didChange", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = document, ["version"] = 2 },
                ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = fixedText }),
            });
            var remaining = Pull(server, document, found => found is null);
            Assert.Null(remaining);
        }

        /// <summary>Pulls the document's diagnostics until the HMM one (or its absence) satisfies <paramref name="done"/>.</summary>
        private static JsonNode? Pull(LanguageServer server, string document, Func<JsonNode?, bool> done)
        {
            var deadline = DateTime.UtcNow + Patience;
            JsonNode? found = null;
            while (DateTime.UtcNow < deadline)
            {
                var report = server.Request("textDocument/diagnostic", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = document } }, Patience);
                found = (report?["items"] as JsonArray)?.FirstOrDefault(d => d?["code"]?.ToString().StartsWith("HMM", StringComparison.Ordinal) == true);
                if (done(found))
                {
                    return found;
                }

                Thread.Sleep(TimeSpan.FromSeconds(1));
            }

            throw new TimeoutException($"the diagnostics never settled; last HMM diagnostic: {found?.ToJsonString() ?? "none"}; the server wrote: {server.Errors}");
        }
    }
}
