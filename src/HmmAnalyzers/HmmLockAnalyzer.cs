using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using HmmAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace HmmAnalyzers
{
    /// <summary>
    /// Runs the lockset engine once per method and hands its facts to every rule. One engine, many rules:
    /// the rules in <c>Rules/</c> only read facts.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HmmLockAnalyzer : DiagnosticAnalyzer
    {
        private static readonly ImmutableArray<LockRule> AllRules = ImmutableArray.Create<LockRule>(
            new HMM001GuardedReadRule(),
            new HMM002GuardedWriteRule(),
            new HMM003MissingRequiredLockRule(),
            new HMM004DoubleAcquireRule(),
            new HMM005LockNotReleasedRule(),
            new HMM006ReleaseNotHeldRule(),
            new HMM007DeclaredOrderRule(),
            new HMM008SleepInAtomicRule(),
            new HMM009AwaitWhileHeldRule(),
            new HMM010MissingAssertionRule(),
            new HMM011WeakAssertionRule(),
            new HMM012LockOrderCycleRule(),
            new HMM013InconsistentSynchronizationRule(),
            new HMM020UseAfterDropRule(),
            new HMM021DoubleDropRule(),
            new HMM022DropBeforeGracePeriodRule(),
            new HMM090UnresolvedReferenceRule(),
            new HMM092NotALockRule());

        /// <summary>Whether every method that needs the dataflow goes through the control flow graph (for comparing the two drivers).</summary>
        private readonly bool _flowGraphOnly;

        /// <summary>Whether the syntax pre-filter leaves the members that cannot matter unbound (off only to compare results with and without it).</summary>
        private readonly bool _syntaxFilter = true;

        public HmmLockAnalyzer()
        {
        }

        internal HmmLockAnalyzer(bool flowGraphOnly = false, bool syntaxFilter = true)
        {
            _flowGraphOnly = flowGraphOnly;
            _syntaxFilter = syntaxFilter;
        }

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            AllRules.SelectMany(r => r.Descriptors).ToImmutableArray();

        public override void Initialize(AnalysisContext context)
        {
            // Generated code is not analyzed. Every diagnostic lies in the declaration being analyzed, so none can fall
            // in generated code; reporting without the driver's generated-code filter spares its per-file walk for
            // [GeneratedCode] attributes on the first report in each file.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var model = new AnnotationModel(start.Compilation);
                var filter = _syntaxFilter ? new SyntaxFilter(start.Compilation) : null;

                // The names the pre-filter reads are found here, once, before any member's action runs (found on first use,
                // every concurrent action would wait for them).
                var clock = EngineTelemetry.Start();
                filter?.Prepare(start.CancellationToken);
                EngineTelemetry.Stop(Phase.Index, clock);
                var lockOrder = new LockOrderGraph(model, filter is null ? null : new UnvisitedCallees(start.Compilation, model).Of);

                // One set of facts per type, and each type-level diagnostic once: should the driver start a type twice
                // (concurrent analysis of a partial type's declarations), the two starts share what they gather.
                var types = new ConcurrentDictionary<INamedTypeSymbol, TypeFacts>(SymbolEqualityComparer.Default);
                var typeReports = new ConcurrentDictionary<(string, string?, TextSpan), byte>();

                // Per type, so that what the rules read across a type (inferred guards) is ready when its last member is done,
                // also in the editor's per-document analysis. A nested type's members are also members of its containing
                // types, whose actions skip them.
                start.RegisterSymbolStartAction(
                    typeStart =>
                    {
                        var type = (INamedTypeSymbol)typeStart.Symbol;

                        // A type none of whose members may matter gets no action: the driver need not hand us its members.
                        var clock = EngineTelemetry.Start();
                        var unbound = 0;
                        var typeMayMatter = filter is null || filter.MayMatter(type, typeStart.CancellationToken, out unbound);
                        EngineTelemetry.Stop(Phase.Index, clock);
                        if (!typeMayMatter)
                        {
                            EngineTelemetry.Count(Route.Filtered, unbound);
                            return;
                        }

                        var typeFacts = types.GetOrAdd(type, t => new TypeFacts(t));
                        typeStart.RegisterCodeBlockAction(block =>
                        {
                            if (SymbolEqualityComparer.Default.Equals(block.OwningSymbol.ContainingType, type))
                            {
                                AnalyzeBlock(block, model, lockOrder, typeFacts, filter, _flowGraphOnly);
                            }
                        });
                        typeStart.RegisterSymbolEndAction(end =>
                        {
                            // The facts are read once here and then let go, not kept until the compilation ends.
                            types.TryRemove(type, out _);
                            AnalyzeTypeEnd(end, model, typeFacts, typeReports);
                        });
                    },
                    SymbolKind.NamedType);
                start.RegisterCompilationEndAction(end => AnalyzeCompilationEnd(end, model, lockOrder));
                start.RegisterSymbolAction(
                    symbol =>
                    {
                        try
                        {
                            AnalyzeSymbol(symbol, model, filter);
                        }
                        catch (Exception exception) when (exception is not OperationCanceledException)
                        {
                            throw Failure(symbol.Symbol, exception);
                        }
                    },
                    SymbolKind.Field,
                    SymbolKind.Property,
                    SymbolKind.Method);
            });
        }

        private static void AnalyzeBlock(
            CodeBlockAnalysisContext context, AnnotationModel model, LockOrderGraph lockOrder, TypeFacts typeFacts, SyntaxFilter? filter, bool flowGraphOnly)
        {
            if (context.OwningSymbol is not IMethodSymbol method)
            {
                return;
            }

            try
            {
                // What the syntax shows cannot matter is never bound.
                var clock = EngineTelemetry.Start();
                var mayMatter = filter?.MayMatter(context.CodeBlock, typeFacts, context.CancellationToken) ?? true;
                EngineTelemetry.Stop(Phase.Index, clock);
                if (!mayMatter)
                {
                    EngineTelemetry.Count(Route.Filtered);
                    return;
                }

                var contract = model.GetContract(method);
                if (contract.IsNotAnalyzed)
                {
                    return;
                }

                clock = EngineTelemetry.Start();
                var body = context.SemanticModel.GetOperation(context.CodeBlock, context.CancellationToken);
                EngineTelemetry.Stop(Phase.Operations, clock);
                if (MethodAnalysis.IsBody(body))
                {
                    AnalyzeBody(context, model, lockOrder, typeFacts, flowGraphOnly, method, contract, body!);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw Failure(method, exception);
            }
        }

        private static void AnalyzeBody(
            CodeBlockAnalysisContext context,
            AnnotationModel model,
            LockOrderGraph lockOrder,
            TypeFacts typeFacts,
            bool flowGraphOnly,
            IMethodSymbol method,
            MethodContract contract,
            IOperation body)
        {
            var clock = EngineTelemetry.Start();
            var callees = new List<IMethodSymbol>();
            var observed = new List<IOperation>();
            var need = RelevanceScan.Classify(body, contract, model, callees, observed, method.ContainingType);
            EngineTelemetry.Stop(Phase.Scan, clock);
            if (need == AnalysisNeed.None)
            {
                lockOrder.RecordCalls(method, callees);
                typeFacts.Add(method, observed, callees);
                EngineTelemetry.Count(Route.Skipped);
                return;
            }

            var nameLocation = method.Locations.FirstOrDefault(l => l.IsInSource) ?? body.Syntax.GetLocation();
            List<MethodFacts>? results = null;
            var route = Route.Graph;
            if (need == AnalysisNeed.Structured && !flowGraphOnly)
            {
                clock = EngineTelemetry.Start();
                results = MethodAnalysis.RunStructured(model, body, method, nameLocation, context.CancellationToken);
                EngineTelemetry.Stop(Phase.Structured, clock);
                route = results is null ? Route.FellBack : Route.Structured;
            }

            if (results is null)
            {
                clock = EngineTelemetry.Start();
                var graph = FlowGraph(body, context.CancellationToken);
                EngineTelemetry.Stop(Phase.FlowGraph, clock);
                clock = EngineTelemetry.Start();
                results = MethodAnalysis.Run(model, graph, method, nameLocation, context.CancellationToken);
                EngineTelemetry.Stop(Phase.GraphDriver, clock);
            }

            EngineTelemetry.Count(route);
            clock = EngineTelemetry.Start();
            var ruleContext = new RuleContext(context.ReportDiagnostic, model, context.Options.AnalyzerConfigOptionsProvider, body.Syntax.SyntaxTree);
            foreach (var facts in results)
            {
                lockOrder.Record(facts);
                typeFacts.Add(facts);
                foreach (var rule in AllRules)
                {
                    rule.AnalyzeMethod(facts, ruleContext);
                }
            }

            EngineTelemetry.Stop(Phase.Rules, clock);
        }

        private static void AnalyzeTypeEnd(
            SymbolAnalysisContext context, AnnotationModel model, TypeFacts typeFacts, ConcurrentDictionary<(string, string?, TextSpan), byte> reported)
        {
            var clock = EngineTelemetry.Start();
            try
            {
                void Report(Diagnostic diagnostic)
                {
                    if (reported.TryAdd((diagnostic.Id, diagnostic.Location.SourceTree?.FilePath, diagnostic.Location.SourceSpan), 0))
                    {
                        context.ReportDiagnostic(diagnostic);
                    }
                }

                // A type's options are those of the file of its first declaration.
                var tree = context.Symbol.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree;
                var ruleContext = new RuleContext(Report, model, context.Options.AnalyzerConfigOptionsProvider, tree);
                foreach (var rule in AllRules)
                {
                    rule.AnalyzeType(typeFacts, ruleContext, context.CancellationToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw Failure(typeFacts.Type, exception);
            }

            EngineTelemetry.Stop(Phase.Inference, clock);
        }

        private static void AnalyzeCompilationEnd(CompilationAnalysisContext context, AnnotationModel model, LockOrderGraph lockOrder)
        {
            var clock = EngineTelemetry.Start();
            try
            {
                var ruleContext = new RuleContext(context.ReportDiagnostic, model);
                foreach (var rule in AllRules)
                {
                    rule.AnalyzeCompilationEnd(lockOrder, ruleContext, context.CancellationToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new InvalidOperationException($"HmmAnalyzers failed at the end of compilation '{context.Compilation.AssemblyName}': {exception.Message}", exception);
            }

            EngineTelemetry.Stop(Phase.CompilationEnd, clock);
        }

        private static ControlFlowGraph FlowGraph(IOperation body, System.Threading.CancellationToken cancellationToken) => body switch
        {
            IMethodBodyOperation method => ControlFlowGraph.Create(method, cancellationToken),
            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
            _ => ControlFlowGraph.Create((IBlockOperation)body, cancellationToken),
        };

        private static void AnalyzeSymbol(SymbolAnalysisContext context, AnnotationModel model, SyntaxFilter? filter)
        {
            // The per-symbol checks are about the locks an annotation names: most symbols have no such annotation, which
            // their names tell without reading their attributes.
            var clock = EngineTelemetry.Start();
            var mayCarry = filter?.MayCarryAnnotations(context.Symbol, context.CancellationToken) ?? true;
            EngineTelemetry.Stop(Phase.Index, clock);
            clock = EngineTelemetry.Start();
            if (mayCarry && !model.AllReferences(context.Symbol).IsEmpty)
            {
                var ruleContext = new RuleContext(context.ReportDiagnostic, model);
                foreach (var rule in AllRules)
                {
                    rule.AnalyzeSymbol(context.Symbol, model, ruleContext);
                }
            }

            EngineTelemetry.Stop(Phase.Symbols, clock);
        }

        /// <summary>An analyzer failure wrapped with the symbol it happened on, so an AD0001 report says where.</summary>
        private static Exception Failure(ISymbol symbol, Exception exception)
        {
            var location = symbol.Locations.FirstOrDefault();
            var where = location?.GetLineSpan().ToString() ?? symbol.ToDisplayString();
            return new InvalidOperationException($"HmmAnalyzers failed on '{symbol.ToDisplayString()}' at {where}: {exception.Message}", exception);
        }
    }
}
