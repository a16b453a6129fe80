using System.Collections.Generic;
using System.IO;
using System.Linq;
using HmmAnalyzers.Tests.Samples;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace HmmAnalyzers.Tests.Meta
{
    /// <summary>The shipped code keeps its own house rules: engine methods a reader can hold in view, lines that fit .editorconfig's limit.</summary>
    public class HouseRulesTests
    {
        private const int MaxEngineMethodLines = 60;
        private const int MaxLineLength = 180;

        [Fact]
        public void NoEngineMethodIsLongerThanSixtyLines()
        {
            var tooLong = new List<string>();
            foreach (var file in Directory.GetFiles(Path.Combine(SampleCompilation.RepositoryRoot, "src", "HmmAnalyzers", "Engine"), "*.cs"))
            {
                var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
                foreach (var member in root.DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax))
                {
                    var span = member.GetLocation().GetLineSpan();
                    var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
                    if (lines > MaxEngineMethodLines)
                    {
                        tooLong.Add($"{Path.GetFileName(file)}:{span.StartLinePosition.Line + 1} ({lines} lines)");
                    }
                }
            }

            Assert.True(tooLong.Count == 0, "longer than " + MaxEngineMethodLines + " lines: " + string.Join(", ", tooLong));
        }

        [Fact]
        public void NoSourceLineIsLongerThanTheEditorConfigLimit()
        {
            var tooLong = new List<string>();
            foreach (var file in Directory.GetFiles(Path.Combine(SampleCompilation.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
                {
                    continue;
                }

                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (lines[i].Length > MaxLineLength)
                    {
                        tooLong.Add($"{Path.GetFileName(file)}:{i + 1} ({lines[i].Length})");
                    }
                }
            }

            Assert.True(tooLong.Count == 0, "longer than " + MaxLineLength + " characters: " + string.Join(", ", tooLong));
        }
    }
}
