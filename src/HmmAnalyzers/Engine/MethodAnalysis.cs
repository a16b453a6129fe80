using System;
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
        /// <summary>
        /// Whether <paramref name="operation"/> is what binding a member's declaration gives for its body: a method's or
        /// accessor's <c>IMethodBodyOperation</c>, a constructor's <c>IConstructorBodyOperation</c>, an expression-bodied
        /// property's root block. The drivers start from these.
        /// </summary>
        public static bool IsBody(IOperation? operation)
            => operation is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation { Parent: null };

        /// <summary>Runs the graph driver over a method's control flow graph and over the graphs of its nested functions.</summary>
        public static List<MethodFacts> Run(AnnotationModel model, ControlFlowGraph cfg, IMethodSymbol method, Location nameLocation, CancellationToken cancellationToken)
        {
            var results = new List<MethodFacts>();
            RunGraph(
                () =>
                {
                    var transfer = Root(model, cfg.OriginalOperation, method, nameLocation, overGraph: true);
                    return (transfer, transfer.Entry(FlowState.Empty, nameLocation));
                },
                cfg,
                results,
                cancellationToken);
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

        /// <summary>A factory that gives <paramref name="first"/> once, then what <paramref name="then"/> makes.</summary>
        private static Func<T> FirstThen<T>(T first, Func<T> then)
        {
            var given = false;
            return () =>
            {
                if (given)
                {
                    return then();
                }

                given = true;
                return first;
            };
        }

        /// <summary>How many times a graph is run again from widened loop heads before its last run is kept.</summary>
        private const int MaxWidenings = 3;

        /// <summary>
        /// Runs the graph driver from a fresh transfer (<paramref name="start"/>), again from widened loop heads while a run
        /// asks for it (each run's facts replace the last's), then the nested functions of the last run.
        /// </summary>
        private static void RunGraph(
            Func<(LockTransfer Transfer, FlowState Entry)> start, ControlFlowGraph cfg, List<MethodFacts> results, CancellationToken cancellationToken)
        {
            var (transfer, entry) = start();
            var driver = new GraphDriver(transfer, cfg, cancellationToken);
            driver.Run(entry);
            Dictionary<int, FlowState>? widened = null;
            for (var run = 0; driver.Widenings is { } more && run < MaxWidenings; run++)
            {
                widened ??= new Dictionary<int, FlowState>();
                foreach (var head in more)
                {
                    widened[head.Key] = widened.TryGetValue(head.Key, out var earlier) ? FlowState.Merge(new[] { earlier, head.Value }, null) : head.Value;
                }

                (transfer, entry) = start();
                driver = new GraphDriver(transfer, cfg, cancellationToken, widened);
                driver.Run(entry);
            }

            ExceptionExits.Find(transfer.Facts);
            results.Add(transfer.Facts);
            foreach (var (function, state) in transfer.Lambdas)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (function is IFlowAnonymousFunctionOperation lambda)
                {
                    var graph = cfg.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken);
                    var parent = transfer;
                    (LockTransfer, FlowState)? Start() => Nested(parent, graph.OriginalOperation, lambda.Symbol, state, lambda.Syntax.GetLocation(), overGraph: true);
                    if (Start() is { } nested)
                    {
                        RunGraph(FirstThen(nested, () => Start()!.Value), graph, results, cancellationToken);
                    }
                }
            }

            foreach (var localFunction in cfg.LocalFunctions)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var graph = cfg.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken);
                var location = localFunction.Locations.FirstOrDefault() ?? graph.OriginalOperation.Syntax.GetLocation();
                var parent = transfer;
                var callers = transfer.CallersState(localFunction);
                (LockTransfer, FlowState)? Start() => Nested(parent, graph.OriginalOperation, localFunction, callers, location, overGraph: true);
                if (Start() is { } nested)
                {
                    RunGraph(FirstThen(nested, () => Start()!.Value), graph, results, cancellationToken);
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

            ExceptionExits.Find(transfer.Facts);
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
