using System.IO;
using System.Linq;
using HmmAnalyzers.Tests.Samples;
using Xunit;

namespace HmmAnalyzers.Tests.Meta
{
    /// <summary>Every rule has a doc page whose title matches its descriptor, a help link to it, and a release entry.</summary>
    public class RuleMetadataTests
    {
        public static TheoryData<string> Ids()
        {
            var data = new TheoryData<string>();
            foreach (var id in new HmmLockAnalyzer().SupportedDiagnostics.Select(d => d.Id).Distinct())
            {
                data.Add(id);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void RuleHasDocPageHelpLinkAndReleaseEntry(string id)
        {
            var descriptor = new HmmLockAnalyzer().SupportedDiagnostics.First(d => d.Id == id);
            var page = Path.Combine(SampleCompilation.RepositoryRoot, "docs", "rules", id + ".md");
            Assert.True(File.Exists(page), "missing " + page);
            Assert.Equal($"# {id} — {descriptor.Title}", File.ReadLines(page).First());
            Assert.Equal(RuleIdentifiers.HelpLink(id), descriptor.HelpLinkUri);
            Assert.EndsWith($"docs/rules/{id}.md", descriptor.HelpLinkUri);
            var releases = File.ReadAllText(Path.Combine(SampleCompilation.RepositoryRoot, "src", "HmmAnalyzers", "AnalyzerReleases.Unshipped.md"));
            Assert.Contains(id + " |", releases);
            Assert.Contains($"[{id}](docs/rules/{id}.md)", File.ReadAllText(Path.Combine(SampleCompilation.RepositoryRoot, "README.md")));
        }
    }
}
