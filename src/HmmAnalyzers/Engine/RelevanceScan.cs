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

        /// <summary>Lambdas, local functions, goto, or a lock changed inside an expression's branch: the control flow graph.</summary>
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

            /// <summary>Inside a lambda or local function.</summary>
            Function,
        }

        public static AnalysisNeed Classify(IOperation body, MethodContract contract, AnnotationModel model, List<IMethodSymbol> callees)
        {
            var relevant = !contract.IsEmpty;
            var needsGraph = false;
            var stack = new Stack<(IOperation Operation, Context Context)>();
            stack.Push((body, Context.Normal));
            while (stack.Count > 0)
            {
                var (operation, context) = stack.Pop();
                switch (operation)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    case ILabeledOperation or IBranchOperation { BranchKind: BranchKind.GoTo }:
                    case IForEachLoopOperation { IsAsynchronous: true } or IUsingOperation { IsAsynchronous: true } or IUsingDeclarationOperation { IsAsynchronous: true }:
                        needsGraph = true;
                        break;
                    case ILockOperation:
                        relevant = true;
                        break;
                    case IInvocationOperation invocation:
                        var method = invocation.TargetMethod;
                        var called = model.GetContract(method);
                        var changes = IsLockApi(method) || ChangesState(called);
                        relevant |= changes || !called.IsEmpty;
                        needsGraph |= context is Context.Branch or Context.Function && (changes || IsDispose(method));
                        if (context != Context.Function)
                        {
                            callees.Add(method);
                        }

                        break;
                    case IObjectCreationOperation { Constructor: { } constructor }:
                        var created = model.GetContract(constructor);
                        relevant |= !created.IsEmpty;
                        needsGraph |= context is Context.Branch && ChangesState(created);
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local.Type.SpecialType: SpecialType.System_Boolean } } when context == Context.Branch:
                        needsGraph = true;
                        break;
                    case IFieldReferenceOperation field when !model.GetGuards(field.Field).IsEmpty:
                        relevant = true;
                        break;
                    case IPropertyReferenceOperation property when !model.GetGuards(property.Property).IsEmpty || HasContract(property.Property, model):
                        relevant = true;
                        break;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push((child, ChildContext(operation, child, context)));
                }
            }

            return !relevant ? AnalysisNeed.None : needsGraph ? AnalysisNeed.Flow : AnalysisNeed.Structured;
        }

        private static Context ChildContext(IOperation parent, IOperation child, Context context)
        {
            if (context is Context.Function || parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return Context.Function;
            }

            if (context is Context.Branch)
            {
                return Context.Branch;
            }

            switch (parent)
            {
                case IConditionalOperation conditional when conditional.Syntax is IfStatementSyntax:
                    return child == conditional.Condition ? Context.Condition : Context.Normal;
                case IWhileLoopOperation loop:
                    return child == loop.Condition ? Context.Condition : Context.Normal;
                case IForLoopOperation loop:
                    return child == loop.Condition ? Context.Condition : Context.Normal;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr, OperatorMethod: null }:
                    return context == Context.Condition ? Context.Condition : Context.Branch;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } or IConversionOperation or IAwaitOperation:
                    return context;
                case IConditionalOperation or ISwitchExpressionArmOperation or IPatternCaseClauseOperation:
                    return Context.Branch;
                case ICoalesceOperation coalesce:
                    return child == coalesce.Value ? Context.Normal : Context.Branch;
                case ICoalesceAssignmentOperation coalesceAssignment:
                    return child == coalesceAssignment.Target ? Context.Normal : Context.Branch;
                case IConditionalAccessOperation access:
                    return child == access.Operation ? Context.Normal : Context.Branch;
                default:
                    return Context.Normal;
            }
        }

        private static bool IsDispose(IMethodSymbol method) => method.Name == "Dispose" && method.Parameters.IsEmpty;

        /// <summary>The lock APIs, whose acquire/release/try calls change the lockset.</summary>
        private static bool IsLockApi(IMethodSymbol method)
            => KnownTypes.Of(method.ContainingType) is KnownType.Monitor or KnownType.Lock or KnownType.ReaderWriterLockSlim or
                KnownType.SpinLock or KnownType.Mutex or KnownType.SemaphoreSlim or KnownType.WaitHandle;

        /// <summary>A contract that changes the state along the way: acquires, releases, assertions, drops, deferred frees.</summary>
        private static bool ChangesState(MethodContract contract)
            => contract.ChangesLocks || !contract.Asserts.IsEmpty || contract.ChangesReferences;

        private static bool HasContract(IPropertySymbol property, AnnotationModel model)
            => (property.GetMethod is { } getter && !model.GetContract(getter).IsEmpty) ||
               (property.SetMethod is { } setter && !model.GetContract(setter).IsEmpty);
    }
}
