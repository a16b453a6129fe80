using System.Collections.Immutable;
using System.Threading;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>A rule reads the engine's facts about a method (or an annotated symbol) and reports; it never walks code itself.</summary>
    internal abstract class LockRule
    {
        public abstract ImmutableArray<DiagnosticDescriptor> Descriptors { get; }

        public virtual void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
        }

        /// <summary>Checks a field, property or method whose annotations name at least one lock (others are not passed in).</summary>
        public virtual void AnalyzeSymbol(ISymbol symbol, AnnotationModel model, RuleContext context)
        {
        }

        /// <summary>When every member of a type has been analyzed, reads what the engine gathered across the type.</summary>
        public virtual void AnalyzeType(TypeFacts type, RuleContext context, CancellationToken cancellationToken)
        {
        }

        /// <summary>At the end of the compilation, reads what the engine gathered across it (the lock order graph).</summary>
        public virtual void AnalyzeCompilationEnd(LockOrderGraph lockOrder, RuleContext context, CancellationToken cancellationToken)
        {
        }
    }
}
