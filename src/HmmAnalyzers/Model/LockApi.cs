using System;
using System.Collections.Generic;
using System.Linq;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Model
{
    internal enum LockEffectKind
    {
        Acquire,
        Release,

        /// <summary>The result (or the ref bool flag) says whether the lock was taken.</summary>
        TryAcquire,

        /// <summary>Returns a scope object whose <c>Dispose</c> releases the lock (<c>Lock.EnterScope</c>, <c>[ScopedLock]</c> factories).</summary>
        Scope,
    }

    /// <summary>One effect of a call on one lock: which lock (an operand, or a contract path to substitute), how, and in which mode.</summary>
    internal sealed class LockEffect
    {
        public LockEffect(LockEffectKind kind, LockMode mode, IOperation? operand, ContractLock? contract, bool success = true, IOperation? flag = null)
        {
            Kind = kind;
            Mode = mode;
            Operand = operand;
            Contract = contract;
            Success = success;
            Flag = flag;
        }

        public LockEffectKind Kind { get; }

        public LockMode Mode { get; }

        /// <summary>The expression naming the lock, for the built-in lock APIs.</summary>
        public IOperation? Operand { get; }

        /// <summary>The contract lock, for annotated methods.</summary>
        public ContractLock? Contract { get; }

        /// <summary>For a try-acquire: the value of the result or flag that means the lock is held.</summary>
        public bool Success { get; }

        /// <summary>The <c>ref bool</c> argument that receives "taken" (<c>Monitor.Enter(x, ref taken)</c>, <c>SpinLock.Enter(ref taken)</c>).</summary>
        public IOperation? Flag { get; }
    }

    /// <summary>What the .NET lock APIs (read from <see cref="LockApiTable"/>) and the annotated methods do to locks.</summary>
    internal static class LockApi
    {
        /// <param name="contract">The contract of the invocation's target method, which the caller has already read.</param>
        public static List<LockEffect>? Describe(IInvocationOperation invocation, AnnotationModel model, MethodContract contract)
        {
            if (invocation.TargetMethod.ContainingType is null)
            {
                return null;
            }

            if (LockApiTable.ForCall(invocation.TargetMethod, invocation.Instance?.Type) is { Effect: { } kind, Operand: not LockOperand.Scope } entry &&
                Operand(invocation, entry) is { } operand &&
                (!entry.OnlyNamedLocks || IsNamedLock(operand, model)))
            {
                var flag = invocation.Arguments.FirstOrDefault(a => a.Parameter?.RefKind == RefKind.Ref)?.Value;

                // A try-acquire that waits forever always succeeds: it is an acquisition, whether its result is tested or not.
                var effect = kind == LockEffectKind.TryAcquire && WaitsForever(invocation) ? LockEffectKind.Acquire : kind;
                return new List<LockEffect> { new LockEffect(effect, entry.Mode, operand, null, true, flag) };
            }

            return contract.ChangesLocks ? FromContract(invocation.TargetMethod, model, contract) : null;
        }

        private static IOperation? Operand(IInvocationOperation invocation, LockApiEntry entry)
            => entry.Operand == LockOperand.FirstArgument
                ? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null)
                : invocation.Instance;

        private static List<LockEffect> FromContract(IMethodSymbol method, AnnotationModel model, MethodContract contract)
        {
            var effects = new List<LockEffect>();
            var scoped = model.IsScopedLockType(method.ReturnType) || model.IsScopedLockType(AwaitedType(method.ReturnType));
            foreach (var acquired in contract.Acquires)
            {
                effects.Add(new LockEffect(scoped ? LockEffectKind.Scope : LockEffectKind.Acquire, acquired.Mode, null, acquired));
            }

            foreach (var released in contract.Releases)
            {
                effects.Add(new LockEffect(LockEffectKind.Release, released.Mode, null, released));
            }

            foreach (var attempt in contract.TryAcquires)
            {
                foreach (var acquired in attempt.Locks)
                {
                    effects.Add(new LockEffect(LockEffectKind.TryAcquire, acquired.Mode, null, acquired, attempt.Success));
                }
            }

            return effects;
        }

        /// <summary>What awaiting a <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c> gives: <c>T</c>; null for any other type.</summary>
        public static ITypeSymbol? AwaitedType(ITypeSymbol? type)
            => type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Task" or "ValueTask" } task &&
               task.ContainingNamespace is { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } }
                ? task.TypeArguments[0]
                : null;

        /// <summary>
        /// A method of a framework lock type, of <c>Interlocked</c> or <c>Volatile</c>, or of <c>Debug</c>/<c>Trace</c>:
        /// its exceptions (a lock released that is not held, an assertion that fails) are the analysis' own findings,
        /// not a way for correct code to leave a lock held.
        /// </summary>
        public static bool IsLockApi(IMethodSymbol method)
            => KnownTypes.Of(method.ContainingType) is KnownType.Monitor or KnownType.Lock or KnownType.LockScope or KnownType.ReaderWriterLockSlim
                or KnownType.SpinLock or KnownType.Mutex or KnownType.SemaphoreSlim or KnownType.Semaphore or KnownType.Volatile
                or KnownType.Interlocked or KnownType.DiagnosticsAssert;

        /// <summary><c>System.Diagnostics.Debug.Assert</c> or <c>Trace.Assert</c>, whose condition may check that locks are held.</summary>
        public static bool IsFrameworkAssert(IMethodSymbol method)
            => method.Name == "Assert" && KnownTypes.Of(method.ContainingType) == KnownType.DiagnosticsAssert;

        /// <summary>
        /// The locks a call to <see cref="IsFrameworkAssert"/> checks are held, with the mode it checks: the framework's
        /// own queries (<c>Monitor.IsEntered(x)</c>, <c>IsWriteLockHeld</c>, <c>IsReadLockHeld</c>,
        /// <c>IsUpgradeableReadLockHeld</c>, <c>IsHeldByCurrentThread</c>), alone or joined by <c>&amp;&amp;</c>.
        /// </summary>
        public static List<(IOperation Lock, LockMode Mode)>? FrameworkAssertions(IInvocationOperation invocation)
        {
            if (invocation.Arguments.IsEmpty)
            {
                return null;
            }

            var checks = new List<(IOperation Lock, LockMode Mode)>();
            var pending = new Stack<IOperation>();
            pending.Push(invocation.Arguments[0].Value);
            while (pending.Count > 0)
            {
                switch (pending.Pop().WithoutConversions())
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both:
                        pending.Push(both.LeftOperand);
                        pending.Push(both.RightOperand);
                        break;
                    case var operand when HeldQuery(operand) is { } check:
                        checks.Add(check);
                        break;
                }
            }

            return checks.Count > 0 ? checks : null;
        }

        /// <summary>
        /// The lock a framework query asks whether the thread holds, and in which mode: <c>Monitor.IsEntered(x)</c>,
        /// <c>IsWriteLockHeld</c>, <c>IsReadLockHeld</c>, <c>IsUpgradeableReadLockHeld</c>, <c>IsHeldByCurrentThread</c>.
        /// </summary>
        public static (IOperation Lock, LockMode Mode)? HeldQuery(IOperation operation)
            => operation switch
            {
                IInvocationOperation { Arguments: { Length: 1 } arguments } call
                    when LockApiTable.MayBeHeldQuery(call.TargetMethod.Name) &&
                         LockApiTable.ForCall(call.TargetMethod, call.Instance?.Type) is { HeldQuery: { } mode, Operand: LockOperand.FirstArgument }
                    => (arguments[0].Value, mode),
                IPropertyReferenceOperation { Instance: { } instance } property
                    when LockApiTable.MayBeHeldQuery(property.Property.Name) &&
                         LockApiTable.Find(property.Property.Name, null, KnownTypes.Of(instance.Type)) is { HeldQuery: { } mode }
                    => (instance, mode),
                _ => null,
            };

        /// <summary><c>Dispose()</c>: on a scope (<c>Lock.Scope</c>, a <c>[ScopedLock]</c> guard) it releases the lock.</summary>
        public static bool IsDispose(IMethodSymbol method) => method.Name == "Dispose" && method.Parameters.IsEmpty;

        /// <summary>Whether the call may block the thread (for sleeping under a spinning lock or in an atomic context).</summary>
        public static bool IsBlocking(IMethodSymbol method, MethodContract contract)
            => method.ContainingType is not null && (contract.MightSleep || LockApiTable.IsBlocking(method));

        /// <summary>A timeout argument of -1 (<c>Timeout.Infinite</c>) or <c>Timeout.InfiniteTimeSpan</c>.</summary>
        private static bool WaitsForever(IInvocationOperation invocation)
            => invocation.Arguments.Any(a =>
                a.Parameter is { Name: var name } && name.IndexOf("imeout", StringComparison.Ordinal) >= 0 &&
                (a.Value.ConstantValue is { HasValue: true, Value: -1 or -1L } ||
                 a.Value.WithoutConversions() is IFieldReferenceOperation
                 {
                     Field: { Name: "InfiniteTimeSpan", ContainingType: { Name: "Timeout", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } } },
                 }));

        private static bool IsNamedLock(IOperation receiver, AnnotationModel model)
        {
            var symbol = receiver switch
            {
                IFieldReferenceOperation field => field.Field,
                IPropertyReferenceOperation property => (ISymbol)property.Property,
                _ => null,
            };
            return symbol is not null && model.IsAnnotatedLock(symbol);
        }
    }
}
