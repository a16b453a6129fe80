using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>The transfer functions: what each operation does to the lockset, and the facts it records.</summary>
    internal sealed partial class MethodAnalysis
    {
        private void Visit(IOperation operation)
        {
            switch (operation.Kind)
            {
                case OperationKind.FlowAnonymousFunction or OperationKind.AnonymousFunction:
                    // A lambda in a graph, or in a tree: analyzed afterwards, on its own.
                    (_lambdas ??= new()).Add((operation, IsDeferred(operation) ? FlowState.Empty.WithDropped(_state.Dropped) : _state));
                    return;
                case OperationKind.NameOf or OperationKind.TypeOf or OperationKind.SizeOf or OperationKind.LocalFunction:
                    return;
            }

            foreach (var child in operation.ChildOperations)
            {
                Visit(child);
            }

            switch (operation.Kind)
            {
                case OperationKind.FieldReference:
                    var field = (IFieldReferenceOperation)operation;
                    OnMemberReference(field, field.Field, field.Instance);
                    break;
                case OperationKind.PropertyReference:
                    var property = (IPropertyReferenceOperation)operation;
                    OnMemberReference(property, property.Property, property.Instance);
                    OnPropertyContract(property);
                    break;
                case OperationKind.Invocation:
                    OnInvocation((IInvocationOperation)operation);
                    break;
                case OperationKind.ObjectCreation:
                    OnObjectCreation((IObjectCreationOperation)operation);
                    break;
                case OperationKind.SimpleAssignment:
                    OnAssignment((ISimpleAssignmentOperation)operation);
                    break;
                case OperationKind.VariableDeclarator when ((IVariableDeclaratorOperation)operation).Initializer is { } initializer:
                    OnLocalAssigned(((IVariableDeclaratorOperation)operation).Symbol, initializer.Value.WithoutConversions());
                    break;
                case OperationKind.FlowCapture:
                    OnCapture((IFlowCaptureOperation)operation);
                    break;
                case OperationKind.Invalid when operation.Syntax.Parent is LockStatementSyntax lockStatement && lockStatement.Expression == operation.Syntax:
                    OnUnloweredLock((IInvalidOperation)operation, lockStatement);
                    break;
                case OperationKind.Await:
                    _facts.Awaits.Add(new AwaitFact(operation, _state));
                    break;
                case OperationKind.ParameterReference or OperationKind.LocalReference or OperationKind.InstanceReference:
                    CheckUse(operation);
                    break;
                case OperationKind.MethodReference when ((IMethodReferenceOperation)operation).Method is { MethodKind: MethodKind.LocalFunction } localFunction:
                    AddLocalFunctionState(localFunction, IsDeferred(operation) ? FlowState.Empty : _state);
                    break;
            }
        }

        private void OnMemberReference(IOperation operation, ISymbol member, IOperation? instance)
        {
            CheckUse(operation);
            var guards = _model.GetGuards(member);
            if (guards.IsEmpty)
            {
                return;
            }

            LockPath? instancePath = null;
            if (!member.IsStatic)
            {
                if (instance is null || (instancePath = ResolvePath(instance)) is null || IsExempt(instancePath, member))
                {
                    return;
                }
            }
            else if (_owner is IMethodSymbol { MethodKind: MethodKind.StaticConstructor } && SymbolEqualityComparer.Default.Equals(member.ContainingType, _thisType))
            {
                return;
            }

            var isWrite = IsWrite(operation);
            foreach (var guard in guards)
            {
                if (guard.Path is not { } template)
                {
                    continue;
                }

                LockPath? required = template.Root is null ? (instancePath is null ? null : template.Rebase(instancePath)) : template;
                if (required is null)
                {
                    continue;
                }

                _facts.Accesses.Add(new GuardedAccess(operation, member, isWrite, required, InfoOf(required), _state));
            }

            _facts.FirstEffects.Add(operation);
        }

        private void OnPropertyContract(IPropertyReferenceOperation property)
        {
            var accessor = IsWrite(property) ? property.Property.SetMethod : property.Property.GetMethod;
            if (accessor is not null)
            {
                var contract = _model.GetContract(accessor);
                if (!contract.Requires.IsEmpty || !contract.Excludes.IsEmpty || LockApi.IsBlocking(accessor, contract))
                {
                    RecordCall(property, accessor, contract, property.Instance, property.Arguments);
                }
            }
        }

        private void OnInvocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind == MethodKind.LocalFunction)
            {
                AddLocalFunctionState(method, _state);
            }

            var contract = _model.GetContract(method);
            var checks = LockApi.IsFrameworkAssert(method) ? LockApi.FrameworkAssertions(InTree(invocation)) : null;
            RecordCall(invocation, method, contract, invocation.Instance, invocation.Arguments, asserts: checks is not null);

            if (LockApi.IsDispose(method) && invocation.Instance is { } disposed)
            {
                var scope = ScopeOf(disposed.WithoutConversions());
                if (scope is not null)
                {
                    Release(invocation.Syntax.GetLocation(), scope, _state.Find(scope)?.Mode ?? LockMode.Exclusive);
                    return;
                }

                if (_model.IsScopedLockType(disposed.WithoutConversions().Type))
                {
                    return;
                }
            }

            if (LockApi.Describe(invocation, _model, contract) is { } effects)
            {
                foreach (var effect in effects)
                {
                    Apply(invocation, effect);
                }
            }

            foreach (var assertion in contract.Asserts)
            {
                if (Substitute(assertion.Path, invocation.Instance, invocation.Arguments) is { } path)
                {
                    Assert(invocation, path, assertion.Mode);
                }
            }

            if (checks is not null)
            {
                foreach (var (checkedLock, mode) in checks)
                {
                    if (ResolvePath(checkedLock) is { } path)
                    {
                        Assert(invocation, path, mode);
                    }
                }
            }

            ApplyDrops(invocation, contract, invocation.Instance, invocation.Arguments);
        }

        /// <summary>
        /// In the control flow graph, a call whose argument branches (<c>Debug.Assert(a &amp;&amp; b)</c>) receives the
        /// argument as a flow capture; the call as it stands in the method's operation tree has the expression itself.
        /// </summary>
        private IInvocationOperation InTree(IInvocationOperation invocation)
        {
            if (_cfg is null || !invocation.Arguments.Any(a => a.Value.WithoutConversions() is IFlowCaptureReferenceOperation))
            {
                return invocation;
            }

            foreach (var operation in _facts.Root.Descendants())
            {
                if (operation is IInvocationOperation original && original.Syntax == invocation.Syntax)
                {
                    return original;
                }
            }

            return invocation;
        }

        /// <summary>A run-time check that <paramref name="path"/> is held: from here on the analysis assumes it is.</summary>
        private void Assert(IInvocationOperation invocation, LockPath path, LockMode mode)
        {
            _facts.Asserts.Add(new AssertFact(invocation, path, mode, _state));
            var existing = _state.Find(path);
            if (existing is null || (existing.Mode == LockMode.Any && mode != LockMode.Any))
            {
                _state = _state.WithLock(path, new Held(mode, HoldSource.Asserted, InfoOf(path) ?? LockInfo.Monitor, invocation.Syntax.GetLocation()));
            }
        }

        private void OnObjectCreation(IObjectCreationOperation creation)
        {
            if (creation.Constructor is not { } constructor)
            {
                return;
            }

            var contract = _model.GetContract(constructor);
            RecordCall(creation, constructor, contract, null, creation.Arguments);
            foreach (var acquired in contract.Acquires)
            {
                if (Substitute(acquired.Path, null, creation.Arguments) is { } path)
                {
                    Acquire(creation.Syntax.GetLocation(), path, acquired.Mode, HoldSource.Scoped);
                    (_scopeResults ??= new())[creation] = path;
                    _openedScopes.Add((path, creation.Syntax.GetLocation()));
                }
            }

            ApplyDrops(creation, contract, null, creation.Arguments);
        }

        /// <param name="asserts">The call checks at run time that locks are held (a <c>Debug.Assert</c> of a framework lock query).</param>
        private void RecordCall(IOperation operation, IMethodSymbol method, MethodContract contract, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, bool asserts = false)
        {
            var isLocal = method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction;
            var requires = Substituted(contract.Requires, instance, arguments, isLocal);
            var excludes = Substituted(contract.Excludes, instance, arguments, isLocal);
            var blocking = LockApi.IsBlocking(method, contract);
            _facts.Calls.Add(new CallFact(operation, method, contract, requires, excludes, blocking, _state));
            if (contract.Asserts.IsEmpty && !asserts)
            {
                _facts.FirstEffects.Add(operation);
            }
        }

        private ImmutableArray<Requirement> Substituted(ImmutableArray<ContractLock> locks, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, bool calleeIsLocal)
        {
            if (locks.IsEmpty)
            {
                return ImmutableArray<Requirement>.Empty;
            }

            var builder = ImmutableArray.CreateBuilder<Requirement>();
            foreach (var item in locks)
            {
                if (Substitute(item.Path, instance, arguments, calleeIsLocal) is { } path)
                {
                    builder.Add(new Requirement(path, item.Mode, InfoOf(path)));
                }
            }

            return builder.ToImmutable();
        }

        private void OnAssignment(ISimpleAssignmentOperation assignment)
        {
            var value = assignment.Value.WithoutConversions();
            if (assignment.Target is ILocalReferenceOperation local)
            {
                OnLocalAssigned(local.Local, value);
            }

            if (ResolvePath(assignment.Target) is { } target && !_state.Dropped.IsEmpty)
            {
                var dropped = _state.Dropped.Where(d => d.Key.StartsWith(target)).Select(d => d.Key).ToList();
                if (dropped.Count > 0)
                {
                    _state = _state.WithDropped(_state.Dropped.RemoveRange(dropped));
                }
            }
        }

        /// <summary>A local receives a value: a bool may carry a try-acquire's result, a local may hold a scope.</summary>
        private void OnLocalAssigned(ILocalSymbol local, IOperation value)
        {
            if (local.Type?.SpecialType == SpecialType.System_Boolean)
            {
                _state = _state.WithBool(local, ConditionFact(value));
            }

            if (ScopeOf(value) is { } scope)
            {
                (_localScopes ??= new(SymbolEqualityComparer.Default))[local] = scope;
            }
        }
    }
}
