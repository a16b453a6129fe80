using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HmmAnalyzers.Tests.Samples;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>The C# sources embedded as verbatim strings in the rule, engine and code-fix tests, with their markup removed.</summary>
    internal static class EmbeddedSources
    {
        private static readonly string[] Folders = { "Rules", "Engine", "CodeFixes" };

        /// <summary>The test files that embed sources, relative to the repository root.</summary>
        public static TheoryData<string> Files()
        {
            var data = new TheoryData<string>();
            foreach (var folder in Folders)
            {
                var files = Directory.GetFiles(Path.Combine(SampleCompilation.RepositoryRoot, "tests", "HmmAnalyzers.Tests", folder), "*.cs")
                    .OrderBy(f => f, StringComparer.Ordinal);
                foreach (var file in files)
                {
                    if (In(file).Count > 0)
                    {
                        data.Add(Path.GetRelativePath(SampleCompilation.RepositoryRoot, file).Replace('\\', '/'));
                    }
                }
            }

            return data;
        }

        /// <summary>The sources embedded in one test file, each a compilation unit.</summary>
        public static List<string> In(string file)
        {
            var text = File.ReadAllText(Path.Combine(SampleCompilation.RepositoryRoot, file));
            return Regex.Matches(text, "@\"((?:[^\"]|\"\")*)\"")
                .Select(m => Regex.Replace(m.Groups[1].Value.Replace("\"\"", "\""), @"\{\|(?:#\d+|HMM\d+):|\|\}", string.Empty))
                .Where(source => source.Contains("class ", StringComparison.Ordinal) || source.Contains("interface ", StringComparison.Ordinal))
                .ToList();
        }
    }
}
