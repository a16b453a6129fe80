using System.Collections.Generic;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// A cheap look at a method's operation tree, before any control flow graph is built: does anything in it
    /// (lambdas and local functions included) take, release or assert a lock, touch guarded data, call a method
    /// with a lock contract, drop a reference, or block? Most code does none of these, and then the lockset is
    /// empty everywhere and no rule can fire; only its calls matter, to the lock-order summaries.
    /// </summary>
    internal static class RelevanceScan
    {
        public static bool NeedsFlowAnalysis(IOperation body, AnnotationModel model, List<IMethodSymbol> callees)
        {
            var stack = new Stack<IOperation>();
            stack.Push(body);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                switch (operation)
                {
                    case ILockOperation:
                        return true;
                    case IInvocationOperation invocation:
                        if (IsRelevantCall(invocation.TargetMethod, model))
                        {
                            return true;
                        }

                        callees.Add(invocation.TargetMethod);
                        break;
                    case IObjectCreationOperation { Constructor: { } constructor } when IsRelevantCall(constructor, model):
                        return true;
                    case IFieldReferenceOperation field when !model.GetGuards(field.Field).IsEmpty:
                        return true;
                    case IPropertyReferenceOperation property when !model.GetGuards(property.Property).IsEmpty || HasContract(property.Property, model):
                        return true;
                    case ILocalFunctionOperation { Symbol: { } local } when !model.GetContract(local).IsEmpty:
                        return true;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }

            return false;
        }

        /// <summary>A lock API or a method with a contract; blocking calls (Thread.Sleep, Task.Wait) matter only where a lock is held.</summary>
        private static bool IsRelevantCall(IMethodSymbol method, AnnotationModel model)
            => KnownTypes.Of(method.ContainingType) is KnownType.Monitor or KnownType.Lock or KnownType.ReaderWriterLockSlim or
                   KnownType.SpinLock or KnownType.Mutex or KnownType.SemaphoreSlim or KnownType.WaitHandle ||
               !model.GetContract(method).IsEmpty;

        private static bool HasContract(IPropertySymbol property, AnnotationModel model)
            => (property.GetMethod is { } getter && !model.GetContract(getter).IsEmpty) ||
               (property.SetMethod is { } setter && !model.GetContract(setter).IsEmpty);
    }
}
