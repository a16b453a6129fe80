using System.Collections.Generic;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The operations that may throw while a lock the function acquired is held (a call, an object creation, a
    /// <c>throw</c>, an <c>await</c>, an indexer read, a cast that can fail), recorded as <see cref="ThrowPoint"/>s;
    /// <see cref="ExceptionExits"/> decides afterwards which of them leave the lock held. Operations the compiler adds
    /// (a <c>foreach</c>'s <c>MoveNext</c>, a <c>using</c>'s <c>Dispose</c>) are not the user's and are not recorded.
    /// </summary>
    internal sealed partial class LockTransfer
    {
        /// <summary>A call that may throw, unless it is a lock operation or a callee that cannot throw.</summary>
        private void OnCallMayThrow(IOperation call, IMethodSymbol method, MethodContract contract, bool isLockOperation, FlowState state)
        {
            if (!isLockOperation && !contract.ChangesLocks && contract.Asserts.IsEmpty && HoldsAcquired(state) && !_model.CannotThrow(method))
            {
                OnMayThrow(call, call.Syntax, isThrow: false, state);
            }
        }

        /// <summary>A <c>throw</c> of <paramref name="thrown"/> (the graph's throw branch, or the tree's throw operation).</summary>
        public void OnThrow(IOperation thrown, FlowState state)
        {
            if (HoldsAcquired(state))
            {
                var syntax = thrown.Syntax;
                var statement = syntax.FirstAncestorOrSelf<SyntaxNode>(n => n is ThrowStatementSyntax or ThrowExpressionSyntax) ?? syntax;
                OnMayThrow(thrown, statement, isThrow: true, state);
            }
        }

        /// <summary>An await, an indexer read or an explicit cast that can fail.</summary>
        private void OnOtherMayThrow(IOperation operation, FlowState state)
        {
            var mayThrow = operation switch
            {
                IAwaitOperation => true,
                IPropertyReferenceOperation { Property.IsIndexer: true } indexer => !IsAssignmentTarget(indexer),
                IConversionOperation { IsImplicit: false, IsTryCast: false } cast => CanFail(cast),
                _ => false,
            };
            if (mayThrow && HoldsAcquired(state))
            {
                OnMayThrow(operation, operation.Syntax, isThrow: false, state);
            }
        }

        /// <summary>A downcast or an unboxing: the value may not be of the type.</summary>
        private static bool CanFail(IConversionOperation cast)
            => (cast.Conversion.IsReference && !cast.Conversion.IsIdentity && !cast.Conversion.IsImplicit) ||
                (cast.Operand.Type is { IsReferenceType: true } && cast.Type is { IsValueType: true } && !cast.Conversion.IsUserDefined);

        /// <summary>The acquisition sites that are a <c>lock</c> statement's operand, found once per site.</summary>
        private Dictionary<TextSpan, bool>? _lockStatementSites;

        private bool IsLockStatementSite(TextSpan site)
        {
            _lockStatementSites ??= new Dictionary<TextSpan, bool>();
            if (!_lockStatementSites.TryGetValue(site, out var isLock))
            {
                var node = _facts.Root.Syntax.FindNode(site, getInnermostNodeForTie: true);
                _lockStatementSites[site] = isLock = node.FirstAncestorOrSelf<LockStatementSyntax>() is { } statement && statement.Expression.Span.Contains(site);
            }

            return isLock;
        }

        private static bool IsAssignmentTarget(IOperation operation)
            => operation.Parent is IAssignmentOperation assignment && assignment.Target == operation;

        private static bool HoldsAcquired(FlowState state)
        {
            foreach (var entry in state.Locks)
            {
                if (entry.Value.IsTracked)
                {
                    return true;
                }
            }

            return false;
        }

        private void OnMayThrow(IOperation operation, SyntaxNode thrower, bool isThrow, FlowState state)
        {
            if (operation.IsImplicit && !isThrow)
            {
                return;
            }

            var function = _facts.Root.Syntax.Span;
            foreach (var entry in state.Locks)
            {
                var site = entry.Value.Site.SourceSpan;

                // An operation that contains its own acquisition (the await of a WaitAsync) does not leak what it takes,
                // and a lock statement releases its lock however its body is left.
                if (entry.Value.IsTracked && function.Contains(site) && !thrower.Span.Contains(site) && !IsLockStatementSite(site))
                {
                    _facts.ThrowPoints.Add(new ThrowPoint(thrower, isThrow, entry.Key, entry.Value));
                }
            }
        }
    }
}
