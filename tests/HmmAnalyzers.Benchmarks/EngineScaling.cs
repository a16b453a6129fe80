using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HmmAnalyzers.Benchmarks
{
    /// <summary>
    /// The engine alone, outside the analyzer driver and with no compiler thread next to it: once the declarations are
    /// complete, each method is bound on its own right before it is analyzed (as the driver hands it over), the
    /// relevance scan and the structured driver run, and the time is summed per tenth of the corpus. Flat tenths mean
    /// the engine's cost per method does not grow with the compilation. Each method is analyzed a second time at once,
    /// on the same tree; and every method is then bound afresh and analyzed again with the model's caches full. The
    /// three tell apart what a first visit spends on the analysis, on filling the model's per-symbol caches, and on
    /// a freshly bound tree.
    /// </summary>
    internal static class EngineScaling
    {
        /// <summary>Prints the tenths and returns the first visit's total, in milliseconds.</summary>
        public static double Print(CSharpCompilation compilation, string name)
        {
            var methods = new List<(SyntaxTree Tree, BaseMethodDeclarationSyntax Declaration)>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                methods.AddRange(tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>().Select(m => (tree, m)));
            }

            // The compiler completes the declarations (attributes included) before it hands method bodies to analyzers.
            compilation.GetDeclarationDiagnostics();
            var model = new AnnotationModel(compilation);
            var tenths = new double[10];
            var again = 0.0;
            for (var i = 0; i < methods.Count; i++)
            {
                if (Bind(compilation, methods[i]) is not ({ } body, { } method))
                {
                    continue;
                }

                var start = Stopwatch.GetTimestamp();
                Analyze(model, body, method);
                var first = Stopwatch.GetTimestamp();
                Analyze(model, body, method);
                var second = Stopwatch.GetTimestamp();
                tenths[i * 10 / methods.Count] += Milliseconds(first - start);
                again += Milliseconds(second - first);
            }

            // Every method bound afresh once more (a new semantic model binds it again), with the model's caches now full.
            var rebound = 0.0;
            foreach (var declaration in methods)
            {
                if (Bind(compilation, declaration) is ({ } body, { } method))
                {
                    var start = Stopwatch.GetTimestamp();
                    Analyze(model, body, method);
                    rebound += Milliseconds(Stopwatch.GetTimestamp() - start);
                }
            }

            Console.WriteLine(
                $"engine alone on {name} ({methods.Count} methods, each bound just before it is analyzed): scan and structured driver " +
                $"{tenths.Sum():F0} ms, per tenth of the corpus {string.Join(" ", tenths.Select(t => t.ToString("F0")))} ms; " +
                $"every method bound afresh again, with the model's caches full: {rebound:F0} ms; the same tree analyzed again at once: {again:F0} ms");
            return tenths.Sum();
        }

        private static (IOperation Body, IMethodSymbol Method)? Bind(CSharpCompilation compilation, (SyntaxTree Tree, BaseMethodDeclarationSyntax Declaration) method)
        {
            var semanticModel = compilation.GetSemanticModel(method.Tree);
            return semanticModel.GetOperation(method.Declaration) is { } body && semanticModel.GetDeclaredSymbol(method.Declaration) is IMethodSymbol symbol
                ? (body, symbol)
                : null;
        }

        private static void Analyze(AnnotationModel model, IOperation body, IMethodSymbol method)
        {
            var contract = model.GetContract(method);
            if (RelevanceScan.Classify(body, contract, model, new List<IMethodSymbol>()) == AnalysisNeed.Structured)
            {
                MethodAnalysis.RunStructured(model, body, method, method.Locations[0], default);
            }
        }

        private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    }
}
