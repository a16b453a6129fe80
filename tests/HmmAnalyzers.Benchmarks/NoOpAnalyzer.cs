using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

// A measuring fixture run in-process by the benchmark, never shipped nor loaded by a compiler: the rules for
// analyzer assemblies (target framework, extended analyzer rules, release tracking) do not apply to it.
#pragma warning disable RS1036, RS1041, RS2008

namespace HmmAnalyzers.Benchmarks
{
    /// <summary>
    /// Registers for every type what HmmAnalyzers registers for a type that may matter (a code block action and a type
    /// end action; symbol actions) and does nothing: the build time with it, minus the build time with the compiler
    /// alone, is what the analyzer driver costs any analyzer that looks at every method body; the build time with
    /// HmmAnalyzers minus the time with it is what our work adds over that (negative where the types our pre-filter
    /// leaves without actions save more than our work costs).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class NoOpAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Descriptor = new("NOOP001", "No-op", "No-op", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                start.RegisterSymbolStartAction(
                    type =>
                    {
                        type.RegisterCodeBlockAction(_ => { });
                        type.RegisterSymbolEndAction(_ => { });
                    },
                    SymbolKind.NamedType);
                start.RegisterSymbolAction(_ => { }, SymbolKind.Field, SymbolKind.Property, SymbolKind.Method);
                start.RegisterCompilationEndAction(_ => { });
            });
        }
    }
}
