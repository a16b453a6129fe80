using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HmmAnalyzers.Model
{
    /// <summary>
    /// Per-compilation, thread-safe cache of what the annotations and the built-in lock types say:
    /// contracts of methods, guards of members, and the kind of lock a type is.
    /// </summary>
    internal sealed class AnnotationModel
    {
        private readonly ConcurrentDictionary<INamedTypeSymbol, string[]> _typeTexts = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, bool> _runsLater = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _cannotThrow = new(SymbolEqualityComparer.Default);

        private readonly ConcurrentDictionary<ISymbol, MethodContract> _contracts = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, ImmutableArray<LockReference>> _guards = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, ImmutableArray<LockReference>> _references = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, IFieldSymbol?> _fieldsBehind = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, LockInfo?> _lockInfos = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ITypeSymbol, HashSet<ISymbol>> _annotatedLocks = new(SymbolEqualityComparer.Default);

        private readonly ConcurrentDictionary<IAssemblySymbol, bool> _annotatedAssemblies = new(SymbolEqualityComparer.Default);
        private readonly Compilation _compilation;

        private readonly System.Lazy<DeclaredLockOrder> _declaredOrder;

        public AnnotationModel(Compilation compilation)
        {
            _compilation = compilation;
            _declaredOrder = new System.Lazy<DeclaredLockOrder>(() => DeclaredLockOrder.Build(compilation, this), isThreadSafe: true);
        }

        /// <summary>The declared lock order of the compilation, built on first use.</summary>
        public DeclaredLockOrder DeclaredOrder => _declaredOrder.Value;

        /// <summary>The <c>[GuardedBy]</c> references of a field or property (usually zero or one).</summary>
        public ImmutableArray<LockReference> GetGuards(ISymbol member)
        {
            var definition = member.OriginalDefinition;
            if (!MayBeAnnotated(definition) || !HasAnnotations(definition))
            {
                return ImmutableArray<LockReference>.Empty;
            }

            if (_guards.TryGetValue(definition, out var guards))
            {
                return guards;
            }

            var references = AllReferences(definition);
            guards = references.IsEmpty ? references : references.Where(r => AttributeNames.NameOf(r.Attribute) == AttributeNames.GuardedBy).ToImmutableArray();
            return _guards.GetOrAdd(definition, guards);
        }

        public MethodContract GetContract(IMethodSymbol method)
        {
            if (!MayBeAnnotated(method))
            {
                return MethodContract.Empty;
            }

            // Most methods carry no annotation, which the symbols' own attribute lists tell: the cache holds only the
            // methods that may have a contract.
            var definition = (IMethodSymbol)method.OriginalDefinition;
            if (!MayHaveContract(definition) && !MayInherit(definition))
            {
                return MethodContract.Empty;
            }

            // Looked up before GetOrAdd: its factory reads this model, so it would allocate a delegate on every call.
            return _contracts.TryGetValue(definition, out var contract) ? contract : _contracts.GetOrAdd(definition, ReadContract(definition));
        }

        /// <summary>Whether the method, its property, its containing types or its parameters carry any annotation.</summary>
        private static bool MayHaveContract(IMethodSymbol method)
            => HasAnnotations(method) || (method.AssociatedSymbol is { } associated && HasAnnotations(associated)) ||
               InAnnotatedType(method) || method.Parameters.Any(HasAnnotations);

        /// <summary>
        /// Whether a symbol can carry the annotations at all: it is declared in this compilation, or in an assembly that
        /// declares them or references one that does. The framework's thousands of members never need their attributes read.
        /// </summary>
        private bool MayBeAnnotated(ISymbol symbol)
        {
            var assembly = symbol.ContainingAssembly;
            // The compilation's assembly is read here, not in the constructor: asking for it binds the references, which
            // the compiler does anyway, and the analyzer should not be the one that pays for it at compilation start.
            if (assembly is null || SymbolEqualityComparer.Default.Equals(assembly, _compilation.Assembly))
            {
                return true;
            }

            return _annotatedAssemblies.GetOrAdd(assembly, MayCarryAnnotations);
        }

        /// <summary>Whether an assembly declares the annotations or references one that does.</summary>
        public static bool MayCarryAnnotations(IAssemblySymbol assembly)
            => DeclaresAnnotations(assembly) || assembly.Modules.Any(m => m.ReferencedAssemblySymbols.Any(DeclaresAnnotations));

        private static bool DeclaresAnnotations(IAssemblySymbol assembly)
            => assembly.GlobalNamespace.GetNamespaceMembers().Any(n => n.Name == "HmmAnalyzers" && n.GetNamespaceMembers().Any(a => a.Name == "Annotations"));

        /// <summary>The kind of lock that a value of <paramref name="type"/> stored in <paramref name="member"/> is, or null when it is not a lock.</summary>
        public LockInfo? Classify(ITypeSymbol? type, ISymbol? member)
        {
            if (type is null)
            {
                return null;
            }

            // The common lock, a plain object, and the framework's lock types are known without a cache lookup.
            if (type.SpecialType == SpecialType.System_Object)
            {
                return LockInfo.Monitor;
            }

            var known = KnownTypes.Of(type);
            if (known == KnownType.ReaderWriterLockSlim && member is IFieldSymbol or IPropertySymbol)
            {
                return _lockInfos.GetOrAdd(member, static m => IsRecursive(m) ? LockInfo.RecursiveReaderWriter : LockInfo.ReaderWriter);
            }

            return FrameworkLock(known) ?? _lockInfos.GetOrAdd(type.OriginalDefinition, t => ClassifyType((ITypeSymbol)t));
        }

        private static LockInfo? FrameworkLock(KnownType known)
            => known switch
            {
                KnownType.ReaderWriterLockSlim => LockInfo.ReaderWriter,
                KnownType.SpinLock => LockInfo.SpinLock,
                KnownType.Lock => LockInfo.Lock,
                KnownType.Mutex => LockInfo.Mutex,
                KnownType.SemaphoreSlim or KnownType.Semaphore => LockInfo.Semaphore,
                _ => null,
            };

        /// <summary>
        /// Whether a semaphore member is used as a lock: an annotation in its type names it, or it is a readonly field
        /// created as a binary semaphore (<c>new SemaphoreSlim(1, 1)</c>, <c>new SemaphoreSlim(1)</c>), the async mutex of .NET.
        /// </summary>
        public bool IsAnnotatedLock(ISymbol member) => IsBinarySemaphore(member) || IsNamedByAnnotation(member);

        /// <summary>
        /// Whether the lock-discipline rules (HMM004 to HMM006, HMM012) check a lock: every lock but a binary semaphore that
        /// no annotation names, which is tracked only so that guard inference (HMM013) sees it held. A semaphore may be
        /// released by another method or thread by design, so its acquisitions and releases are not judged unless asked.
        /// </summary>
        public bool IsChecked(LockPath path)
            => path.Last is not IFieldSymbol { Type: var type } field || KnownTypes.Of(type) != KnownType.SemaphoreSlim || IsNamedByAnnotation(field);

        private bool IsNamedByAnnotation(ISymbol member)
        {
            if (member.ContainingType is not { } type)
            {
                return false;
            }

            // Built once per type from the members' cached references, and only read afterwards, so a plain set is
            // safe to share between threads.
            if (!_annotatedLocks.TryGetValue(type, out var locks))
            {
                locks = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                foreach (var typeMember in type.GetMembers())
                {
                    foreach (var reference in AllReferences(typeMember))
                    {
                        if (reference.Path?.Last is { } named)
                        {
                            locks.Add(named);
                        }
                    }
                }

                locks = _annotatedLocks.GetOrAdd(type, locks);
            }

            return locks.Contains(member);
        }

        /// <summary>A readonly field whose initializer creates a semaphore with one slot, which it can only ever have: a mutex.</summary>
        private static bool IsBinarySemaphore(ISymbol member)
            => member is IFieldSymbol { IsReadOnly: true, DeclaringSyntaxReferences: { Length: 1 } references } &&
               references[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: var arguments } } &&
               arguments.Count is 1 or 2 && arguments.All(a => a.Expression is LiteralExpressionSyntax { Token.ValueText: "1" });

        /// <summary>
        /// The member that identifies a lock for lock order: a field or a property, by its original definition; a
        /// property that only returns a readonly field of its own object (<c>object SyncObject => this.syncObject;</c>)
        /// is that field, so locking through either name is the same lock.
        /// </summary>
        public ISymbol? LockIdentity(LockPath path)
        {
            if (path.Identity is not (IFieldSymbol or IPropertySymbol) || !IsChecked(path))
            {
                return null;
            }

            var member = path.Identity.OriginalDefinition;
            return member is IPropertySymbol property ? _fieldsBehind.GetOrAdd(property, static p => FieldBehind((IPropertySymbol)p)) ?? member : member;
        }

        /// <summary>The readonly field a get-only property's getter returns and does nothing else with (<c>=> f</c>, <c>get { return this.f; }</c>).</summary>
        private static IFieldSymbol? FieldBehind(IPropertySymbol property)
        {
            if (property.SetMethod is not null || property.DeclaringSyntaxReferences.Length != 1 ||
                property.DeclaringSyntaxReferences[0].GetSyntax() is not PropertyDeclarationSyntax declaration)
            {
                return null;
            }

            var getter = declaration.AccessorList?.Accessors.FirstOrDefault(a => a.Keyword.ValueText == "get");
            var returned = declaration.ExpressionBody?.Expression ?? getter?.ExpressionBody?.Expression ??
                (getter?.Body?.Statements is { Count: 1 } statements && statements[0] is ReturnStatementSyntax { Expression: { } value } ? value : null);
            var name = returned switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax member } => member.Identifier.ValueText,
                _ => null,
            };
            return name is null
                ? null
                : property.ContainingType.GetMembers(name).OfType<IFieldSymbol>().FirstOrDefault(f => f.IsReadOnly && f.IsStatic == property.IsStatic);
        }

        public bool IsScopedLockType(ITypeSymbol? type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (AttributeNames.Has(current, AttributeNames.ScopedLock))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Every lock reference written in an annotation on the symbol, resolved once per compilation.</summary>
        public ImmutableArray<LockReference> AllReferences(ISymbol symbol)
        {
            // Only annotated symbols are cached: most symbols have no annotation, and asking their attributes is cheaper than a cache entry.
            if (!MayBeAnnotated(symbol) || !HasAnnotations(symbol))
            {
                return ImmutableArray<LockReference>.Empty;
            }

            return _references.GetOrAdd(symbol, static s => ReadAllReferences(s).ToImmutableArray());
        }

        private static IEnumerable<LockReference> ReadAllReferences(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                var name = AttributeNames.NameOf(attribute);
                if (name is null || !TakesLockReferences(name))
                {
                    continue;
                }

                foreach (var reference in ReadReferences(symbol, attribute))
                {
                    yield return reference;
                }
            }
        }

        private static bool TakesLockReferences(string name) => name switch
        {
            AttributeNames.LockType or AttributeNames.ScopedLock or AttributeNames.MightSleep or AttributeNames.AtomicContext or
            AttributeNames.Drops or AttributeNames.NoLockAnalysis or AttributeNames.GracePeriodProtected or AttributeNames.DeferredFree or
            AttributeNames.Mutates or AttributeNames.CalledLater or AttributeNames.CalledBeforeReturn => false,
            _ => true,
        };

        /// <summary>The lock strings of one attribute, resolved against <paramref name="context"/>. No string means <c>this</c> where that is allowed.</summary>
        private static IEnumerable<LockReference> ReadReferences(ISymbol context, AttributeData attribute)
        {
            var arguments = attribute.ConstructorArguments;
            var name = AttributeNames.NameOf(attribute);
            var start = name is AttributeNames.TryAcquires or AttributeNames.TryAcquiresShared ? 1 : 0;
            // A contract written on a property is resolved against its accessor's parameters.
            var resolveContext = context;
            if (context is IPropertySymbol property && name is not AttributeNames.GuardedBy and not AttributeNames.AcquiredBefore and not AttributeNames.AcquiredAfter)
            {
                resolveContext = (ISymbol?)property.GetMethod ?? property.SetMethod ?? context;
            }

            if (Unreadable(attribute, start) is { } unreadable)
            {
                yield return new LockReference(unreadable.Text, ResolutionStatus.Unreadable, null, null, attribute, unreadable.Index);
                yield break;
            }

            var strings = new List<string?>();
            for (var i = start; i < arguments.Length; i++)
            {
                var argument = arguments[i];
                if (argument.Kind == TypedConstantKind.Array)
                {
                    if (argument.IsNull)
                    {
                        continue;
                    }

                    strings.AddRange(argument.Values.Select(v => v.Value as string));
                }
                else if (argument.Kind == TypedConstantKind.Primitive)
                {
                    strings.Add(argument.Value as string);
                }
            }

            if (strings.Count == 0 && name is AttributeNames.Acquires or AttributeNames.AcquiresShared or AttributeNames.Releases or
                AttributeNames.ReleasesShared or AttributeNames.TryAcquires or AttributeNames.TryAcquiresShared)
            {
                yield return new LockReference("this", ResolutionStatus.Resolved, LockPath.This, null, attribute, 0);
                yield break;
            }

            for (var i = 0; i < strings.Count; i++)
            {
                yield return strings[i] is { } text
                    ? LockReferenceResolver.Resolve(text, resolveContext, attribute, i)
                    : new LockReference("null", ResolutionStatus.Unresolved, null, null, attribute, i);
            }
        }

        /// <summary>
        /// A lock argument the compiler could not turn into a constant (a <c>nameof</c> that does not bind, a non-constant
        /// string): its source text and position, so that it is reported rather than silently dropped.
        /// </summary>
        private static (string Text, int Index)? Unreadable(AttributeData attribute, int start)
        {
            var arguments = attribute.ConstructorArguments;
            var readable = attribute.AttributeConstructor is not null && !arguments.Any(a => a.Kind == TypedConstantKind.Error);
            if (readable || attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax { ArgumentList: { } list })
            {
                return null;
            }

            var positional = list.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
            for (var i = start; i < positional.Count; i++)
            {
                if (i >= arguments.Length || arguments[i].Kind == TypedConstantKind.Error)
                {
                    return (positional[i].Expression.ToString(), i - start);
                }
            }

            return positional.Count > start ? (positional[start].Expression.ToString(), 0) : null;
        }

        private MethodContract ReadContract(IMethodSymbol method)
        {
            var requires = ImmutableArray.CreateBuilder<ContractLock>();
            var excludes = ImmutableArray.CreateBuilder<ContractLock>();
            var acquires = ImmutableArray.CreateBuilder<ContractLock>();
            var releases = ImmutableArray.CreateBuilder<ContractLock>();
            var asserts = ImmutableArray.CreateBuilder<ContractLock>();
            var tries = ImmutableArray.CreateBuilder<TryContract>();
            bool mightSleep = false, atomicContext = false, dropsThis = false, noLockAnalysis = false;
            var sources = new List<ISymbol> { method };
            if (method.AssociatedSymbol is IPropertySymbol property)
            {
                sources.Add(property);
            }

            // An override or an implementation that declares no lock contract of its own has its base member's, read in its own terms.
            var inherited = sources.Exists(HasLockContract) ? null : InheritedFrom(method);
            if (inherited is not null)
            {
                sources.Add(inherited);
                if (inherited.AssociatedSymbol is { } inheritedProperty)
                {
                    sources.Add(inheritedProperty);
                }
            }

            foreach (var source in sources)
            {
                foreach (var attribute in source.GetAttributes())
                {
                    var name = AttributeNames.NameOf(attribute);
                    if (name is null)
                    {
                        continue;
                    }

                    IEnumerable<ContractLock> Locks(LockMode mode) => ReadReferences(method, attribute).Select(r => new ContractLock(r, mode));
                    switch (name)
                    {
                        case AttributeNames.RequiresExclusive: requires.AddRange(Locks(LockMode.Exclusive)); break;
                        case AttributeNames.RequiresShared: requires.AddRange(Locks(LockMode.Shared)); break;
                        case AttributeNames.Excludes: excludes.AddRange(Locks(LockMode.Exclusive)); break;
                        case AttributeNames.Acquires: acquires.AddRange(Locks(LockMode.Exclusive)); break;
                        case AttributeNames.AcquiresShared: acquires.AddRange(Locks(LockMode.Shared)); break;
                        case AttributeNames.Releases: releases.AddRange(Locks(LockMode.Exclusive)); break;
                        case AttributeNames.ReleasesShared: releases.AddRange(Locks(LockMode.Shared)); break;
                        case AttributeNames.AssertsHeld: asserts.AddRange(Locks(LockMode.Any)); break;
                        case AttributeNames.AssertsHeldExclusive: asserts.AddRange(Locks(LockMode.Exclusive)); break;
                        case AttributeNames.AssertsHeldShared: asserts.AddRange(Locks(LockMode.Shared)); break;
                        case AttributeNames.TryAcquires or AttributeNames.TryAcquiresShared:
                            var success = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is true;
                            var mode = name == AttributeNames.TryAcquires ? LockMode.Exclusive : LockMode.Shared;
                            tries.Add(new TryContract(success, Locks(mode).ToImmutableArray()));
                            break;
                        case AttributeNames.MightSleep: mightSleep = true; break;
                        case AttributeNames.AtomicContext: atomicContext = true; break;
                        case AttributeNames.Drops: dropsThis = true; break;
                        case AttributeNames.NoLockAnalysis: noLockAnalysis = true; break;
                    }
                }
            }

            for (var type = method.ContainingType; type is not null && !noLockAnalysis; type = type.ContainingType)
            {
                noLockAnalysis = AttributeNames.Has(type, AttributeNames.NoLockAnalysis);
            }

            var changesLock = acquires.Count > 0 || releases.Count > 0 || tries.Count > 0;
            var owner = method.ContainingType;
            var isGuard = owner is not null && AttributeNames.Has(owner, AttributeNames.ScopedLock);
            var contract = new MethodContract
            {
                Requires = requires.ToImmutable(),
                Excludes = excludes.ToImmutable(),
                Acquires = acquires.ToImmutable(),
                Releases = releases.ToImmutable(),
                Asserts = asserts.ToImmutable(),
                TryAcquires = tries.ToImmutable(),
                DroppedParameters = ParametersWith(method, AttributeNames.Drops),
                DeferredFreeParameters = ParametersWith(method, AttributeNames.DeferredFree),
                MightSleep = mightSleep,
                AtomicContext = atomicContext,
                DropsThis = dropsThis,
                NoLockAnalysis = noLockAnalysis,
                InheritedFrom = inherited,
                IsLockImplementation =
                    (changesLock && owner is not null && (isGuard || AttributeNames.Has(owner, AttributeNames.LockType))) ||
                    (isGuard && method.Name == "Dispose"),
            };
            return contract.IsEmpty && !contract.IsLockImplementation ? MethodContract.Empty : contract;
        }

        /// <summary>The <c>[Requires*]</c> locks that <paramref name="source"/> declares, resolved in <paramref name="context"/>'s terms.</summary>
        public static IEnumerable<ContractLock> DeclaredRequirements(IMethodSymbol source, IMethodSymbol context)
        {
            var symbols = source.AssociatedSymbol is { } property ? new[] { source, property } : new ISymbol[] { source };
            foreach (var symbol in symbols)
            {
                foreach (var attribute in symbol.GetAttributes())
                {
                    var mode = AttributeNames.NameOf(attribute) switch
                    {
                        AttributeNames.RequiresExclusive => LockMode.Exclusive,
                        AttributeNames.RequiresShared => LockMode.Shared,
                        _ => LockMode.Any,
                    };
                    if (mode != LockMode.Any)
                    {
                        foreach (var reference in ReadReferences(context, attribute))
                        {
                            yield return new ContractLock(reference, mode);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Whether a type's source names <paramref name="method"/> other than as a call (<c>Run(Step)</c>, <c>x.Done += OnDone</c>):
        /// it may then run from anywhere. Read from the type's text, not its syntax tree: an occurrence of the name as a
        /// word that is not followed by <c>(</c> (a call, the declaration) nor inside <c>nameof(...)</c>. A name in a comment or a
        /// string counts too, which only errs toward asking for an assertion.
        /// </summary>
        public bool IsNamedWithoutACall(IMethodSymbol method)
        {
            var type = method.ContainingType.OriginalDefinition;
            var texts = _typeTexts.TryGetValue(type, out var known) ? known : _typeTexts.GetOrAdd(type, static t => SourceTexts(t));
            var name = method.Name;
            foreach (var text in texts)
            {
                for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + name.Length, StringComparison.Ordinal))
                {
                    if (IsWord(text, at, name.Length) && !IsCallOrNameof(text, at, name.Length))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static string[] SourceTexts(INamedTypeSymbol type)
            => type.DeclaringSyntaxReferences.Select(r => r.SyntaxTree.GetText().ToString(r.Span)).ToArray();

        private static bool IsWord(string text, int at, int length)
            => (at == 0 || !IsIdentifierChar(text[at - 1])) && (at + length >= text.Length || !IsIdentifierChar(text[at + length]));

        private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '@';

        private static bool IsCallOrNameof(string text, int at, int length)
        {
            var next = at + length;
            while (next < text.Length && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (next < text.Length && text[next] == '(')
            {
                return true;
            }

            var before = at - 1;
            while (before >= 0 && char.IsWhiteSpace(text[before]))
            {
                before--;
            }

            return before >= 6 && text[before] == '(' && string.CompareOrdinal(text, before - 6, "nameof", 0, 6) == 0;
        }

        /// <summary>Whether a call of <paramref name="method"/> cannot throw (<see cref="NonThrowing"/>), read once per method.</summary>
        public bool CannotThrow(IMethodSymbol method)
            => NonThrowing.IsSafeCollectionCall(method) ||
                (method.MethodKind is not (MethodKind.DelegateInvoke or MethodKind.LocalFunction or MethodKind.AnonymousFunction) &&
                method.Locations.FirstOrDefault()?.IsInSource == true &&
                (_cannotThrow.TryGetValue(method, out var known) ? known : _cannotThrow.GetOrAdd(method, NonThrowing.Holds(method))));

        /// <summary>Whether a delegate passed for <paramref name="parameter"/> runs after the call returns (<see cref="Callbacks"/>), read once.</summary>
        public bool RunsLater(IParameterSymbol parameter)
        {
            var definition = (IParameterSymbol)parameter.OriginalDefinition;
            return _runsLater.TryGetValue(definition, out var later) ? later : _runsLater.GetOrAdd(definition, Callbacks.RunsLater(definition));
        }

        /// <summary>Whether code outside the assembly can see <paramref name="member"/>: it and every type around it are public or protected.</summary>
        public static bool IsVisibleOutsideAssembly(ISymbol member)
        {
            for (ISymbol? current = member; current is not null and not INamespaceSymbol; current = current.ContainingType)
            {
                if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Whether a method may take its contract from a member it overrides or implements (checked cheaply; <see cref="InheritedFrom"/> decides).</summary>
        private static bool MayInherit(IMethodSymbol method)
            => method.IsOverride || !method.ExplicitInterfaceImplementations.IsEmpty ||
                (method.DeclaredAccessibility == Accessibility.Public && !method.IsStatic && !method.ContainingType.AllInterfaces.IsEmpty);

        /// <summary>Whether a symbol declares a lock contract: requires, excludes, acquires, releases or try-acquires.</summary>
        private static bool HasLockContract(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (AttributeNames.NameOf(attribute) is AttributeNames.RequiresExclusive or AttributeNames.RequiresShared or AttributeNames.Excludes or
                    AttributeNames.Acquires or AttributeNames.AcquiresShared or AttributeNames.Releases or AttributeNames.ReleasesShared or
                    AttributeNames.TryAcquires or AttributeNames.TryAcquiresShared)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool DeclaresLockContract(IMethodSymbol method)
            => HasLockContract(method) || (method.AssociatedSymbol is { } property && HasLockContract(property));

        /// <summary>The nearest member that <paramref name="method"/> overrides or implements and that declares a lock contract.</summary>
        public static IMethodSymbol? InheritedFrom(IMethodSymbol method)
        {
            for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                if (DeclaresLockContract(overridden))
                {
                    return overridden.OriginalDefinition;
                }
            }

            foreach (var implemented in method.ExplicitInterfaceImplementations)
            {
                if (DeclaresLockContract(implemented))
                {
                    return implemented.OriginalDefinition;
                }
            }

            if (method.DeclaredAccessibility != Accessibility.Public || method.IsStatic)
            {
                return null;
            }

            foreach (var @interface in method.ContainingType.AllInterfaces)
            {
                foreach (var member in @interface.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol candidate && DeclaresLockContract(candidate) &&
                        SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(candidate)?.OriginalDefinition, method))
                    {
                        return candidate.OriginalDefinition;
                    }
                }
            }

            return null;
        }

        private static ImmutableArray<IParameterSymbol> ParametersWith(IMethodSymbol method, string attributeName)
        {
            ImmutableArray<IParameterSymbol>.Builder? builder = null;
            foreach (var parameter in method.Parameters)
            {
                if (AttributeNames.Has(parameter, attributeName))
                {
                    (builder ??= ImmutableArray.CreateBuilder<IParameterSymbol>()).Add(parameter);
                }
            }

            return builder?.ToImmutable() ?? ImmutableArray<IParameterSymbol>.Empty;
        }

        /// <summary>Whether the symbol itself carries one of the annotations.</summary>
        public static bool HasAnnotations(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (AttributeNames.NameOf(attribute) is not null)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool InAnnotatedType(IMethodSymbol method)
        {
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                if (HasAnnotations(type))
                {
                    return true;
                }
            }

            return false;
        }

        private static LockInfo? ClassifyType(ITypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                var attribute = current.GetAttributes().FirstOrDefault(a => AttributeNames.NameOf(a) == AttributeNames.LockType);
                if (attribute is not null)
                {
                    var reentrant = attribute.NamedArguments.Any(a => a.Key == "Reentrant" && a.Value.Value is true);
                    var spinning = attribute.NamedArguments.Any(a => a.Key == "Spinning" && a.Value.Value is true);
                    var hasShared = current.GetMembers().OfType<IMethodSymbol>().Any(m => m.GetAttributes().Any(a => AttributeNames.NameOf(a) is
                        AttributeNames.AcquiresShared or AttributeNames.ReleasesShared or AttributeNames.TryAcquiresShared));
                    return new LockInfo(LockFamily.UserType, reentrant, spinning, hasShared, threadAffine: false);
                }
            }

            if (type.IsValueType || type.TypeKind is TypeKind.Error or TypeKind.Pointer || type.SpecialType == SpecialType.System_String)
            {
                return null;
            }

            return LockInfo.Monitor;
        }

        /// <summary>
        /// Whether a read/write lock member is created with <c>LockRecursionPolicy.SupportsRecursion</c>: the argument of
        /// the <c>new ReaderWriterLockSlim(...)</c> that initializes it.
        /// </summary>
        private static bool IsRecursive(ISymbol member)
        {
            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var initializer = reference.GetSyntax() switch
                {
                    VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                    PropertyDeclarationSyntax property => property.Initializer?.Value,
                    _ => null,
                };
                var arguments = initializer switch
                {
                    BaseObjectCreationExpressionSyntax creation => creation.ArgumentList?.Arguments,
                    _ => null,
                };
                if (arguments is { Count: > 0 } list && NameOf(list[0].Expression) == "SupportsRecursion")
                {
                    return true;
                }
            }

            return false;
        }

        private static string? NameOf(ExpressionSyntax expression) => expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            ParenthesizedExpressionSyntax parenthesized => NameOf(parenthesized.Expression),
            _ => null,
        };
    }
}
