using System.Collections.Generic;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>How much of the engine a method needs.</summary>
    internal enum AnalysisNeed
    {
        /// <summary>Nothing in it touches a lock, guarded data or a lock contract: no rule can fire.</summary>
        None,

        /// <summary>Locks are taken only by <c>lock</c> statements: the lockset follows the syntax, no control flow graph is needed.</summary>
        Structured,

        /// <summary>Explicit acquire/release calls, scopes, try-acquires, assertions, drops, lambdas: the full dataflow.</summary>
        Flow,
    }

    /// <summary>
    /// A cheap look at a method's operation tree, before any control flow graph is built. Most code touches no
    /// lock at all; much of the rest takes locks only with <c>lock</c> statements, whose lockset is the syntax's
    /// nesting. Only the remaining methods pay for Roslyn's control flow graph.
    /// </summary>
    internal static class RelevanceScan
    {
        public static AnalysisNeed Classify(IOperation body, MethodContract contract, AnnotationModel model, List<IMethodSymbol> callees)
        {
            if (contract.ChangesLocks)
            {
                return AnalysisNeed.Flow;
            }

            var need = contract.IsEmpty ? AnalysisNeed.None : AnalysisNeed.Structured;
            var stack = new Stack<IOperation>();
            stack.Push(body);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                switch (operation)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation or IUsingDeclarationOperation:
                        return AnalysisNeed.Flow;
                    case IInvocationOperation or IObjectCreationOperation when OpensScopeOfUsing(operation, model):
                        need = AnalysisNeed.Structured;
                        break;
                    case ILockOperation:
                        need = AnalysisNeed.Structured;
                        break;
                    case IInvocationOperation invocation:
                        var method = invocation.TargetMethod;
                        var called = model.GetContract(method);
                        if (IsLeadingAssertion(invocation, called, body))
                        {
                            need = AnalysisNeed.Structured;
                            break;
                        }

                        if (IsLockApi(method) || ChangesState(called))
                        {
                            return AnalysisNeed.Flow;
                        }

                        if (!called.IsEmpty)
                        {
                            need = AnalysisNeed.Structured;
                        }

                        callees.Add(method);
                        break;
                    case IObjectCreationOperation { Constructor: { } constructor }:
                        var created = model.GetContract(constructor);
                        if (ChangesState(created))
                        {
                            return AnalysisNeed.Flow;
                        }

                        need = created.IsEmpty ? need : AnalysisNeed.Structured;
                        break;
                    case IFieldReferenceOperation field when !model.GetGuards(field.Field).IsEmpty:
                        need = AnalysisNeed.Structured;
                        break;
                    case IPropertyReferenceOperation property when !model.GetGuards(property.Property).IsEmpty || HasContract(property.Property, model):
                        need = AnalysisNeed.Structured;
                        break;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }

            return need;
        }

        /// <summary>
        /// <c>l.EnterScope()</c> or a <c>[ScopedLock]</c> guard as the resource of a <c>using</c> statement: the scope is
        /// the statement's body, which the structured driver follows.
        /// </summary>
        private static bool OpensScopeOfUsing(IOperation operation, AnnotationModel model)
        {
            var parent = operation.Parent;
            while (parent is IConversionOperation or IVariableInitializerOperation or IVariableDeclaratorOperation or IVariableDeclarationOperation or IVariableDeclarationGroupOperation)
            {
                parent = parent.Parent;
            }

            if (parent is not IUsingOperation)
            {
                return false;
            }

            return operation switch
            {
                IInvocationOperation { TargetMethod: { Name: "EnterScope" } method } => KnownTypes.Of(method.ContainingType) == KnownType.Lock,
                IInvocationOperation { TargetMethod: var factory } => model.IsScopedLockType(factory.ReturnType) && OnlyAcquires(model.GetContract(factory)),
                IObjectCreationOperation { Constructor: { } constructor } => model.IsScopedLockType(constructor.ContainingType) && OnlyAcquires(model.GetContract(constructor)),
                _ => false,
            };
        }

        /// <summary>
        /// An assertion that is a statement of the method's own body (not inside a branch or loop): every statement
        /// after it in source order runs after it, so the structured walk may add its fact from there on.
        /// </summary>
        private static bool IsLeadingAssertion(IInvocationOperation invocation, MethodContract contract, IOperation body)
            => !contract.Asserts.IsEmpty && !contract.ChangesLocks && !contract.ChangesReferences &&
               invocation.Parent is IExpressionStatementOperation statement && statement.Parent == body;

        private static bool OnlyAcquires(MethodContract contract)
            => !contract.Acquires.IsEmpty && contract.Releases.IsEmpty && contract.TryAcquires.IsEmpty && contract.Asserts.IsEmpty && !contract.ChangesReferences;

        /// <summary>The lock APIs, whose acquire/release/try calls need the dataflow.</summary>
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
