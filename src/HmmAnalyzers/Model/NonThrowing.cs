using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HmmAnalyzers.Model
{
    /// <summary>
    /// Methods of the compilation that cannot throw, read from their syntax alone: a non-virtual body with no
    /// <c>throw</c>, no object creation, no element access, cast or <c>await</c>, and no call other than to
    /// <c>Interlocked</c>, <c>Volatile</c> or <c>Math</c> (a reference count's increment, a flag's atomic read). A call
    /// to one of them between an acquisition and its release leaves nothing to release in a <c>finally</c>.
    /// </summary>
    internal static class NonThrowing
    {
        /// <summary>
        /// The framework collections' methods that fail only when memory runs out: adding to a list or a set, looking a
        /// key up with <c>TryGetValue</c>, copying out with <c>ToArray</c>. <c>Dictionary.Add</c> (a duplicate key),
        /// <c>Dequeue</c>, <c>Pop</c> and <c>Peek</c> (an empty collection) and indexers can fail and are not among them.
        /// </summary>
        private static readonly HashSet<string> CollectionMembers = new(StringComparer.Ordinal)
        {
            "Add", "AddLast", "AddFirst", "Remove", "RemoveAll", "Clear", "Contains", "ContainsKey", "ContainsValue", "TryGetValue", "TryAdd",
            "TryRemove", "Enqueue", "TryDequeue", "TryPeek", "Push", "TryPop", "ToArray", "IndexOf", "GetValueOrDefault", "get_Count",
        };

        /// <summary>Whether a call of a framework collection method cannot fail (<see cref="CollectionMembers"/>).</summary>
        public static bool IsSafeCollectionCall(IMethodSymbol method)
            => method.ContainingType is { } type && CollectionMembers.Contains(method.Name) &&
                Mutations.IsSystemNamespace(type.ContainingNamespace, "Collections", out var inner) && inner == "Generic" &&
                !(method.Name == "Add" && type.Name is "Dictionary" or "SortedDictionary" or "SortedList");

        public static bool Holds(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            if (method.IsVirtual || method.IsAbstract || method.IsOverride || method.IsExtern || method.DeclaringSyntaxReferences.Length != 1)
            {
                return false;
            }

            var body = method.DeclaringSyntaxReferences[0].GetSyntax() switch
            {
                BaseMethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody,
                AccessorDeclarationSyntax accessor => (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody,
                ArrowExpressionClauseSyntax arrow => arrow,
                _ => null,
            };
            return body is not null && body.DescendantNodes().All(IsHarmless);
        }

        private static bool IsHarmless(SyntaxNode node) => node switch
        {
            ThrowStatementSyntax or ThrowExpressionSyntax or BaseObjectCreationExpressionSyntax or ElementAccessExpressionSyntax
                or CastExpressionSyntax or AwaitExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax
                or CollectionExpressionSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax => false,
            InvocationExpressionSyntax invocation => invocation.Expression is MemberAccessExpressionSyntax
            {
                Expression: IdentifierNameSyntax { Identifier.ValueText: "Interlocked" or "Volatile" or "Math" },
            },
            _ => !node.IsKind(SyntaxKind.CheckedExpression),
        };
    }
}
