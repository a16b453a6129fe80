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

        /// <summary><c>Thread.MemoryBarrier</c> or <c>Interlocked.MemoryBarrier</c>: a function that fences says its unlocked reads are deliberate.</summary>
        public static bool IsFence(IMethodSymbol method)
            => method.Name == "MemoryBarrier" && KnownTypes.Of(method.ContainingType) is KnownType.Interlocked or KnownType.Thread;
    }
}
