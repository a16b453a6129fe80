using System.Collections.Generic;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// Where an object a function created becomes visible to other code: the first use of the local that holds it
    /// that hands it on. Until then no other thread can reach it, so its guarded members need no lock (object
    /// initializers, set-up calls on it); from then on they do. A use hands the object on unless it only reads or
    /// calls through it (<c>a.X</c>, <c>a.Run()</c>), compares or tests it, locks it, or disposes it; everything else
    /// (capture by a lambda or a local function, a store into a field, a static, an array, a collection or another
    /// variable, an argument, a return, a <c>ref</c>/<c>out</c>) publishes it.
    /// </summary>
    internal static class Publication
    {
        /// <summary>The first publishing use of each of <paramref name="locals"/> in <paramref name="root"/>, by position.</summary>
        public static Dictionary<ILocalSymbol, SyntaxNode> Find(IOperation root, HashSet<ILocalSymbol> locals)
        {
            var first = new Dictionary<ILocalSymbol, SyntaxNode>(SymbolEqualityComparer.Default);
            Dictionary<IOperation, SyntaxNode>? functions = null;
            var stack = new Stack<(IOperation Operation, IOperation? Function)>();
            stack.Push((root, null));
            while (stack.Count > 0)
            {
                var (operation, function) = stack.Pop();
                if (operation is ILocalReferenceOperation reference && locals.Contains(reference.Local))
                {
                    var at = function is null ? (Publishes(reference) ? reference.Syntax : null) : PublishedBy(function);
                    if (at is not null && (!first.TryGetValue(reference.Local, out var earlier) || at.SpanStart < earlier.SpanStart))
                    {
                        first[reference.Local] = at;
                    }
                }

                var inner = operation is IAnonymousFunctionOperation or ILocalFunctionOperation ? operation : function;
                foreach (var child in operation.ChildOperations)
                {
                    stack.Push((child, inner));
                }
            }

            return first;

            SyntaxNode PublishedBy(IOperation function)
            {
                functions ??= new Dictionary<IOperation, SyntaxNode>();
                if (!functions.TryGetValue(function, out var at))
                {
                    functions[function] = at = PublishedByFunction(root, function);
                }

                return at;
            }
        }

        /// <summary>
        /// Whether the object is published at <paramref name="position"/>: after its first publication, or anywhere in a
        /// loop that publishes it, where a later iteration runs after an earlier one published it.
        /// </summary>
        public static bool IsPublishedAt(SyntaxNode publication, int position)
        {
            if (position >= publication.SpanStart)
            {
                return true;
            }

            for (var node = publication.Parent; node is not null and not MemberDeclarationSyntax; node = node.Parent)
            {
                if (node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax && node.Span.Contains(position))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A lambda publishes what it captures where it is created; a local function, where it is first named.</summary>
        private static SyntaxNode PublishedByFunction(IOperation root, IOperation function)
        {
            if (function is not ILocalFunctionOperation local)
            {
                return function.Syntax;
            }

            SyntaxNode earliest = function.Syntax;
            foreach (var operation in root.Descendants())
            {
                var named = operation switch
                {
                    IInvocationOperation invocation => invocation.TargetMethod,
                    IMethodReferenceOperation method => method.Method,
                    _ => null,
                };
                if (SymbolEqualityComparer.Default.Equals(named, local.Symbol) && operation.Syntax.SpanStart < earliest.SpanStart)
                {
                    earliest = operation.Syntax;
                }
            }

            return earliest;
        }

        private static bool Publishes(ILocalReferenceOperation reference)
        {
            var operation = reference.ThroughConversions();
            return operation.Parent switch
            {
                IMemberReferenceOperation member => member.Instance != operation,
                IInvocationOperation invocation => invocation.Instance != operation,
                ISimpleAssignmentOperation assignment => assignment.Target != operation,
                IConditionalAccessOperation access => access.Operation != operation,
                IBinaryOperation or IIsTypeOperation or IIsPatternOperation or IIsNullOperation or ILockOperation or IUsingOperation => false,
                IArgumentOperation { Parent: IInvocationOperation call } => !LockApi.IsLockApi(call.TargetMethod),
                IExpressionStatementOperation or IVariableDeclaratorOperation => false,
                _ => true,
            };
        }
    }
}
