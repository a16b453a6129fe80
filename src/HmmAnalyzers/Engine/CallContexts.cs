using System.Collections.Generic;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// What the private and internal helpers of a type can count on from their callers in the type: the own locks
    /// held at every call (a helper called only under <c>_gate</c> runs under it) and whether it is called only while an
    /// object is constructed. A greatest fixpoint over the calls in the type, so helpers calling helpers are followed.
    /// </summary>
    internal sealed class CallContexts
    {
        private sealed class Context
        {
            public List<(IMethodSymbol? Caller, OwnLocks Locks)> Sites { get; } = new();

            /// <summary>The locks held at every call; null while not known (every lock).</summary>
            public OwnLocks? Entry { get; set; }

            public bool ConstructionOnly { get; set; } = true;
        }

        private readonly Dictionary<IMethodSymbol, Context> _helpers = new(SymbolEqualityComparer.Default);

        private CallContexts()
        {
        }

        public static CallContexts Of(TypeFacts type, AnnotationModel model)
        {
            var contexts = new CallContexts();
            foreach (var facts in type.Analyzed)
            {
                foreach (var call in facts.Calls)
                {
                    if (contexts.HelperOf(call.Method, type.Type) is { } helper)
                    {
                        // A call on another object, or from a lambda that may run anywhere, brings no known context.
                        var onThis = call.Operation is IInvocationOperation
                        {
                            Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance },
                        };
                        var caller = onThis && !facts.IsNested ? facts.Symbol as IMethodSymbol : null;
                        helper.Sites.Add((caller, onThis ? OwnLocks.From(call.State, call.Method.IsStatic, model) : OwnLocks.Empty));
                    }
                }
            }

            foreach (var method in type.Unanalyzed)
            {
                foreach (var callee in method.Callees)
                {
                    contexts.HelperOf(callee, type.Type)?.Sites.Add((method.Method, OwnLocks.Empty));
                }
            }

            contexts.Solve();
            return contexts;
        }

        /// <summary>The locks held wherever <paramref name="method"/> is called: none unless it is a private helper of the type.</summary>
        public OwnLocks EntryOf(IMethodSymbol? method)
            => method is not null && _helpers.TryGetValue(method.OriginalDefinition, out var context) ? context.Entry ?? OwnLocks.Empty : OwnLocks.Empty;

        /// <summary>
        /// Whether code in <paramref name="method"/> runs while the object (for a static member, the type) is constructed
        /// or torn down: a constructor, an <c>init</c> accessor, a disposal method (<c>Dispose()</c>, <c>Dispose(bool)</c>,
        /// <c>DisposeAsync()</c>, a finalizer), or a helper called only from those. Disposal is not thread-safe by the .NET
        /// design guidelines: nothing may use an object while it is disposed, so no other thread is there to race.
        /// </summary>
        public bool IsConstruction(IMethodSymbol? method, bool forStatic)
        {
            if (method is null)
            {
                return false;
            }

            if (method.MethodKind == MethodKind.StaticConstructor)
            {
                return true;
            }

            return !forStatic && (IsLifecycle(method) || method.IsInitOnly ||
                (_helpers.TryGetValue(method.OriginalDefinition, out var context) && context.Sites.Count > 0 && context.ConstructionOnly));
        }

        private static bool IsConstructor(IMethodSymbol method) => method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor;

        /// <summary>A constructor, or a method that disposes the object (<see cref="IsConstruction"/>).</summary>
        private static bool IsLifecycle(IMethodSymbol method)
            => IsConstructor(method) || method.MethodKind == MethodKind.Destructor ||
                (method.Name is "Dispose" or "DisposeAsync" && method.Parameters.Length <= 1 &&
                 (method.Parameters.Length == 0 || method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean));

        private Context? HelperOf(IMethodSymbol method, INamedTypeSymbol type)
        {
            method = method.OriginalDefinition;
            if (method is not
                {
                    MethodKind: MethodKind.Ordinary,
                    DeclaredAccessibility: Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal,
                    IsVirtual: false,
                    IsAbstract: false,
                    IsOverride: false,
                } ||
                !method.ExplicitInterfaceImplementations.IsEmpty || !SymbolEqualityComparer.Default.Equals(method.ContainingType, type.OriginalDefinition))
            {
                return null;
            }

            if (!_helpers.TryGetValue(method, out var context))
            {
                _helpers[method] = context = new Context();
            }

            return context;
        }

        /// <summary>Lowers every helper's entry and construction flag from "everything" until nothing changes.</summary>
        private void Solve()
        {
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var context in _helpers.Values)
                {
                    OwnLocks? entry = null;
                    var construction = true;
                    foreach (var (caller, locks) in context.Sites)
                    {
                        var callerContext = caller is not null && _helpers.TryGetValue(caller.OriginalDefinition, out var known) ? known : null;
                        if (callerContext is not { Entry: null })
                        {
                            entry = OwnLocks.Intersect(entry, locks.Union(callerContext?.Entry ?? OwnLocks.Empty));
                        }

                        construction &= caller is not null && (IsLifecycle(caller) || callerContext is { ConstructionOnly: true });
                    }

                    if (entry is not null && (context.Entry is null || !context.Entry.SameAs(entry)))
                    {
                        context.Entry = entry;
                        changed = true;
                    }

                    if (context.ConstructionOnly && !construction)
                    {
                        context.ConstructionOnly = false;
                        changed = true;
                    }
                }
            }
        }
    }
}
