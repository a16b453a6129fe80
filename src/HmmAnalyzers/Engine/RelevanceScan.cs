using System;
using System.Collections.Generic;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>How much of the engine a method needs.</summary>
    internal enum AnalysisNeed
    {
        /// <summary>Nothing in it touches a lock, guarded data or a lock contract: no rule can fire.</summary>
        None,

        /// <summary>Its control flow is made of statements: the structured driver follows it over the operation tree.</summary>
        Structured,

        /// <summary>goto, labels, <c>await foreach</c>/<c>await using</c>, or a lock changed inside an expression's branch: the control flow graph.</summary>
        Flow,
    }

    /// <summary>
    /// A cheap look at a method's operation tree, before any control flow graph is built. Most code touches no
    /// lock at all; nearly all of the rest has statement-shaped control flow, which the structured driver follows
    /// over the tree. Only the remaining methods pay for Roslyn's control flow graph.
    /// </summary>
    internal static class RelevanceScan
    {
        /// <summary>Where an operation is evaluated, as far as the structured driver is concerned.</summary>
        private enum Context : byte
        {
            /// <summary>Always, when its statement runs.</summary>
            Normal,

            /// <summary>As (part of) a statement's branch condition, whose <c>&amp;&amp;</c>, <c>||</c> and <c>!</c> the driver follows.</summary>
            Condition,

            /// <summary>On one branch of an expression (<c>?:</c>, <c>?.</c>, <c>??</c>, a switch arm, a short-circuit operand): a lock change here needs the graph.</summary>
            Branch,
        }

        /// <summary>The scan's work list, kept per thread: the scan runs for every method body of the compilation.</summary>
        [ThreadStatic]
        private static Stack<(IOperation Operation, Context Context, bool InFunction)>? _stack;

        /// <param name="observed">
        /// When given, receives the references to unannotated fields and auto-properties of <paramref name="ownType"/>
        /// (<see cref="Observation.Watches"/>) met before the method is known to be relevant: for a method found
        /// irrelevant, they are every such access, all without a lock.
        /// </param>
        public static AnalysisNeed Classify(
            IOperation body, MethodContract contract, AnnotationModel model, List<IMethodSymbol> callees, List<IOperation>? observed = null, INamedTypeSymbol? ownType = null)
        {
            var relevant = !contract.IsEmpty;
            var needsGraph = false;
            var stack = _stack ??= new Stack<(IOperation Operation, Context Context, bool InFunction)>();
            stack.Clear();
            stack.Push((body, Context.Normal, false));
            while (stack.Count > 0)
            {
                var (operation, context, inFunction) = stack.Pop();
                if (observed is not null && !relevant && operation is IMemberReferenceOperation reference &&
                    operation.Kind is OperationKind.FieldReference or OperationKind.PropertyReference && Observation.Watches(reference.Member, reference.Instance, ownType))
                {
                    observed.Add(operation);
                }

                Inspect(operation, context, inFunction, model, callees, ref relevant, ref needsGraph);
                var function = inFunction || operation.Kind is OperationKind.AnonymousFunction or OperationKind.LocalFunction;
                foreach (var child in operation.ChildOperations)
                {
                    stack.Push((child, ChildContext(operation, child, context), function));
                }
            }

            return !relevant ? AnalysisNeed.None : needsGraph ? AnalysisNeed.Flow : AnalysisNeed.Structured;
        }

        /// <summary>What one operation says: that the method is relevant, or that it needs the graph; calls are recorded.</summary>
        private static void Inspect(
            IOperation operation, Context context, bool inFunction, AnnotationModel model, List<IMethodSymbol> callees, ref bool relevant, ref bool needsGraph)
        {
            switch (operation.Kind)
            {
                case OperationKind.Labeled:
                case OperationKind.Branch when ((IBranchOperation)operation).BranchKind == BranchKind.GoTo:
                case OperationKind.Loop when operation is IForEachLoopOperation { IsAsynchronous: true }:
                case OperationKind.Using when ((IUsingOperation)operation).IsAsynchronous:
                case OperationKind.UsingDeclaration when ((IUsingDeclarationOperation)operation).IsAsynchronous:
                    needsGraph = true;
                    break;
                case OperationKind.Lock:
                    relevant = true;
                    break;

                // Once the method is known to be relevant, only what sends it to the graph matters (a lock change on
                // one branch of an expression), and its calls are recorded by the analysis itself.
                case OperationKind.Invocation when !relevant || context is Context.Branch:
                    var invocation = (IInvocationOperation)operation;
                    var method = invocation.TargetMethod;
                    var called = model.GetContract(method);
                    var changes = LockApiTable.MayChangeLocks(method, invocation.Instance?.Type) || ChangesState(called);
                    relevant |= changes || !called.IsEmpty;
                    needsGraph |= context is Context.Branch && (changes || LockApi.IsDispose(method));

                    // A lambda may run later or elsewhere: its calls are not this method's for lock order.
                    if (!inFunction)
                    {
                        callees.Add(method);
                    }

                    break;
                case OperationKind.ObjectCreation when (!relevant || context is Context.Branch) && ((IObjectCreationOperation)operation).Constructor is { } constructor:
                    var created = model.GetContract(constructor);
                    relevant |= !created.IsEmpty;
                    needsGraph |= context is Context.Branch && ChangesState(created);
                    break;
                case OperationKind.Binary or OperationKind.Unary or OperationKind.CompoundAssignment or OperationKind.Increment or OperationKind.Decrement
                    or OperationKind.Conversion when !relevant && UserOperator.Of(operation) is { } userOperator && !model.GetContract(userOperator).IsEmpty:
                    relevant = true;
                    break;
                case OperationKind.SimpleAssignment when context == Context.Branch &&
                    ((ISimpleAssignmentOperation)operation).Target is ILocalReferenceOperation { Local.Type.SpecialType: SpecialType.System_Boolean }:
                    needsGraph = true;
                    break;
                case OperationKind.FieldReference when !relevant && !model.GetGuards(((IFieldReferenceOperation)operation).Field).IsEmpty:
                    relevant = true;
                    break;
                case OperationKind.PropertyReference when !relevant && ((IPropertyReferenceOperation)operation).Property is var property &&
                    (!model.GetGuards(property).IsEmpty || HasContract(property, model)):
                    relevant = true;
                    break;
            }
        }

        private static Context ChildContext(IOperation parent, IOperation child, Context context)
        {
            if (parent.Kind is OperationKind.AnonymousFunction or OperationKind.LocalFunction)
            {
                return Context.Normal;
            }

            if (context is Context.Branch)
            {
                return Context.Branch;
            }

            switch (parent.Kind)
            {
                case OperationKind.Conditional:
                    var conditional = (IConditionalOperation)parent;
                    return conditional.Syntax is IfStatementSyntax
                        ? child == conditional.Condition ? Context.Condition : Context.Normal
                        : Context.Branch;
                case OperationKind.Loop:
                    return parent switch
                    {
                        IWhileLoopOperation loop when child == loop.Condition => Context.Condition,
                        IForLoopOperation loop when child == loop.Condition => Context.Condition,
                        _ => Context.Normal,
                    };
                case OperationKind.Binary:
                    return parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr, OperatorMethod: null }
                        ? context == Context.Condition ? Context.Condition : Context.Branch
                        : Context.Normal;
                case OperationKind.Unary:
                    return parent is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } ? context : Context.Normal;
                case OperationKind.Conversion or OperationKind.Await:
                    return context;
                case OperationKind.SwitchExpressionArm or OperationKind.CaseClause:
                    return Context.Branch;
                case OperationKind.Coalesce:
                    return child == ((ICoalesceOperation)parent).Value ? Context.Normal : Context.Branch;
                case OperationKind.CoalesceAssignment:
                    return child == ((ICoalesceAssignmentOperation)parent).Target ? Context.Normal : Context.Branch;
                case OperationKind.ConditionalAccess:
                    return child == ((IConditionalAccessOperation)parent).Operation ? Context.Normal : Context.Branch;
                default:
                    return Context.Normal;
            }
        }

        /// <summary>A contract that changes the state along the way: acquires, releases, assertions, drops, deferred frees.</summary>
        private static bool ChangesState(MethodContract contract)
            => contract.ChangesLocks || !contract.Asserts.IsEmpty || contract.ChangesReferences;

        private static bool HasContract(IPropertySymbol property, AnnotationModel model)
            => (property.GetMethod is { } getter && !model.GetContract(getter).IsEmpty) ||
               (property.SetMethod is { } setter && !model.GetContract(setter).IsEmpty);
    }
}
