using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Engine;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HmmAnalyzers.Rules
{
    /// <summary>
    /// HMM010: a method with a <c>[Requires*]</c> contract that does not assert it at run time (a Lockdep or
    /// <c>[AssertsHeld*]</c> call) before its first guarded access or call.
    /// </summary>
    internal sealed class HMM010MissingAssertionRule : LockRule
    {
        public override ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = ImmutableArray.Create(HmmAnalyzers.Descriptors.HMM010);

        public override void AnalyzeMethod(MethodFacts facts, RuleContext context)
        {
            // An inherited contract is the base member's callers' business: it is asserted, if anywhere, where it is declared.
            if (facts.IsNested || facts.Contract.Requires.IsEmpty || facts.Contract.InheritedFrom is not null)
            {
                return;
            }

            // Where HMM003 checks every call, a run-time check adds nothing; it is asked for where callers escape the analysis.
            if (!CallersEscape(facts.Symbol, context.Model) && context.Option(AssertionsOption) != "everywhere")
            {
                return;
            }

            // A constructor's initializer (': base(...)', ': this(...)') runs before any statement of its body could assert.
            var firstEffect = facts.FirstEffects.Where(o => !InConstructorInitializer(o)).Select(o => o.Syntax.SpanStart).DefaultIfEmpty(int.MaxValue).Min();
            var missing = new List<string>();
            var assertions = new List<string>();
            foreach (var required in facts.Contract.Requires)
            {
                if (required.Path is not { } path)
                {
                    continue;
                }

                var asserted = facts.Asserts.Any(a => a.Path.Equals(path) && a.Operation.Syntax.SpanStart < firstEffect);
                if (!asserted)
                {
                    var info = facts.EntryRequirements.FirstOrDefault(r => r.Path.Equals(path))?.Info;
                    missing.Add(RuleContext.Requirement(path, required.Mode, info));
                    assertions.Add($"{FixProperties.AssertionFor(required.Mode, info)}({path})");
                }
            }

            if (missing.Count > 0)
            {
                var properties = ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Assertions, string.Join(";", assertions.Distinct()));
                context.Report(HmmAnalyzers.Descriptors.HMM010, facts.NameLocation, null, properties, RuleContext.NameOf(facts.Symbol), string.Join(" and ", missing.Distinct()));
            }
        }

        /// <summary>The <c>.editorconfig</c> key: <c>everywhere</c> asks every contract for an assertion, as the kernel does.</summary>
        public const string AssertionsOption = "hmm_analyzers.contract_assertions";

        /// <summary>
        /// Whether some callers of <paramref name="symbol"/> are not checked by HMM003: it is visible outside the assembly,
        /// is virtual or overrides, implements an interface, or is named without being called (a delegate, an event handler).
        /// </summary>
        private static bool CallersEscape(ISymbol symbol, AnnotationModel model)
        {
            if (symbol is not IMethodSymbol method)
            {
                return true;
            }

            var member = method.AssociatedSymbol ?? method;
            if (AnnotationModel.IsVisibleOutsideAssembly(member) || member.IsVirtual || member.IsAbstract || member.IsOverride || ImplementsInterface(method))
            {
                return true;
            }

            return method.MethodKind == MethodKind.Ordinary && model.IsNamedWithoutACall(method);
        }

        private static bool ImplementsInterface(IMethodSymbol method)
        {
            if (!method.ExplicitInterfaceImplementations.IsEmpty)
            {
                return true;
            }

            foreach (var @interface in method.ContainingType.AllInterfaces)
            {
                foreach (var candidate in @interface.GetMembers(method.Name).OfType<IMethodSymbol>())
                {
                    if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(candidate), method))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool InConstructorInitializer(IOperation operation) => operation.Syntax.FirstAncestorOrSelf<ConstructorInitializerSyntax>() is not null;
    }
}
