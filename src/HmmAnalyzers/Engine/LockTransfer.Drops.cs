using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>Counted references: drops, deferred frees and uses after a drop.</summary>
    internal sealed partial class LockTransfer
    {
        private FlowState ApplyDrops(IOperation operation, MethodContract contract, IOperation? instance, CallArguments arguments, FlowState state)
        {
            if (!contract.ChangesReferences)
            {
                return state;
            }

            if (contract.DropsThis && instance is not null && ResolvePath(instance) is { } self)
            {
                state = Drop(operation, self, state);
            }

            foreach (var parameter in contract.DeferredFreeParameters)
            {
                var argument = arguments.ValueFor(parameter);
                if (argument is not null && ResolvePath(argument) is { } freed)
                {
                    // The argument is the freed object itself when its type has grace-period protected members;
                    // otherwise it is a field of the freed object (its rcu head), which stands for the object.
                    var owner = freed.Members.IsEmpty || HasProtectedMembers(argument.WithoutConversions().Type) ? freed : OwnerOf(freed);
                    _facts.DeferredFrees.Add(new DeferredFreeFact(operation, owner, state));
                }
            }

            foreach (var parameter in contract.DroppedParameters)
            {
                var argument = arguments.ValueFor(parameter);
                if (argument is not null && ResolvePath(argument) is { } path)
                {
                    state = Drop(operation, path, state);
                }
            }

            return state;
        }

        private static bool HasProtectedMembers(ITypeSymbol? type)
            => type is not null && type.GetMembers().Any(m => AttributeNames.Has(m, AttributeNames.GracePeriodProtected));

        private static LockPath OwnerOf(LockPath path)
        {
            var owner = path.Root is null ? LockPath.This : LockPath.ForRoot(path.Root);
            for (var i = 0; i < path.Members.Length - 1; i++)
            {
                owner = owner.Append(path.Members[i]);
            }

            return owner;
        }

        private FlowState Drop(IOperation operation, LockPath path, FlowState state)
        {
            var previous = state.FindDropped(path, strict: false);
            _facts.Drops.Add(new DropFact(operation, path, previous?.Value));
            return state.WithDropped(state.Dropped.SetItem(path, operation.Syntax.GetLocation()));
        }

        /// <summary>
        /// A use of a dropped reference is reported where the dropped path itself appears (<c>hmm.Mm</c> in
        /// <c>hmm.Mm.Users++</c>), once per expression; writing a new reference over it is not a use.
        /// </summary>
        private void CheckUse(IOperation operation, FlowState state)
        {
            if (state.Dropped.IsEmpty)
            {
                return;
            }

            switch (operation.Parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == operation:
                    return;
                case IArgumentOperation { Parent: IInvocationOperation or IObjectCreationOperation } argument when IsDroppedArgument(argument):
                    return;
                case IInvocationOperation invocation when invocation.Instance == operation && _model.GetContract(invocation.TargetMethod).DropsThis:
                    return;
            }

            if (ResolvePath(operation) is { } path && state.Dropped.TryGetValue(path, out var site))
            {
                _facts.Uses.Add(new UseAfterDrop(operation, path, site));
            }
        }

        private bool IsDroppedArgument(IArgumentOperation argument)
        {
            var method = argument.Parent switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };
            return method is not null && argument.Parameter is { } parameter &&
                _model.GetContract(method).DroppedParameters.Any(p => p.Ordinal == parameter.Ordinal);
        }
    }
}
