using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// A member with a body, as its syntax shows it: the names its callers write to reach it, the names its body writes,
    /// and whether it has a <c>lock</c> statement. Read without binding anything.
    /// </summary>
    internal sealed class MemberEntry
    {
        public MemberEntry(string[] names, string[] references, string[] written, string[] accessed, bool takesLock, bool isOperator, bool isHelper)
        {
            Names = names;
            References = references;
            Written = written;
            Accessed = accessed;
            TakesLock = takesLock;
            IsOperator = isOperator;
            IsHelper = isHelper;
        }

        /// <summary>
        /// A method that guard inference may give its callers' context (<see cref="CallContexts"/>): private or internal,
        /// neither virtual, abstract nor an override, nor an explicit interface implementation, in a class or struct.
        /// </summary>
        public bool IsHelper { get; }

        /// <summary>
        /// How a use names it: the method's or property's name, the type's name and <c>new()</c> for a constructor,
        /// <c>this[]</c> for an indexer; none for an operator or a finalizer.
        /// </summary>
        public string[] Names { get; }

        /// <summary>
        /// The identifiers its text writes (comments left out, string contents not), with <c>this[]</c> where it indexes
        /// something, <c>new()</c> and <c>Add</c> where it creates something (a target-typed creation, a collection
        /// initializer), a query's method names where it has a query, and for a constructor the names of its type and
        /// base types (the constructor it chains to, written or implicit). Attributes in its body (on local functions,
        /// lambdas) are among the identifiers.
        /// </summary>
        public string[] References { get; }

        /// <summary>The identifiers among <see cref="References"/> that its text may write or change the object of (<see cref="NameScan.Written"/>).</summary>
        public string[] Written { get; }

        /// <summary>The identifiers a member of which it uses otherwise (<see cref="NameScan.Accessed"/>): written only if that member carries <c>[Mutates]</c>.</summary>
        public string[] Accessed { get; }

        public bool TakesLock { get; }

        /// <summary>A user-defined operator or conversion: its uses name nothing.</summary>
        public bool IsOperator { get; }
    }

    /// <summary>A declaration that carries attributes: the attributes' simple names, and the names that make its uses interesting.</summary>
    internal readonly struct AttributedDeclaration
    {
        public AttributedDeclaration(string[] attributes, string[] names, bool isOperator)
        {
            Attributes = attributes;
            Names = names;
            IsOperator = isOperator;
        }

        public string[] Attributes { get; }

        public string[] Names { get; }

        public bool IsOperator { get; }
    }

    /// <summary>
    /// What one syntax tree declares, for the syntax pre-filter: its members with bodies, keyed by the start of their
    /// declaration, grouped by the type declaration they are in; its attributed declarations; its using aliases. Built once
    /// per tree and kept as long as the tree lives, so that an editor re-reads only the documents that changed.
    /// </summary>
    internal sealed class TreeIndex
    {
        private static readonly ConditionalWeakTable<SyntaxTree, TreeIndex> Cache = new();

        private readonly Dictionary<int, MemberEntry> _members = new();
        private readonly List<MemberEntry> _ordered = new();
        private readonly Dictionary<int, List<MemberEntry>> _byType = new();
        private readonly Dictionary<int, HashSet<string>> _dataNames = new();
        private readonly List<AttributedDeclaration> _attributed = new();
        private readonly List<(string Alias, string Target)> _aliases = new();

        private TreeIndex()
        {
        }

        /// <summary>Every member with a body.</summary>
        public IReadOnlyList<MemberEntry> Members => _ordered;

        public IReadOnlyList<AttributedDeclaration> Attributed => _attributed;

        /// <summary>Whether a member calls <c>EnterScope</c>: only then can a <c>Dispose</c> give a lock back.</summary>
        public bool EntersScopes { get; private set; }

        /// <summary>Using aliases: the alias, and the last identifier of what it names.</summary>
        public IReadOnlyList<(string Alias, string Target)> Aliases => _aliases;

        public static TreeIndex Of(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (Cache.TryGetValue(tree, out var index))
            {
                return index;
            }

            var built = new TreeIndex();
            built.Read(tree.GetRoot(cancellationToken), cancellationToken);
            return Cache.GetValue(tree, _ => built);
        }

        /// <summary>The entry of the member whose body <paramref name="codeBlock"/> is, or null when it is not one this index knows.</summary>
        public MemberEntry? Find(SyntaxNode codeBlock)
        {
            for (var node = codeBlock; node is not null; node = node.Parent)
            {
                if (node is MemberDeclarationSyntax or AccessorDeclarationSyntax)
                {
                    return _members.TryGetValue(node.SpanStart, out var entry) ? entry : null;
                }
            }

            return null;
        }

        /// <summary>The index of each of a type's declarations, with the declaration's start.</summary>
        public static IEnumerable<(TreeIndex Index, int Start)> DeclarationsOf(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                yield return (Of(reference.SyntaxTree, cancellationToken), reference.Span.Start);
            }
        }

        /// <summary>The members with bodies declared directly in the type declaration that starts at <paramref name="typeStart"/>.</summary>
        public IReadOnlyList<MemberEntry> MembersOf(int typeStart)
            => _byType.TryGetValue(typeStart, out var members) ? members : (IReadOnlyList<MemberEntry>)Array.Empty<MemberEntry>();

        /// <summary>The names of the data declared directly in that type declaration: fields, properties, events, a record's positional parameters.</summary>
        public IReadOnlyCollection<string> DataNamesOf(int typeStart)
            => _dataNames.TryGetValue(typeStart, out var names) ? names : (IReadOnlyCollection<string>)Array.Empty<string>();

        private void Read(SyntaxNode root, CancellationToken cancellationToken)
        {
            foreach (var node in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (node)
                {
                    case UsingDirectiveSyntax { Alias: { } alias } directive:
                        _aliases.Add((alias.Name.Identifier.ValueText, LastIdentifier(directive.NamespaceOrType)));
                        break;
                    case TypeDeclarationSyntax type:
                        ReadType(type);
                        break;
                    case DelegateDeclarationSyntax or EnumDeclarationSyntax:
                        Attribute((MemberDeclarationSyntax)node, NamesOf(node));
                        break;
                }
            }
        }

        private void ReadType(TypeDeclarationSyntax type)
        {
            var members = new List<MemberEntry>();
            var dataNames = new HashSet<string>(StringComparer.Ordinal);
            _byType[type.SpanStart] = members;
            _dataNames[type.SpanStart] = dataNames;
            if (type.AttributeLists.Count > 0)
            {
                // An annotation on a type reaches every member in it, nested types' included.
                var names = new List<string> { type.Identifier.ValueText, "new()" };
                foreach (var member in type.DescendantNodes())
                {
                    names.AddRange(member is MemberDeclarationSyntax or VariableDeclaratorSyntax ? NamesOf(member) : Array.Empty<string>());
                }

                Attribute(type, names.ToArray());
            }

            // A record's positional parameters are properties, and an attribute on one may target the property.
            foreach (var parameter in type.ParameterList?.Parameters ?? default)
            {
                dataNames.Add(parameter.Identifier.ValueText);
                if (parameter.AttributeLists.Count > 0)
                {
                    _attributed.Add(new AttributedDeclaration(AttributeNamesIn(parameter.AttributeLists), new[] { parameter.Identifier.ValueText }, isOperator: false));
                }
            }

            foreach (var member in type.Members)
            {
                var names = NamesOf(member);
                if (member is BaseFieldDeclarationSyntax or BasePropertyDeclarationSyntax)
                {
                    dataNames.UnionWith(names);
                }
                Attribute(member, names);
                switch (member)
                {
                    case BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null:
                        AddEntry(members, member, names, type);
                        break;
                    case BasePropertyDeclarationSyntax property:
                        ReadProperty(members, property, names, type);
                        break;
                }
            }
        }

        private void ReadProperty(List<MemberEntry> members, BasePropertyDeclarationSyntax property, string[] names, TypeDeclarationSyntax type)
        {
            if (property is PropertyDeclarationSyntax { ExpressionBody: not null } or IndexerDeclarationSyntax { ExpressionBody: not null })
            {
                AddEntry(members, property, names, type);
            }

            foreach (var accessor in property.AccessorList?.Accessors ?? default)
            {
                if (accessor.AttributeLists.Count > 0)
                {
                    _attributed.Add(new AttributedDeclaration(AttributeNamesIn(accessor.AttributeLists), names, isOperator: false));
                }

                if (accessor.Body is not null || accessor.ExpressionBody is not null)
                {
                    AddEntry(members, accessor, names, type);
                }
            }
        }

        private void AddEntry(List<MemberEntry> members, SyntaxNode declaration, string[] names, TypeDeclarationSyntax type)
        {
            // The body is read as text: walking its syntax would build the nodes of every body in the compilation.
            var scan = NameScan.Read(declaration.SyntaxTree.GetText(), declaration.Span);
            if (declaration is ConstructorDeclarationSyntax)
            {
                // The constructor it chains to, written (this(...), base(...)) or implicit.
                scan.References.Add(type.Identifier.ValueText);
                foreach (var baseType in type.BaseList?.Types ?? default)
                {
                    scan.References.Add(LastIdentifier(baseType.Type));
                }
            }

            EntersScopes |= scan.References.Contains("EnterScope");
            var references = ToArray(scan.References);
            var entry = new MemberEntry(
                names,
                references,
                scan.WritesAll ? references : ToArray(scan.Written),
                ToArray(scan.Accessed),
                scan.TakesLock,
                declaration is OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax,
                IsHelper(declaration, type));
            _members[declaration.SpanStart] = entry;
            _ordered.Add(entry);
            members.Add(entry);
        }

        private static bool IsHelper(SyntaxNode declaration, TypeDeclarationSyntax type)
        {
            if (declaration is not MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method || type is InterfaceDeclarationSyntax)
            {
                return false;
            }

            var modifiers = method.Modifiers;
            return !modifiers.Any(SyntaxKind.PublicKeyword) && !modifiers.Any(SyntaxKind.VirtualKeyword) && !modifiers.Any(SyntaxKind.AbstractKeyword) &&
                   !modifiers.Any(SyntaxKind.OverrideKeyword) && (!modifiers.Any(SyntaxKind.ProtectedKeyword) || modifiers.Any(SyntaxKind.PrivateKeyword));
        }

        /// <summary>Records a declaration's own attributes and those on its parameters and accessors.</summary>
        private void Attribute(MemberDeclarationSyntax member, string[] names)
        {
            var isOperator = member is OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax;
            if (member.AttributeLists.Count > 0)
            {
                _attributed.Add(new AttributedDeclaration(AttributeNamesIn(member.AttributeLists), names, isOperator));
            }

            var parameters = member switch
            {
                BaseMethodDeclarationSyntax method => method.ParameterList.Parameters,
                IndexerDeclarationSyntax indexer => indexer.ParameterList.Parameters,
                DelegateDeclarationSyntax @delegate => @delegate.ParameterList.Parameters,
                _ => default,
            };
            foreach (var parameter in parameters)
            {
                if (parameter.AttributeLists.Count > 0)
                {
                    _attributed.Add(new AttributedDeclaration(AttributeNamesIn(parameter.AttributeLists), names, isOperator));
                }
            }
        }

        /// <summary>The names a use of a member writes (see <see cref="MemberEntry.Names"/>).</summary>
        private static string[] NamesOf(SyntaxNode member) => member switch
        {
            MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
            ConstructorDeclarationSyntax constructor => new[] { constructor.Identifier.ValueText, "new()" },
            PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
            IndexerDeclarationSyntax => new[] { "this[]" },
            EventDeclarationSyntax @event => new[] { @event.Identifier.ValueText },
            BaseFieldDeclarationSyntax field => Variables(field.Declaration),
            VariableDeclaratorSyntax variable => new[] { variable.Identifier.ValueText },
            BaseTypeDeclarationSyntax type => new[] { type.Identifier.ValueText, "new()" },
            DelegateDeclarationSyntax @delegate => new[] { @delegate.Identifier.ValueText },
            _ => Array.Empty<string>(),
        };

        private static string[] Variables(VariableDeclarationSyntax declaration)
        {
            var names = new string[declaration.Variables.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = declaration.Variables[i].Identifier.ValueText;
            }

            return names;
        }

        private static string[] AttributeNamesIn(SyntaxList<AttributeListSyntax> lists)
        {
            var names = new List<string>();
            foreach (var list in lists)
            {
                foreach (var attribute in list.Attributes)
                {
                    names.Add(SimpleName(attribute.Name));
                }
            }

            return names.ToArray();
        }

        /// <summary>An attribute's name as written, without qualification and without an <c>Attribute</c> suffix.</summary>
        public static string SimpleName(NameSyntax name)
        {
            return AttributeNames.WithoutSuffix(LastIdentifier(name));
        }

        private static string LastIdentifier(TypeSyntax type) => type switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => type.ToString(),
        };

        private static string[] ToArray(HashSet<string> set)
        {
            var array = new string[set.Count];
            set.CopyTo(array);
            return array;
        }
    }
}
