using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Model
{
    /// <summary>
    /// Uses of a member that change the object it holds: a call of a mutating method on it (<c>_list.Add(x)</c>), an
    /// indexer or array element assigned through it (<c>_map[k] = v</c>, <c>_slots[i] = v</c>). Such a use is a write of
    /// the member for HMM002; every other use of it is a read.
    /// </summary>
    internal static class Mutations
    {
        private static readonly HashSet<string> CollectionMutators = new()
        {
            "Add", "AddRange", "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveWhere", "Clear",
            "Push", "Pop", "Enqueue", "EnqueueRange", "Dequeue", "EnqueueDequeue", "DequeueEnqueue", "TryAdd", "TryDequeue", "TryPop",
            "AddFirst", "AddLast", "AddBefore", "AddAfter", "RemoveFirst", "RemoveLast", "Sort", "Reverse", "UnionWith", "IntersectWith",
            "ExceptWith", "SymmetricExceptWith", "TrimExcess", "EnsureCapacity", "set_Item", "set_Capacity",
        };

        private static readonly HashSet<string> BuilderMutators = new()
        {
            "Append", "AppendLine", "AppendFormat", "AppendJoin", "Insert", "Remove", "Replace", "Clear", "EnsureCapacity",
            "set_Length", "set_Capacity", "set_Chars",
        };

        /// <summary>Whether a method of this name changes a framework collection or <c>StringBuilder</c> it is called on.</summary>
        public static bool MayMutateByName(string name) => CollectionMutators.Contains(name) || BuilderMutators.Contains(name);

        /// <summary>Whether <paramref name="member"/> (the operation that reads a guarded member) is used to change what it holds.</summary>
        public static bool ChangesThrough(IOperation member) => member.Parent switch
        {
            IInvocationOperation invocation when invocation.Instance == member => IsMutator(invocation.TargetMethod),
            IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Instance == member => IsAssigned(indexer),
            IArrayElementReferenceOperation element when element.ArrayReference == member => IsAssigned(element),
            _ => false,
        };

        private static bool IsAssigned(IOperation target) => target.Parent switch
        {
            IAssignmentOperation assignment => assignment.Target == target,
            IIncrementOrDecrementOperation increment => increment.Target == target,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            _ => false,
        };

        /// <summary>A method that changes its object: <c>[Mutates]</c>, or a mutating member of a framework collection or <c>StringBuilder</c>.</summary>
        public static bool IsMutator(IMethodSymbol method)
        {
            var type = method.ContainingType?.OriginalDefinition;
            if (type is null)
            {
                return false;
            }

            if (IsSystemNamespace(type.ContainingNamespace, "Collections", out var inner) &&
                (inner is null or "Generic" or "ObjectModel"))
            {
                return CollectionMutators.Contains(method.Name);
            }

            if (type.Name == "StringBuilder" && IsSystemNamespace(type.ContainingNamespace, "Text", out var nested) && nested is null)
            {
                return BuilderMutators.Contains(method.Name);
            }

            return AttributeNames.Has(method.OriginalDefinition, AttributeNames.Mutates);
        }

        /// <summary>Whether <paramref name="ns"/> is <c>System.{name}</c> or <c>System.{name}.{inner}</c>, without building its name.</summary>
        internal static bool IsSystemNamespace(INamespaceSymbol? ns, string name, out string? inner)
        {
            inner = null;
            if (ns is { ContainingNamespace: { Name: var parent } outer } && parent == name)
            {
                inner = ns.Name;
                ns = outer;
            }

            return ns is { Name: var own, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } && own == name;
        }
    }
}
