using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HmmAnalyzers.Rules
{
    /// <summary>Reports diagnostics once per rule and location, in a deterministic order.</summary>
    internal sealed class RuleContext
    {
        private readonly Action<Diagnostic> _report;

        /// <summary>What was reported, created with the first report: most methods report nothing.</summary>
        private HashSet<(string Id, string? Path, TextSpan Span)>? _seen;

        private readonly AnalyzerConfigOptionsProvider? _options;
        private readonly SyntaxTree? _tree;

        /// <param name="options">The <c>.editorconfig</c> options, read for <paramref name="tree"/> only when a rule asks.</param>
        public RuleContext(Action<Diagnostic> report, AnnotationModel model, AnalyzerConfigOptionsProvider? options = null, SyntaxTree? tree = null)
        {
            _report = report;
            Model = model;
            _options = options;
            _tree = tree;
        }

        public AnnotationModel Model { get; }

        /// <summary>The value of an <c>.editorconfig</c> option for the analyzed file, or null.</summary>
        public string? Option(string key)
            => _options is not null && _tree is not null && _options.GetOptions(_tree).TryGetValue(key, out var value) ? value.Trim() : null;

        public void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments)
            => Report(descriptor, location, null, arguments);

        public void Report(DiagnosticDescriptor descriptor, Location location, IEnumerable<Location>? additional, params object[] arguments)
            => Report(descriptor, location, additional, null, arguments);

        public void Report(
            DiagnosticDescriptor descriptor, Location location, IEnumerable<Location>? additional, ImmutableDictionary<string, string?>? properties, params object[] arguments)
        {
            if ((_seen ??= new()).Add((descriptor.Id, location.SourceTree?.FilePath, location.SourceSpan)))
            {
                // Arguments are formatted here, so that a diagnostic carries strings (lock paths are objects).
                var formatted = new object[arguments.Length];
                for (var i = 0; i < arguments.Length; i++)
                {
                    formatted[i] = arguments[i]?.ToString() ?? string.Empty;
                }

                _report(Diagnostic.Create(descriptor, location, additional?.Where(l => l != location), properties, formatted));
            }
        }

        /// <summary>"'x'" or "'x' exclusively", as a requirement is written in messages.</summary>
        public static string Requirement(LockPath path, LockMode mode, LockInfo? info)
            => mode == LockMode.Exclusive && info?.HasShared == true ? $"'{path}' exclusively" : $"'{path}'";

        /// <summary>What is held instead of <paramref name="required"/>: the same lock in a weaker mode, the same lock on another instance, or the whole lockset.</summary>
        public static string HeldInstead(FlowState state, LockPath required)
        {
            if (state.Find(required) is { } weaker)
            {
                return "holding " + weaker.Describe(required);
            }

            if (state.NearMatches(required).FirstOrDefault() is { } near)
            {
                return $"'{near}' is held, which is the same lock on another instance";
            }

            if (state.Locks.IsEmpty)
            {
                return "no lock is held";
            }

            return "holding " + string.Join(", ", state.Locks.OrderBy(l => l.Key.ToString(), StringComparer.Ordinal).Select(l => l.Value.Describe(l.Key)));
        }

        /// <summary>
        /// The contract attribute a method would declare to take (<paramref name="acquire"/>) or give back a lock on
        /// its callers' behalf, as a hint: only for a method that can carry one, a lock its callers can name (a member
        /// of <c>this</c> except from a constructor, a parameter, a static member) and a mode an attribute expresses.
        /// </summary>
        public static string? ContractHint(ISymbol method, LockPath path, LockMode mode, bool acquire)
        {
            if (method is not IMethodSymbol { MethodKind: not MethodKind.AnonymousFunction } annotatable ||
                path.Root is not (null or IParameterSymbol or IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true }) ||
                (path.Root is null && annotatable.MethodKind == MethodKind.Constructor))
            {
                return null;
            }

            var suffix = mode switch
            {
                LockMode.Exclusive => string.Empty,
                LockMode.Shared => "Shared",
                _ => null,
            };
            return suffix is null ? null : (acquire ? "Acquires" : "Releases") + suffix;
        }

        /// <summary>A method's name for a message, quoted; a lambda has none.</summary>
        /// <summary>The source of <paramref name="node"/> on one line, cut after 60 characters, without a statement's semicolon.</summary>
        public static string Excerpt(SyntaxNode node)
        {
            var text = string.Join(" ", node.ToString().Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)).TrimEnd(';');
            return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
        }

        public static string Quoted(ISymbol symbol)
            => symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } ? "the lambda" : $"'{NameOf(symbol)}'";

        public static string NameOf(ISymbol symbol)
            => symbol.ContainingType is { } type && symbol is not IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction }
                ? type.Name + "." + MemberName(symbol, type)
                : symbol.Name;

        private static readonly SymbolDisplayFormat OperatorFormat = new(
            memberOptions: SymbolDisplayMemberOptions.None,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        /// <summary>A member's name as written in C#: a constructor by its type's name, an operator as <c>operator +</c>.</summary>
        private static string MemberName(ISymbol symbol, INamedTypeSymbol type) => symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Constructor } => type.Name,
            IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion } => symbol.ToDisplayString(OperatorFormat),
            _ => symbol.Name,
        };
    }
}
