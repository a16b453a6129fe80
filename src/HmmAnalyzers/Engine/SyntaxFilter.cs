using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The syntax pre-filter: decides, from names alone, which members may matter to a rule before anything of theirs is
    /// bound. A member matters when its syntax writes a lock statement, the name of a lock API, or the name of a member
    /// that carries an annotation (here or in a referenced assembly); or when it shares member names with the lock-taking
    /// code of its own type (guard inference reads every access to those members). Names stand for every member so named,
    /// so the filter errs towards analyzing. It steps aside when an operator or a conversion carries an annotation, as
    /// their uses name nothing. The lock order reads the calls of the members left unbound that a call made under a lock
    /// reaches, at the compilation's end (<see cref="UnvisitedCallees"/>).
    /// </summary>
    internal sealed class SyntaxFilter
    {
        /// <summary>The names a referenced assembly makes interesting: its annotated members. Kept per assembly, which editors share across compilations.</summary>
        private static readonly ConditionalWeakTable<IAssemblySymbol, string[]> MetadataNames = new();

        private static readonly string[] LockApiNames =
            LockApiTable.Entries.Where(e => e.ChangesLocks && e.Member != "Dispose").Select(e => e.Member).Distinct().ToArray();

        private readonly Compilation _compilation;
        private readonly object _gate = new();
        private volatile Names? _names;

        public SyntaxFilter(Compilation compilation) => _compilation = compilation;

        /// <summary>What the whole compilation makes interesting, built once (at compilation start).</summary>
        private sealed class Names
        {
            /// <summary>Lock API names and annotated members' names: a member that writes one needs the engine.</summary>
            public HashSet<string> Relevant { get; } = new(StringComparer.Ordinal);

            /// <summary>The names of annotated declarations.</summary>
            public HashSet<string> Annotated { get; } = new(StringComparer.Ordinal);

            /// <summary>The annotations' simple names, and the aliases that name them.</summary>
            public HashSet<string> Attributes { get; } = new(StringComparer.Ordinal);

            /// <summary>Whether every member is analyzed (an operator or a conversion carries an annotation: their uses name nothing).</summary>
            public bool Off { get; set; }

            /// <summary>Whether a method may carry <c>[Mutates]</c> (here, by an alias, or in a referenced assembly): then any method called on data may write it.</summary>
            public bool Mutators { get; set; }
        }

        /// <summary>Whether a member with this body may matter to any rule; when not, nothing of it is bound.</summary>
        public bool MayMatter(SyntaxNode codeBlock, TypeFacts type, CancellationToken cancellationToken)
        {
            var names = Get(cancellationToken);
            if (names.Off || TreeIndex.Of(codeBlock.SyntaxTree, cancellationToken).Find(codeBlock) is not { } entry)
            {
                return true;
            }

            return IsRelevant(entry, names) || InferenceScope(type, names, cancellationToken).Contains(entry);
        }

        /// <summary>
        /// Whether any member of a type declared in source may matter (<see cref="MayMatter(SyntaxNode, TypeFacts, CancellationToken)"/>):
        /// when none does, nothing of the type is bound, and <paramref name="members"/> tells how many members with bodies
        /// it has. Guard inference needs a member that takes a lock (or names an annotated one) to start from, so a type
        /// without one has nothing for it either. A type whose code the index does not list (top-level statements, a
        /// primary constructor) may matter.
        /// </summary>
        public bool MayMatter(INamedTypeSymbol type, CancellationToken cancellationToken, out int members)
        {
            members = 0;
            var names = Get(cancellationToken);
            if (names.Off || type.IsImplicitlyDeclared ||
                type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is not Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax { ParameterList: null }))
            {
                return true;
            }

            var entries = TreeIndex.DeclarationsOf(type, cancellationToken).SelectMany(d => d.Index.MembersOf(d.Start)).ToList();
            if (entries.Exists(e => IsRelevant(e, names)))
            {
                return true;
            }

            members = entries.Count;
            return false;
        }

        /// <summary>Whether a source symbol may carry one of the annotations, by its name; a symbol from elsewhere may.</summary>
        public bool MayCarryAnnotations(ISymbol symbol, CancellationToken cancellationToken)
        {
            var names = Get(cancellationToken);
            if (names.Off || !symbol.Locations.Any(l => l.IsInSource))
            {
                return true;
            }

            return DeclaredName(symbol) is not { } name || names.Annotated.Contains(name);
        }

        /// <summary>The name a use of <paramref name="symbol"/> writes, as the syntax index spells it; null for operators.</summary>
        private static string? DeclaredName(ISymbol symbol)
        {
            switch (symbol)
            {
                case IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor:
                    return constructor.ContainingType.Name;
                case IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion or MethodKind.BuiltinOperator }:
                    return null;
                case IMethodSymbol { AssociatedSymbol: { } associated }:
                    return DeclaredName(associated);
                case IPropertySymbol { IsIndexer: true }:
                    return "this[]";
            }

            // An explicit interface implementation is named after the interface ("IFoo.Do"); its declaration writes "Do".
            var name = symbol.Name;
            var dot = name.LastIndexOf('.');
            return dot < 0 ? name : name.Substring(dot + 1);
        }

        private static bool IsRelevant(MemberEntry entry, Names names)
            => entry.TakesLock || Any(entry.References, names.Relevant) || Any(entry.Names, names.Annotated) || Any(entry.References, names.Attributes);

        private static bool Any(string[] values, HashSet<string> set)
        {
            foreach (var value in values)
            {
                if (set.Contains(value))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Finds the names now, rather than on first use.</summary>
        public void Prepare(CancellationToken cancellationToken) => Get(cancellationToken);

        private Names Get(CancellationToken cancellationToken)
        {
            if (_names is { } names)
            {
                return names;
            }

            // Built under a lock and not cached on failure: a cancelled build leaves the next caller to build again.
            lock (_gate)
            {
                return _names ??= Build(cancellationToken);
            }
        }

        private Names Build(CancellationToken cancellationToken)
        {
            var indexes = _compilation.SyntaxTrees.Select(t => TreeIndex.Of(t, cancellationToken)).ToArray();
            var metadata = _compilation.SourceModule.ReferencedAssemblySymbols.Select(a => MetadataNames.GetValue(a, AnnotatedNamesIn)).ToArray();

            // Lock.Scope's Dispose gives the lock back, where the framework has it and the code enters scopes.
            var scopes = indexes.Any(i => i.EntersScopes) && _compilation.GetTypeByMetadataName("System.Threading.Lock") is not null;
            var key = _compilation.AssemblyName ?? string.Empty;
            if (LastBuilt.TryGetValue(key, out var last) && last.Reusable(indexes, metadata, scopes))
            {
                LastBuilt[key] = new Snapshot(indexes, metadata, scopes, last.Names);
                return last.Names;
            }

            var names = new Names();
            ReadAttributes(names, indexes);
            foreach (var annotated in metadata)
            {
                names.Annotated.UnionWith(annotated);
            }

            names.Off |= names.Annotated.Contains(OperatorName);
            names.Mutators |= names.Annotated.Contains(MutatorMark);
            names.Relevant.UnionWith(LockApiNames);
            if (scopes)
            {
                names.Relevant.Add("Dispose");
            }

            names.Relevant.UnionWith(names.Annotated);
            LastBuilt[key] = new Snapshot(indexes, metadata, scopes, names);
            return names;
        }

        /// <summary>
        /// The names last found for each assembly, with what they were found from. An editor's next compilation differs from
        /// the last in one document; the names depend only on its attributes and aliases, so an edit that changes neither
        /// (nearly every edit) takes the names over.
        /// </summary>
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Snapshot> LastBuilt = new(StringComparer.Ordinal);

        private sealed class Snapshot
        {
            private readonly TreeIndex[] _indexes;
            private readonly string[][] _metadata;
            private readonly bool _scopes;

            public Snapshot(TreeIndex[] indexes, string[][] metadata, bool scopes, Names names)
            {
                _indexes = indexes;
                _metadata = metadata;
                _scopes = scopes;
                Names = names;
            }

            public Names Names { get; }

            /// <summary>Whether names found from this snapshot hold for the new one: the same references, and at most one document changed, in no attribute and no alias.</summary>
            public bool Reusable(TreeIndex[] indexes, string[][] metadata, bool scopes)
            {
                if (scopes != _scopes || indexes.Length != _indexes.Length || metadata.Length != _metadata.Length ||
                    metadata.Where((m, i) => !ReferenceEquals(m, _metadata[i])).Any())
                {
                    return false;
                }

                var changed = Enumerable.Range(0, indexes.Length).Where(i => !ReferenceEquals(indexes[i], _indexes[i])).Take(2).ToList();
                return changed.Count == 0 || (changed.Count == 1 && SameForNames(_indexes[changed[0]], indexes[changed[0]]));
            }

            private static bool SameForNames(TreeIndex before, TreeIndex after)
            {
                if (before.EntersScopes != after.EntersScopes || !before.Aliases.SequenceEqual(after.Aliases) || before.Attributed.Count != after.Attributed.Count)
                {
                    return false;
                }

                for (var i = 0; i < before.Attributed.Count; i++)
                {
                    var (a, b) = (before.Attributed[i], after.Attributed[i]);
                    if (a.IsOperator != b.IsOperator || !a.Attributes.SequenceEqual(b.Attributes) || !a.Names.SequenceEqual(b.Names))
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        private const string OperatorName = "operator";

        /// <summary>Among an assembly's annotated names, the mark that one of its methods carries <c>[Mutates]</c> (no identifier has brackets).</summary>
        private const string MutatorMark = "[Mutates]";

        private static readonly string MutatesName = AttributeNames.WithoutSuffix(AttributeNames.Mutates);

        private static void ReadAttributes(Names names, TreeIndex[] indexes)
        {
            names.Attributes.UnionWith(AttributeNames.All.Select(AttributeNames.WithoutSuffix));
            foreach (var (alias, target) in indexes.SelectMany(i => i.Aliases))
            {
                if (AttributeNames.All.Contains(target) || AttributeNames.All.Contains(target + "Attribute"))
                {
                    names.Attributes.Add(alias);
                }
            }

            var aliases = new HashSet<string>(indexes.SelectMany(i => i.Aliases).Select(a => a.Alias), StringComparer.Ordinal);
            foreach (var declaration in indexes.SelectMany(i => i.Attributed))
            {
                if (Any(declaration.Attributes, names.Attributes))
                {
                    names.Annotated.UnionWith(declaration.Names);
                    names.Off |= declaration.IsOperator;
                    names.Mutators |= declaration.Attributes.Any(a => a == MutatesName || aliases.Contains(a));
                }
            }
        }

        /// <summary>The members of a type that guard inference needs to see (<see cref="Engine.InferenceScope"/>), found once per type.</summary>
        private static HashSet<MemberEntry> InferenceScope(TypeFacts type, Names names, CancellationToken cancellationToken)
            => type.FilterScope(() => Engine.InferenceScope.Of(type.Type, entry => IsRelevant(entry, names), names.Mutators, cancellationToken));

        /// <summary>The names of an assembly's annotated members, when it can carry the annotations at all.</summary>
        private static string[] AnnotatedNamesIn(IAssemblySymbol assembly)
        {
            if (!AnnotationModel.MayCarryAnnotations(assembly))
            {
                return Array.Empty<string>();
            }

            var found = new HashSet<string>(StringComparer.Ordinal);
            var namespaces = new Stack<INamespaceSymbol>();
            namespaces.Push(assembly.GlobalNamespace);
            while (namespaces.Count > 0)
            {
                var ns = namespaces.Pop();
                foreach (var member in ns.GetMembers())
                {
                    if (member is INamespaceSymbol inner)
                    {
                        namespaces.Push(inner);
                    }
                    else if (member is INamedTypeSymbol type)
                    {
                        ReadMetadataType(type, found, annotatedType: false);
                    }
                }
            }

            return found.ToArray();
        }

        /// <summary>
        /// Of an annotated type's unannotated members, those a call of which can change or tell a lock: its constructors
        /// and <c>Dispose</c> (a scoped guard's release), and methods; its properties (a lock's name, whether it is held)
        /// cannot, and their common names would keep every member that uses such a name.
        /// </summary>
        private static bool MayMatter(ISymbol member)
            => member is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.Constructor } && member.DeclaredAccessibility != Accessibility.Private;

        private static void ReadMetadataType(INamedTypeSymbol type, HashSet<string> found, bool annotatedType)
        {
            annotatedType |= AnnotationModel.HasAnnotations(type);
            if (annotatedType)
            {
                found.Add(type.Name);
                found.Add("new()");
            }

            foreach (var member in type.GetMembers())
            {
                if (member is INamedTypeSymbol nested)
                {
                    ReadMetadataType(nested, found, annotatedType);
                }
                else if ((annotatedType && MayMatter(member)) || AnnotationModel.HasAnnotations(member) ||
                    (member is IMethodSymbol method && method.Parameters.Any(AnnotationModel.HasAnnotations)))
                {
                    if (AttributeNames.Has(member, AttributeNames.Mutates))
                    {
                        found.Add(MutatorMark);
                    }

                    var name = DeclaredName(member) ?? OperatorName;
                    found.Add(name);
                    if (member is IMethodSymbol { MethodKind: MethodKind.Constructor })
                    {
                        found.Add("new()");
                    }
                }
            }
        }
    }
}
