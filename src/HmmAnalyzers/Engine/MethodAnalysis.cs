using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The engine's entry: analyzes a method with one driver, then each lambda and local function in it on its own,
    /// from the state where it is created or called, with the same driver. Each function gets its own
    /// <see cref="LockTransfer"/> (its context and facts) and its own driver (its bookkeeping).
    /// </summary>
    internal static class MethodAnalysis
    {
        /// <summary>Runs the graph driver over a method's control flow graph and over the graphs of its nested functions.</summary>
        public static List<MethodFacts> Run(AnnotationModel model, ControlFlowGraph cfg, IMethodSymbol method, Location nameLocation, CancellationToken cancellationToken)
        {
            var transfer = Root(model, cfg.OriginalOperation, method, nameLocation, overGraph: true);
            var results = new List<MethodFacts>();
            RunGraph(transfer, cfg, transfer.Entry(FlowState.Empty, nameLocation), results, cancellationToken);
            return results;
        }

        /// <summary>
        /// Runs the tree driver on a method body and its nested functions; null when some function needs the control
        /// flow graph (see <see cref="TreeDriver"/>), in which case nothing it collected is kept.
        /// </summary>
        public static List<MethodFacts>? RunStructured(AnnotationModel model, IOperation body, IMethodSymbol method, Location nameLocation, CancellationToken cancellationToken)
        {
            var transfer = Root(model, body, method, nameLocation, overGraph: false);
            var results = new List<MethodFacts>();
            return RunTree(transfer, body, transfer.Entry(FlowState.Empty, nameLocation), isRoot: true, results, cancellationToken) ? results : null;
        }

        private static LockTransfer Root(AnnotationModel model, IOperation root, IMethodSymbol method, Location nameLocation, bool overGraph)
            => new(model, new MethodFacts(method, model.GetContract(method), root, nameLocation, isNested: false), overGraph, outerAliases: null);

        private static void RunGraph(LockTransfer transfer, ControlFlowGraph cfg, FlowState entry, List<MethodFacts> results, CancellationToken cancellationToken)
        {
            new GraphDriver(transfer, cfg, cancellationToken).Run(entry);
            results.Add(transfer.Facts);
            foreach (var (function, state) in transfer.Lambdas)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (function is IFlowAnonymousFunctionOperation lambda)
                {
                    var graph = cfg.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken);
                    if (Nested(transfer, graph.OriginalOperation, lambda.Symbol, state, lambda.Syntax.GetLocation(), overGraph: true) is { } nested)
                    {
                        RunGraph(nested.Transfer, graph, nested.Entry, results, cancellationToken);
                    }
                }
            }

            foreach (var localFunction in cfg.LocalFunctions)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var graph = cfg.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken);
                var location = localFunction.Locations.FirstOrDefault() ?? graph.OriginalOperation.Syntax.GetLocation();
                if (Nested(transfer, graph.OriginalOperation, localFunction, transfer.CallersState(localFunction), location, overGraph: true) is { } nested)
                {
                    RunGraph(nested.Transfer, graph, nested.Entry, results, cancellationToken);
                }
            }
        }

        private static bool RunTree(LockTransfer transfer, IOperation body, FlowState entry, bool isRoot, List<MethodFacts> results, CancellationToken cancellationToken)
        {
            var driver = new TreeDriver(transfer, cancellationToken);
            if (!driver.RunToExit(body, entry, isRoot))
            {
                return false;
            }

            results.Add(transfer.Facts);
            foreach (var (function, state) in transfer.Lambdas)
            {
                if (function is IAnonymousFunctionOperation lambda &&
                    !RunTreeChild(transfer, lambda, lambda.Symbol, lambda.Body, state, lambda.Syntax.GetLocation(), results, cancellationToken))
                {
                    return false;
                }
            }

            foreach (var localFunction in driver.LocalFunctions)
            {
                var symbol = localFunction.Symbol;
                var location = symbol.Locations.FirstOrDefault() ?? localFunction.Syntax.GetLocation();
                if (localFunction.IgnoredBody is not null ||
                    !RunTreeChild(transfer, localFunction, symbol, localFunction.Body, transfer.CallersState(symbol), location, results, cancellationToken))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool RunTreeChild(
            LockTransfer parent,
            IOperation root,
            IMethodSymbol symbol,
            IBlockOperation? body,
            FlowState inherited,
            Location location,
            List<MethodFacts> results,
            CancellationToken cancellationToken)
        {
            if (Nested(parent, root, symbol, inherited, location, overGraph: false) is not { } nested)
            {
                return true;
            }

            return body is not null && RunTree(nested.Transfer, body, nested.Entry, isRoot: false, results, cancellationToken);
        }

        /// <summary>
        /// The transfer functions of a lambda or local function and its entry state, from what it inherits and what its
        /// own contract says; null when it opts out of lock analysis.
        /// </summary>
        private static (LockTransfer Transfer, FlowState Entry)? Nested(
            LockTransfer parent, IOperation root, IMethodSymbol symbol, FlowState inherited, Location location, bool overGraph)
        {
            var contract = parent.Model.GetContract(symbol);
            if (contract.NoLockAnalysis)
            {
                return null;
            }

            var facts = new MethodFacts(symbol, contract, root, location, isNested: true);
            var child = new LockTransfer(parent.Model, facts, overGraph, parent.Aliases);
            return (child, child.Entry(LockTransfer.Inherited(inherited), location));
        }
    }
}
