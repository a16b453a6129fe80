using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HmmAnalyzers.Model
{
    /// <summary>
    /// Whether a delegate passed for a parameter runs after the call returns. <c>[CalledLater]</c> and
    /// <c>[CalledBeforeReturn]</c> say so; a method of this compilation is read: it stores the delegate when it assigns
    /// it to anything but a local (a field, a property, an event), hands it to a storing or scheduling call (<c>Add</c>,
    /// <c>Enqueue</c>, <c>Register</c>, <c>Run</c>, <c>ContinueWith</c>, ...) or to a constructor, or captures it in a
    /// lambda. Calling it, or passing it on to another method, is running it before the return. A method of another
    /// assembly without the attributes is taken to call it before returning, as most framework methods that take a
    /// delegate do (<c>List.ForEach</c>, <c>Array.Sort</c>, LINQ's aggregates); the known schedulers are listed apart.
    /// </summary>
    internal static class Callbacks
    {
        private static readonly HashSet<string> StoringCalls = new()
        {
            "Add", "AddRange", "Insert", "Enqueue", "Push", "TryAdd", "Register", "UnsafeRegister", "Subscribe", "Post",
            "Run", "StartNew", "QueueUserWorkItem", "UnsafeQueueUserWorkItem", "ContinueWith", "Schedule", "BeginInvoke",
        };

        /// <summary>Whether the method of <paramref name="parameter"/> keeps the delegate to run later.</summary>
        public static bool RunsLater(IParameterSymbol parameter)
        {
            if (AttributeNames.Has(parameter, AttributeNames.CalledLater))
            {
                return true;
            }

            if (AttributeNames.Has(parameter, AttributeNames.CalledBeforeReturn) || parameter.ContainingSymbol is not IMethodSymbol method)
            {
                return false;
            }

            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var declaration = reference.GetSyntax();
                foreach (var name in declaration.DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (name.Identifier.ValueText == parameter.Name && Stores(name, declaration))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool Stores(IdentifierNameSyntax name, SyntaxNode declaration)
        {
            for (var node = name.Parent; node is not null && node != declaration; node = node.Parent)
            {
                if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                {
                    return true;
                }
            }

            switch (name.Parent)
            {
                case AssignmentExpressionSyntax assignment when assignment.Right == name:
                    return true;
                case ArgumentSyntax { Parent.Parent: ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax }:
                    return true;
                case ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax invocation }:
                    return StoringCalls.Contains(CalledName(invocation.Expression));
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "BeginInvoke" }:
                    return true;
                default:
                    return false;
            }
        }

        private static string CalledName(ExpressionSyntax expression) => expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
    }
}
