using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>A guard inferred for an unannotated member: <see cref="Holding"/> of its <see cref="Total"/> accesses outside construction hold <see cref="Lock"/>.</summary>
    /// <param name="LockedWrites">The writes that hold it, in source order.</param>
    internal sealed record InferredGuard(ISymbol Member, LockPath Lock, int Holding, int Total, ImmutableArray<IOperation> LockedWrites);

    /// <summary>An access to a member with an inferred guard that does not hold it (for a write, exclusively).</summary>
    internal sealed record InconsistentAccess(InferredGuard Guard, IOperation Operation, bool IsWrite, bool HeldShared);

    /// <summary>
    /// Inconsistent synchronization, as SpotBugs' IS2 and Coverity's GUARDED_BY_VIOLATION find it: a member of a type
    /// that is written under one of the type's locks at least <see cref="MinimumLockedWrites"/> times, and accessed under
    /// it in at least two thirds of the places outside construction, is taken to be guarded by it; the other places are
    /// reported. Runs once per type, on the facts the engine gathered from its functions.
    /// </summary>
    internal static class GuardInference
    {
        public const int MinimumLockedWrites = 2;

        private sealed class Site
        {
            public Site(IOperation operation, bool isWrite, OwnLocks locks, MethodFacts? facts, IMethodSymbol? owner)
            {
                Operation = operation;
                IsWrite = isWrite;
                Locks = locks;
                Facts = facts;
                Owner = owner;
            }

            /// <summary>The method the access is written in (for a lambda, the method around it).</summary>
            public IMethodSymbol? Owner { get; }

            /// <summary>A read in a function that fences (<c>MemoryBarrier</c>): unlocked on purpose.</summary>
            public bool Deliberate { get; set; }

            /// <summary>
            /// The locks a bool says are held or not here: a best-effort <c>Monitor.TryEnter</c> whose code goes on either way
            /// accesses the member without the lock on purpose.
            /// </summary>
            public OwnLocks Carried { get; set; } = OwnLocks.Empty;

            public IOperation Operation { get; }

            public bool IsWrite { get; set; }

            public OwnLocks Locks { get; set; }

            /// <summary>The analyzed function it is in; null in a method that takes no lock.</summary>
            public MethodFacts? Facts { get; }
        }

        /// <param name="everyRead">
        /// Report every read that does not hold the guard, not only those that go wrong (<see cref="GoesWrong"/>): the
        /// <c>hmm_analyzers.inferred_guard_reads = all</c> option.
        /// </param>
        public static List<InconsistentAccess> Run(TypeFacts type, AnnotationModel model, CancellationToken cancellationToken, bool everyRead = false)
        {
            var found = new List<InconsistentAccess>();
            if (!type.Analyzed.Any(f => f.Observed.Any(o => o.IsWrite && !o.State.Locks.IsEmpty)))
            {
                return found;
            }

            var members = Collect(type, CallContexts.Of(type, model), model);
            foreach (var member in members.OrderBy(m => m.Key.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sites = member.Value.Values.OrderBy(s => s.Operation.Syntax.SpanStart).ToList();
                if (Infer(member.Key, sites) is { } guard)
                {
                    found.AddRange(Inconsistent(guard, sites, everyRead));
                }
            }

            return found;
        }

        /// <summary>Every access outside construction, per member, once per syntax node with the locks held on every visit.</summary>
        private static Dictionary<ISymbol, Dictionary<SyntaxNode, Site>> Collect(TypeFacts type, CallContexts contexts, AnnotationModel model)
        {
            var members = new Dictionary<ISymbol, Dictionary<SyntaxNode, Site>>(SymbolEqualityComparer.Default);
            foreach (var facts in type.Analyzed)
            {
                var owner = TopLevel(facts.Symbol);
                var entry = facts.IsNested ? OwnLocks.Empty : contexts.EntryOf(owner);
                var fenced = facts.Calls.Exists(c => Observation.IsFence(c.Method));
                foreach (var access in facts.Observed)
                {
                    if (!contexts.IsConstruction(owner, access.Member.IsStatic))
                    {
                        var locks = OwnLocks.From(access.State, access.Member.IsStatic, model).Union(entry);
                        var site = Add(members, access, locks, facts, owner, fenced && !access.IsWrite);
                        site.Carried = site.Carried.Union(OwnLocks.Carried(access.State, access.Member.IsStatic, model));
                    }
                }
            }

            foreach (var method in type.Unanalyzed)
            {
                var entry = contexts.EntryOf(method.Method);
                var fenced = method.Callees.Any(Observation.IsFence);
                foreach (var operation in method.Observed)
                {
                    var member = ((IMemberReferenceOperation)operation).Member;
                    if (!contexts.IsConstruction(method.Method, member.IsStatic) && Observation.Access(operation, member, FlowState.Empty) is { } access)
                    {
                        Add(members, access, entry, null, method.Method, fenced && !access.IsWrite);
                    }
                }
            }

            return members;
        }

        private static Site Add(
            Dictionary<ISymbol, Dictionary<SyntaxNode, Site>> members, ObservedAccess access, OwnLocks locks, MethodFacts? facts, IMethodSymbol? owner, bool deliberate)
        {
            var member = access.Member.OriginalDefinition;
            if (!members.TryGetValue(member, out var sites))
            {
                members[member] = sites = new Dictionary<SyntaxNode, Site>();
            }

            if (sites.TryGetValue(access.Operation.Syntax, out var site))
            {
                site.IsWrite |= access.IsWrite;
                site.Locks = OwnLocks.Intersect(site.Locks, locks);
                site.Deliberate |= deliberate;
                return site;
            }

            return sites[access.Operation.Syntax] = new Site(access.Operation, access.IsWrite, locks, facts, owner) { Deliberate = deliberate };
        }

        /// <summary>The method a lambda or local function is written in.</summary>
        private static IMethodSymbol? TopLevel(ISymbol symbol)
        {
            while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } && symbol.ContainingSymbol is { } outer)
            {
                symbol = outer;
            }

            return symbol as IMethodSymbol;
        }

        /// <summary>The lock held at the most accesses, when it passes the thresholds and some access does not hold it.</summary>
        private static InferredGuard? Infer(ISymbol member, List<Site> sites)
        {
            if (member is IPropertySymbol property && !IsAutoProperty(property))
            {
                return null;
            }

            InferredGuard? best = null;
            var candidates = sites.Where(s => s.IsWrite).SelectMany(s => s.Locks.Paths).Distinct().Where(p => OwnLocks.CanGuard(p, member.IsStatic));
            foreach (var path in candidates.OrderBy(p => p.ToString(), StringComparer.Ordinal))
            {
                var lockedWrites = sites.Where(s => s.IsWrite && s.Locks.Holds(path, write: true)).Select(s => s.Operation).ToImmutableArray();
                var holding = sites.Count(s => s.Locks.Holds(path, s.IsWrite));
                if (lockedWrites.Length >= MinimumLockedWrites && holding * 3 >= sites.Count * 2 && holding < sites.Count &&
                    (best is null || holding > best.Holding || (holding == best.Holding && lockedWrites.Length > best.LockedWrites.Length)))
                {
                    best = new InferredGuard(member, path, holding, sites.Count, lockedWrites);
                }
            }

            return best;
        }

        private static IEnumerable<InconsistentAccess> Inconsistent(InferredGuard guard, List<Site> sites, bool everyRead)
        {
            var exempt = DoubleCheckedReads(guard, sites);
            var changedInPlace = sites.Exists(s => s.IsWrite && !LockTransfer.IsWrite(s.Operation));
            var statements = new HashSet<SyntaxNode>();
            foreach (var site in sites)
            {
                if (!site.Locks.Holds(guard.Lock, site.IsWrite) && !site.Deliberate && !site.Carried.Holds(guard.Lock, write: false) &&
                    exempt?.Contains(site) != true && !MayRunUnderBaseLock(site, guard) && (everyRead || GoesWrong(site, guard, sites, changedInPlace)) &&
                    !Observation.IsForTheDebugger(site.Owner) &&
                    statements.Add(site.Operation.Syntax.FirstAncestorOrSelf<SyntaxNode>(n => n is StatementSyntax or ArrowExpressionClauseSyntax) ?? site.Operation.Syntax))
                {
                    yield return new InconsistentAccess(guard, site.Operation, site.IsWrite, site.Locks.Holds(guard.Lock, write: false));
                }
            }
        }

        /// <summary>
        /// Whether an access without the inferred guard goes wrong, rather than reading a value that is stale by nature
        /// (a count, a status, a reference swapped whole): a write; a read of the contents of a collection that others
        /// change in place under the lock (enumerating it, looking a key up, passing it on, a live view such as
        /// <c>Values</c>), which can throw or see a half-made change; and a read, after the lock was released, of what
        /// the same function read under it, whose value may have changed in between (a lost update).
        /// </summary>
        private static bool GoesWrong(Site site, InferredGuard guard, List<Site> sites, bool changedInPlace)
        {
            if (site.IsWrite || (changedInPlace && ReadsContents(site.Operation)))
            {
                return true;
            }

            var at = site.Operation.Syntax.SpanStart;
            return site.Facts is { } function &&
                sites.Exists(s => s.Facts == function && s.Operation.Syntax.SpanStart < at && s.Locks.Holds(guard.Lock, write: false));
        }

        /// <summary>Properties of a collection that do not read its elements: what a lone unlocked read of them sees is stale, not broken.</summary>
        private static readonly HashSet<string> ShapeProperties = new(StringComparer.Ordinal)
        {
            "Count", "LongCount", "Length", "LongLength", "IsEmpty", "Capacity", "Comparer", "IsReadOnly", "IsSynchronized", "SyncRoot",
        };

        /// <summary>A read that goes into the member's contents: a call on it or with it, an element or indexer read, an enumeration, a live view.</summary>
        private static bool ReadsContents(IOperation read)
        {
            var operation = read.ThroughConversions();
            return operation.Parent switch
            {
                IInvocationOperation invocation => invocation.Instance == operation,
                IPropertyReferenceOperation property => property.Instance == operation && (property.Property.IsIndexer || !ShapeProperties.Contains(property.Property.Name)),
                IArrayElementReferenceOperation element => element.ArrayReference == operation,
                IForEachLoopOperation loop => loop.Collection == operation,
                IArgumentOperation { Parent: IInvocationOperation call } => !LockApi.IsLockApi(call.TargetMethod),
                IArgumentOperation { Parent: IObjectCreationOperation } => true,
                _ => false,
            };
        }

        /// <summary>
        /// An access in an override when the guard is a base type's lock: the base may call the override with its lock held
        /// (a template method, as <c>DoAppend</c> calling <c>Append</c>), which a type's own facts cannot tell.
        /// </summary>
        private static bool MayRunUnderBaseLock(Site site, InferredGuard guard)
            => site.Owner is { IsOverride: true } &&
               guard.Lock.Last is { ContainingType: var owner } &&
               !SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, guard.Member.ContainingType.OriginalDefinition);

        /// <summary>
        /// The unlocked reads of a reference-typed member in functions that initialize it lazily with double-checked
        /// locking: an unlocked read tested against null, then the lock taken and the member read again. Publishing a
        /// reference is atomic in .NET, so the unlocked reads see null or a complete object.
        /// </summary>
        private static HashSet<Site>? DoubleCheckedReads(InferredGuard guard, List<Site> sites)
        {
            if (guard.Member is not (IFieldSymbol { Type.IsReferenceType: true } or IPropertySymbol { Type.IsReferenceType: true }))
            {
                return null;
            }

            HashSet<Site>? exempt = null;
            foreach (var function in sites.Where(s => s.Facts is not null).GroupBy(s => s.Facts))
            {
                var unlocked = function.Where(s => !s.IsWrite && !s.Locks.Holds(guard.Lock, write: false)).ToList();
                var checkedFirst = unlocked.Where(s => IsNullTested(s.Operation)).Select(s => s.Operation.Syntax.SpanStart).DefaultIfEmpty(int.MaxValue).Min();
                if (function.Any(s => s.Locks.Holds(guard.Lock, write: false) && s.Operation.Syntax.SpanStart > checkedFirst))
                {
                    (exempt ??= new HashSet<Site>()).UnionWith(unlocked);
                }
            }

            return exempt;
        }

        /// <summary>A read whose value is compared with null, directly or through the local it is stored in.</summary>
        private static bool IsNullTested(IOperation read)
        {
            return read.ThroughConversions().Parent switch
            {
                IBinaryOperation binary => binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals &&
                    (binary.LeftOperand.ConstantValue is { HasValue: true, Value: null } || binary.RightOperand.ConstantValue is { HasValue: true, Value: null }),
                IIsPatternOperation or IIsNullOperation or ICoalesceOperation or IVariableInitializerOperation => true,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation } => true,
                _ => false,
            };
        }

        /// <summary>A property whose accessors have no bodies, and that no override can give some: its data is a hidden field.</summary>
        private static bool IsAutoProperty(IPropertySymbol property)
            => property is { IsVirtual: false, IsOverride: false, IsAbstract: false, DeclaringSyntaxReferences.Length: 1 } &&
               property.DeclaringSyntaxReferences[0].GetSyntax() is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors } declaration &&
               !declaration.Modifiers.Any(m => m.ValueText is "abstract" or "extern" or "partial") &&
               accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);
    }
}
