using System.Linq;
using Xunit;

namespace HmmAnalyzers.Tests.Meta
{
    /// <summary>Messages live in the descriptors: every sentence is a format of its own, and an id's descriptors agree on what the rule is.</summary>
    public class DescriptorTests
    {
        [Fact]
        public void NoMessageIsOnlyAPlaceholder()
        {
            foreach (var descriptor in new HmmLockAnalyzer().SupportedDiagnostics)
            {
                var format = descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.False(System.Text.RegularExpressions.Regex.IsMatch(format, @"^\s*\{\d+\}\s*$"), $"{descriptor.Id}: the message format '{format}' builds its sentence elsewhere");
            }
        }

        [Fact]
        public void DescriptorsOfOneIdShareTitleDescriptionCategoryAndSeverity()
        {
            foreach (var group in new HmmLockAnalyzer().SupportedDiagnostics.GroupBy(d => d.Id))
            {
                var first = group.First();
                foreach (var descriptor in group)
                {
                    Assert.Equal(first.Title, descriptor.Title);
                    Assert.Equal(first.Description, descriptor.Description);
                    Assert.Equal(first.Category, descriptor.Category);
                    Assert.Equal(first.DefaultSeverity, descriptor.DefaultSeverity);
                    Assert.Equal(first.HelpLinkUri, descriptor.HelpLinkUri);
                }
            }
        }

        [Fact]
        public void EveryMessageShapeIsDistinct()
        {
            var formats = new HmmLockAnalyzer().SupportedDiagnostics.Select(d => d.Id + ":" + d.MessageFormat).ToList();
            Assert.Equal(formats.Count, formats.Distinct().Count());
        }
    }
}
