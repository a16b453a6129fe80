using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Model
{
    internal enum ResolutionStatus
    {
        Resolved,
        Unresolved,
        Ambiguous,

        /// <summary>The argument is not a constant string the compiler could read (a <c>nameof</c> that does not bind).</summary>
        Unreadable,
    }

    /// <summary>A lock reference string from an annotation, resolved to a path template.</summary>
    internal sealed class LockReference
    {
        public LockReference(string text, ResolutionStatus status, LockPath? path, string? hint, AttributeData attribute, int argumentIndex)
        {
            Text = text;
            Status = status;
            Path = path;
            Hint = hint;
            Attribute = attribute;
            ArgumentIndex = argumentIndex;
            foreach (var named in attribute.NamedArguments)
            {
                LockFreeReads |= named.Key == "LockFreeReads" && named.Value.Value is true;
            }
        }

        public string Text { get; }

        public ResolutionStatus Status { get; }

        /// <summary>The template path: its root is <c>this</c> (the instance the annotated member is used on), a parameter of the annotated method, or a static member.</summary>
        public LockPath? Path { get; }

        /// <summary>For an unresolved reference, the nearest name; for an ambiguous one, the candidates.</summary>
        public string? Hint { get; }

        public AttributeData Attribute { get; }

        /// <summary>Index of the string among the attribute's lock arguments (after any leading non-lock argument).</summary>
        public int ArgumentIndex { get; }

        /// <summary>A guard that only writes need: <c>[GuardedBy("L", LockFreeReads = true)]</c>.</summary>
        public bool LockFreeReads { get; }
    }

    /// <summary>Resolves lock reference strings against a method or a member, as SPEC's "Annotations" section describes.</summary>
    internal static class LockReferenceResolver
    {
        public static LockReference Resolve(string text, ISymbol context, AttributeData attribute, int index)
        {
            var segments = text.Split('.').Select(s => s.Trim()).ToArray();
            var method = context as IMethodSymbol;
            var type = context as INamedTypeSymbol ?? context.ContainingType;
            if (segments.Length == 0 || segments.Any(s => s.Length == 0) || type is null)
            {
                return Unresolved(text, null, attribute, index);
            }

            if (segments[0] == "this")
            {
                return segments.Length == 1
                    ? new LockReference(text, ResolutionStatus.Resolved, LockPath.This, null, attribute, index)
                    : ResolveChain(text, LockPath.This, type, segments, 1, attribute, index);
            }

            if (method is not null)
            {
                var parameter = method.Parameters.FirstOrDefault(p => p.Name == segments[0]);
                if (parameter is not null)
                {
                    return ResolveChain(text, LockPath.ForRoot(parameter), parameter.Type, segments, 1, attribute, index);
                }
            }

            var member = FindMember(type, segments[0]);
            if (member is not null)
            {
                var root = member.IsStatic ? LockPath.ForRoot(member) : LockPath.This.Append(member);
                return ResolveChain(text, root, TypeOf(member), segments, 1, attribute, index);
            }

            if (method is not null)
            {
                var owners = method.Parameters.Where(p => p.Type is not null && FindMember(p.Type, segments[0]) is not null).ToList();
                if (owners.Count == 1)
                {
                    return ResolveChain(text, LockPath.ForRoot(owners[0]), owners[0].Type, segments, 0, attribute, index);
                }

                if (owners.Count > 1)
                {
                    var candidates = string.Join(", ", owners.Select(p => "'" + p.Name + "." + text + "'"));
                    return new LockReference(text, ResolutionStatus.Ambiguous, null, candidates, attribute, index);
                }
            }

            return Unresolved(text, Nearest(segments[0], CandidateNames(method, type)), attribute, index);
        }

        /// <summary>The first field or property of that name on the type, its bases or its interfaces.</summary>
        public static ISymbol? FindMember(ITypeSymbol type, string name)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var candidate in current.GetMembers(name))
                {
                    if (candidate is IFieldSymbol or IPropertySymbol)
                    {
                        return candidate;
                    }
                }
            }

            foreach (var @interface in type.AllInterfaces)
            {
                foreach (var candidate in @interface.GetMembers(name))
                {
                    if (candidate is IPropertySymbol)
                    {
                        return candidate;
                    }
                }
            }

            return type is ITypeParameterSymbol typeParameter
                ? typeParameter.ConstraintTypes.Select(t => FindMember(t, name)).FirstOrDefault(m => m is not null)
                : null;
        }

        public static ITypeSymbol? TypeOf(ISymbol? symbol) => symbol switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            IParameterSymbol parameter => parameter.Type,
            ILocalSymbol local => local.Type,
            _ => null,
        };

        private static LockReference ResolveChain(string text, LockPath root, ITypeSymbol? type, string[] segments, int start, AttributeData attribute, int index)
        {
            var path = root;
            for (var i = start; i < segments.Length; i++)
            {
                var member = type is null ? null : FindMember(type, segments[i]);
                if (member is null || member.IsStatic)
                {
                    var names = type is null ? Enumerable.Empty<string>() : MemberNames(type);
                    var nearest = Nearest(segments[i], names);
                    var prefix = string.Join(".", segments.Take(i));
                    return Unresolved(text, nearest is null ? null : (prefix.Length == 0 ? nearest : prefix + "." + nearest), attribute, index);
                }

                path = path.Append(member);
                type = TypeOf(member);
            }

            return new LockReference(text, ResolutionStatus.Resolved, path, null, attribute, index);
        }

        private static LockReference Unresolved(string text, string? nearest, AttributeData attribute, int index)
            => new LockReference(text, ResolutionStatus.Unresolved, null, nearest, attribute, index);

        private static IEnumerable<string> CandidateNames(IMethodSymbol? method, ITypeSymbol type)
        {
            var names = MemberNames(type);
            if (method is null)
            {
                return names;
            }

            return names
                .Concat(method.Parameters.Select(p => p.Name))
                .Concat(method.Parameters.Where(p => p.Type is not null).SelectMany(p => MemberNames(p.Type)));
        }

        private static IEnumerable<string> MemberNames(ITypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IFieldSymbol { IsImplicitlyDeclared: false } or IPropertySymbol)
                    {
                        yield return member.Name;
                    }
                }
            }
        }

        private static string? Nearest(string name, IEnumerable<string> candidates)
        {
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var candidate in candidates.Distinct().OrderBy(c => c, StringComparer.Ordinal))
            {
                var distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (distance < bestDistance)
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }

            return best is not null && bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
        }

        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                (previous, current) = (current, previous);
            }

            return previous[b.Length];
        }
    }
}
