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

    /// <summary>What the .NET lock APIs and the annotated methods do to locks.</summary>
    internal static class LockApi
    {
        /// <param name="contract">The contract of the invocation's target method, which the caller has already read.</param>
        public static List<LockEffect>? Describe(IInvocationOperation invocation, AnnotationModel model, MethodContract contract)
        {
            var method = invocation.TargetMethod;
            var type = method.ContainingType;
            if (type is null)
            {
                return null;
            }

            if (KnownTypes.Of(type) == KnownType.Monitor)
            {
                return DescribeMonitor(invocation);
            }

            var receiver = invocation.Instance;
            var receiverKind = KnownTypes.Of(receiver?.Type);
            if (receiver is not null && receiverKind != KnownType.None)
            {
                if (receiverKind == KnownType.Lock)
                {
                    return method.Name switch
                    {
                        "Enter" => One(LockEffectKind.Acquire, LockMode.Exclusive, receiver),
                        "TryEnter" => One(LockEffectKind.TryAcquire, LockMode.Exclusive, receiver),
                        "Exit" => One(LockEffectKind.Release, LockMode.Exclusive, receiver),
                        "EnterScope" => One(LockEffectKind.Scope, LockMode.Exclusive, receiver),
                        _ => null,
                    };
                }

                if (receiverKind == KnownType.ReaderWriterLockSlim)
                {
                    return method.Name switch
                    {
                        "EnterReadLock" => One(LockEffectKind.Acquire, LockMode.Shared, receiver),
                        "EnterWriteLock" => One(LockEffectKind.Acquire, LockMode.Exclusive, receiver),
                        "EnterUpgradeableReadLock" => One(LockEffectKind.Acquire, LockMode.Upgradeable, receiver),
                        "TryEnterReadLock" => One(LockEffectKind.TryAcquire, LockMode.Shared, receiver),
                        "TryEnterWriteLock" => One(LockEffectKind.TryAcquire, LockMode.Exclusive, receiver),
                        "TryEnterUpgradeableReadLock" => One(LockEffectKind.TryAcquire, LockMode.Upgradeable, receiver),
                        "ExitReadLock" => One(LockEffectKind.Release, LockMode.Shared, receiver),
                        "ExitWriteLock" => One(LockEffectKind.Release, LockMode.Exclusive, receiver),
                        "ExitUpgradeableReadLock" => One(LockEffectKind.Release, LockMode.Upgradeable, receiver),
                        _ => null,
                    };
                }

                if (receiverKind == KnownType.SpinLock)
                {
                    var flag = invocation.Arguments.FirstOrDefault(a => a.Parameter?.RefKind == RefKind.Ref)?.Value;
                    return method.Name switch
                    {
                        "Enter" => new List<LockEffect> { new LockEffect(LockEffectKind.Acquire, LockMode.Exclusive, receiver, null, true, flag) },
                        "TryEnter" => new List<LockEffect> { new LockEffect(LockEffectKind.TryAcquire, LockMode.Exclusive, receiver, null, true, flag) },
                        "Exit" => One(LockEffectKind.Release, LockMode.Exclusive, receiver),
                        _ => null,
                    };
                }

                if (receiverKind == KnownType.Mutex)
                {
                    return method.Name switch
                    {
                        "WaitOne" when method.Parameters.Length == 0 => One(LockEffectKind.Acquire, LockMode.Exclusive, receiver),
                        "WaitOne" => One(LockEffectKind.TryAcquire, LockMode.Exclusive, receiver),
                        "ReleaseMutex" => One(LockEffectKind.Release, LockMode.Exclusive, receiver),
                        _ => null,
                    };
                }

                if (receiverKind == KnownType.SemaphoreSlim && IsNamedLock(receiver, model))
                {
                    var returnsBool = method.ReturnType.SpecialType == SpecialType.System_Boolean ||
                        (method.ReturnType is INamedTypeSymbol { IsGenericType: true } task && task.TypeArguments[0].SpecialType == SpecialType.System_Boolean);
                    return method.Name switch
                    {
                        "Wait" or "WaitAsync" when !returnsBool => One(LockEffectKind.Acquire, LockMode.Exclusive, receiver),
                        "Wait" or "WaitAsync" => One(LockEffectKind.TryAcquire, LockMode.Exclusive, receiver),
                        "Release" when method.Parameters.Length == 0 => One(LockEffectKind.Release, LockMode.Exclusive, receiver),
                        _ => null,
                    };
                }
            }

            if (!contract.ChangesLocks)
            {
                return null;
            }

            var effects = new List<LockEffect>();
            var scoped = model.IsScopedLockType(method.ReturnType);
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
                    case IInvocationOperation { TargetMethod: { Name: "IsEntered", ContainingType: var monitor }, Arguments: { Length: 1 } arguments }
                        when KnownTypes.Of(monitor) == KnownType.Monitor:
                        checks.Add((arguments[0].Value, LockMode.Exclusive));
                        break;
                    case IPropertyReferenceOperation { Instance: { } instance } property when HeldQuery(instance.Type, property.Property.Name) is { } mode:
                        checks.Add((instance, mode));
                        break;
                }
            }

            return checks.Count > 0 ? checks : null;
        }

        private static LockMode? HeldQuery(ITypeSymbol? type, string property) => (KnownTypes.Of(type), property) switch
        {
            (KnownType.ReaderWriterLockSlim, "IsWriteLockHeld") => LockMode.Exclusive,
            (KnownType.ReaderWriterLockSlim, "IsReadLockHeld") => LockMode.Shared,
            (KnownType.ReaderWriterLockSlim, "IsUpgradeableReadLockHeld") => LockMode.Upgradeable,
            (KnownType.Lock or KnownType.SpinLock, "IsHeldByCurrentThread") => LockMode.Exclusive,
            _ => null,
        };

        /// <summary><c>Dispose()</c>: on a scope (<c>Lock.Scope</c>, a <c>[ScopedLock]</c> guard) it releases the lock.</summary>
        public static bool IsDispose(IMethodSymbol method) => method.Name == "Dispose" && method.Parameters.IsEmpty;

        /// <summary>Whether the call may block the thread (for sleeping under a spinning lock or in an atomic context).</summary>
        public static bool IsBlocking(IMethodSymbol method, MethodContract contract)
        {
            var type = method.ContainingType;
            if (type is null)
            {
                return false;
            }

            if (contract.MightSleep)
            {
                return true;
            }

            switch (KnownTypes.Of(type))
            {
                case KnownType.Monitor:
                    return method.Name is "Enter" or "Wait" || (method.Name == "TryEnter" && method.Parameters.Length > 1 && method.Parameters[1].Type.SpecialType != SpecialType.System_Boolean);
                case KnownType.Thread:
                    return method.Name is "Sleep" or "Join";
                case KnownType.Task or KnownType.TaskOfT:
                    return method.Name is "Wait" or "WaitAll" or "WaitAny" or "get_Result";
                case KnownType.ReaderWriterLockSlim:
                    return method.Name.StartsWith("Enter", System.StringComparison.Ordinal);
                case KnownType.SemaphoreSlim:
                    return method.Name == "Wait";
                case KnownType.Lock:
                    return method.Name is "Enter" or "EnterScope";
            }

            return method.Name is "WaitOne" or "WaitAll" or "WaitAny" && KnownTypes.InheritsFrom(type, KnownType.WaitHandle);
        }

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

        private static List<LockEffect>? DescribeMonitor(IInvocationOperation invocation)
        {
            var arguments = invocation.Arguments;
            if (arguments.Length == 0)
            {
                return null;
            }

            var target = arguments[0].Value;
            var flag = arguments.FirstOrDefault(a => a.Parameter?.RefKind == RefKind.Ref)?.Value;
            switch (invocation.TargetMethod.Name)
            {
                case "Enter":
                    return new List<LockEffect> { new LockEffect(LockEffectKind.Acquire, LockMode.Exclusive, target, null, true, flag) };
                case "TryEnter":
                    return new List<LockEffect> { new LockEffect(LockEffectKind.TryAcquire, LockMode.Exclusive, target, null, true, flag) };
                case "Exit":
                    return One(LockEffectKind.Release, LockMode.Exclusive, target);
                default:
                    return null;
            }
        }

        private static List<LockEffect> One(LockEffectKind kind, LockMode mode, IOperation operand)
            => new List<LockEffect> { new LockEffect(kind, mode, operand, null) };
    }
}
