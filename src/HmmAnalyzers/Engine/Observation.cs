using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// A read or write of an unannotated field or auto-property of the function's own type (through <c>this</c>, or a
    /// static member), with the lockset there: what HMM013 infers guards from.
    /// </summary>
    internal sealed record ObservedAccess(IOperation Operation, ISymbol Member, bool IsWrite, FlowState State);

    /// <summary>Which member references guard inference watches, and what kind of access each is.</summary>
    internal static class Observation
    {
        /// <summary>
        /// A field (not a constant, not <c>volatile</c>) or a property of <paramref name="ownType"/>, used through
        /// <c>this</c> or statically. Whether a property is an auto-property is decided only for members that get a guard.
        /// </summary>
        public static bool Watches(ISymbol member, IOperation? instance, INamedTypeSymbol? ownType)
            => member is IFieldSymbol { IsConst: false, IsVolatile: false, IsImplicitlyDeclared: false } or IPropertySymbol { IsIndexer: false, IsAbstract: false } &&
               ownType is not null &&
               SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, ownType.OriginalDefinition) &&
               (member.IsStatic || instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance });

        /// <summary>
        /// The access at <paramref name="operation"/>, or null for one that is lock-free by intent (<c>Volatile</c>,
        /// <c>Interlocked</c>) or that locks the member's object (<c>lock (_waiters)</c>, <c>Monitor.Wait(_queue)</c>): taking
        /// an object's lock does not read the data it guards.
        /// </summary>
        public static ObservedAccess? Access(IOperation operation, ISymbol member, FlowState state)
            => LockTransfer.IsLockFreeByIntent(operation, member) || IsLockOperand(operation)
                ? null
                : new ObservedAccess(operation, member, LockTransfer.IsWrite(operation) || Mutations.ChangesThrough(operation), state);

        private static bool IsLockOperand(IOperation operation)
            => operation.Syntax.Parent is LockStatementSyntax ||
               operation.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.ContainingType: var type } } && KnownTypes.Of(type) == KnownType.Monitor;

        /// <summary>
        /// A member that only the debugger calls: one marked <c>[DebuggerBrowsable]</c>, or one its type's
        /// <c>[DebuggerDisplay]</c> names, or a member of a debugger type proxy (a type named <c>*DebugView</c> or
        /// <c>*DebuggerProxy</c>). Its unlocked reads show the data while every thread is stopped.
        /// </summary>
        public static bool IsForTheDebugger(IMethodSymbol? method)
        {
            if (method is null || method.ContainingType is not { } type)
            {
                return false;
            }

            if (type.Name.EndsWith("DebugView", System.StringComparison.Ordinal) || type.Name.EndsWith("DebuggerProxy", System.StringComparison.Ordinal))
            {
                return true;
            }

            var member = method.AssociatedSymbol ?? method;
            foreach (var attribute in member.GetAttributes())
            {
                if (attribute.AttributeClass?.Name is "DebuggerBrowsableAttribute" or "DebuggerDisplayAttribute")
                {
                    return true;
                }
            }

            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "DebuggerDisplayAttribute" && attribute.ConstructorArguments.Length > 0 &&
                    attribute.ConstructorArguments[0].Value is string display && NamesInBraces(display, member.Name))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether a <c>[DebuggerDisplay]</c> text names <paramref name="name"/> inside one of its <c>{...}</c> expressions.</summary>
        private static bool NamesInBraces(string display, string name)
        {
            for (var open = display.IndexOf('{'); open >= 0; open = display.IndexOf('{', open + 1))
            {
                var close = display.IndexOf('}', open);
                if (close < 0)
                {
                    return false;
                }

                var expression = display.Substring(open + 1, close - open - 1);
                var at = expression.IndexOf(name, System.StringComparison.Ordinal);
                if (at >= 0 && (at == 0 || !char.IsLetterOrDigit(expression[at - 1])) &&
                    (at + name.Length == expression.Length || !char.IsLetterOrDigit(expression[at + name.Length])))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>Thread.MemoryBarrier</c> or <c>Interlocked.MemoryBarrier</c>: a function that fences says its unlocked reads are deliberate.</summary>
        public static bool IsFence(IMethodSymbol method)
            => method.Name == "MemoryBarrier" && KnownTypes.Of(method.ContainingType) is KnownType.Interlocked or KnownType.Thread;
    }
}
