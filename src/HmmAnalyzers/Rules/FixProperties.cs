using System.Collections.Immutable;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Rules
{
    /// <summary>What a code fix needs to know, passed in the diagnostic's properties.</summary>
    public static class FixProperties
    {
        /// <summary>The lock as an expression in the method's own terms ("mm.MmapSem", "_gate").</summary>
        public const string Lock = "Lock";

        /// <summary>"Exclusive" or "Shared": the mode a [Requires*] attribute would name.</summary>
        public const string Mode = "Mode";

        /// <summary>"true" when the lock can be named in an attribute of the enclosing method (its root is not a local).</summary>
        public const string Annotatable = "Annotatable";

        /// <summary>"true" when the lock is a Monitor or System.Threading.Lock, so the statement can be wrapped in <c>lock</c>.</summary>
        public const string Wrappable = "Wrappable";

        /// <summary>For HMM010: the Lockdep calls to insert, separated by ';' ("AssertHeldExclusive(mm.MmapSem)").</summary>
        public const string Assertions = "Assertions";

        /// <summary>For HMM005/HMM006: the contract attribute the method would declare ("Acquires", "ReleasesShared"), with <see cref="Lock"/>.</summary>
        public const string Contract = "Contract";

        /// <param name="heldInAnotherMode">
        /// The lock is held, but not in the mode the access needs (a write under a read lock): neither a contract nor a
        /// <c>lock</c> around the statement fixes that, only taking it in the other mode, which is the author's to choose.
        /// </param>
        internal static ImmutableDictionary<string, string?> ForRequirement(MethodFacts facts, LockPath path, LockMode mode, LockInfo? info, bool heldInAnotherMode = false)
        {
            // A contract that the callers cannot meet only moves the warning to each of them: a member seen from outside the
            // assembly whose lock is a private member of its own type is not offered one.
            var annotatable = !heldInAnotherMode && !facts.IsNested && path.Root is not ILocalSymbol && !CallersCannotName(facts.Symbol, path);
            var wrappable = !heldInAnotherMode && info?.Family is LockFamily.Monitor or LockFamily.Lock;
            return ImmutableDictionary<string, string?>.Empty
                .Add(Lock, path.ToString())
                .Add(Mode, mode == LockMode.Exclusive ? "Exclusive" : "Shared")
                .Add(Annotatable, annotatable ? "true" : "false")
                .Add(Wrappable, wrappable ? "true" : "false");
        }

        private static bool CallersCannotName(ISymbol method, LockPath path)
        {
            if (path.Root is not null || path.Members.IsEmpty || path.Members[0].DeclaredAccessibility is not Accessibility.Private)
            {
                return false;
            }

            return AnnotationModel.IsVisibleOutsideAssembly(method is IMethodSymbol { AssociatedSymbol: { } property } ? property : method);
        }

        /// <summary>For HMM013: the inferred lock, when <c>[GuardedBy]</c> on the member can name it (a lock of the member's own type).</summary>
        internal static ImmutableDictionary<string, string?>? ForInferredGuard(ISymbol member, LockPath path)
        {
            // An inferred guard is one of the type's own locks (a member of `this` or a static member): its last symbol declares it.
            var declared = path.Last;
            return declared is not null && SymbolEqualityComparer.Default.Equals(declared.ContainingType, member.ContainingType)
                ? ImmutableDictionary<string, string?>.Empty.Add(Lock, declared.Name)
                : null;
        }

        internal static ImmutableDictionary<string, string?> ForContract(LockPath path, string attribute)
            => ImmutableDictionary<string, string?>.Empty.Add(Lock, path.ToString()).Add(Contract, attribute);

        /// <summary>The Lockdep method that checks <paramref name="mode"/> on a lock of kind <paramref name="info"/>.</summary>
        internal static string AssertionFor(LockMode mode, LockInfo? info) => mode switch
        {
            LockMode.Exclusive when info?.HasShared == true => "AssertHeldExclusive",
            LockMode.Shared when info?.HasShared == true => "AssertHeldShared",
            _ => "AssertHeld",
        };
    }
}
