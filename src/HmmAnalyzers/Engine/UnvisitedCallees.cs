using System.Collections.Generic;
using System.Threading;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The calls of a method that the syntax pre-filter left unbound, read when the lock order finds that a call made
    /// under a lock reaches it: the method is bound then, on its own, and only its calls are read (the relevance scan,
    /// as for any method that takes no lock).
    /// </summary>
    internal sealed class UnvisitedCallees
    {
        private readonly Compilation _compilation;
        private readonly AnnotationModel _model;
        private readonly Dictionary<SyntaxTree, SemanticModel> _semanticModels = new();

        public UnvisitedCallees(Compilation compilation, AnnotationModel model)
        {
            _compilation = compilation;
            _model = model;
        }

        public IReadOnlyList<IMethodSymbol> Of(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var contract = _model.GetContract(method);
            var callees = new List<IMethodSymbol>();
            if (contract.IsNotAnalyzed || method.IsImplicitlyDeclared)
            {
                return callees;
            }

            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var tree = reference.SyntaxTree;
                if (!_semanticModels.TryGetValue(tree, out var semanticModel))
                {
#pragma warning disable RS1030 // At the compilation's end no semantic model of the driver's is at hand; only the few methods the lock order reaches are bound here.
                    _semanticModels[tree] = semanticModel = _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                }

                var body = semanticModel.GetOperation(reference.GetSyntax(cancellationToken), cancellationToken);
                if (MethodAnalysis.IsBody(body))
                {
                    RelevanceScan.Classify(body!, contract, _model, callees);
                }
            }

            return callees;
        }
    }
}
