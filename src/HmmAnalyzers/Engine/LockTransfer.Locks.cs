using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>Acquisitions, releases and scopes: the lockset changes.</summary>
    internal sealed partial class LockTransfer
    {
        private Dictionary<IOperation, LockPath>? _scopeResults;

        private readonly List<(LockPath Path, Location Site)> _openedScopes = new();

        private Dictionary<CaptureId, LockPath>? _captureScopes;

        private Dictionary<ILocalSymbol, LockPath>? _localScopes;

        /// <summary>
        /// Some compilers leave a <c>lock</c> on a <c>System.Threading.Lock</c> unlowered in the control flow graph (an
        /// invalid operation, then the body's statements without a try/finally). The lock is then held for the body's span.
        /// </summary>
        private FlowState OnUnloweredLock(IInvalidOperation invalid, LockStatementSyntax lockStatement, FlowState state)
        {
            var operand = invalid.ChildOperations.FirstOrDefault();
            if (operand is null || ResolvePath(operand) is not { } path)
            {
                return state;
            }

            var site = lockStatement.LockKeyword.GetLocation();
            var existing = state.Find(path);
            var info = InfoOf(path) ?? LockInfo.Lock;
            _facts.Acquisitions.Add(new AcquireFact(site, path, LockMode.Exclusive, info, existing, state));
            return existing is null
                ? state.WithLock(path, new Held(LockMode.Exclusive, HoldSource.Scoped, info, site, region: lockStatement.Statement.Span))
                : state;
        }

        private FlowState Apply(IInvocationOperation invocation, LockEffect effect, FlowState state)
        {
            var path = effect.Operand is not null
                ? ResolvePath(effect.Operand)
                : Substitute(
                    effect.Contract?.Path, invocation.Instance, invocation.Arguments,
                    calleeIsLocal: invocation.TargetMethod.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction);
            if (path is null)
            {
                return state;
            }

            var site = invocation.Syntax.GetLocation();
            var flag = effect.Flag?.WithoutConversions() as ILocalReferenceOperation;
            switch (effect.Kind)
            {
                case LockEffectKind.Acquire:
                    state = Acquire(state, site, path, effect.Mode, HoldSource.Acquired);
                    return flag is null ? state : state.WithBool(flag.Local, BoolFact.True);
                case LockEffectKind.Scope:
                    var scope = ScopeObject(invocation);
                    site = scope.Syntax.GetLocation();
                    state = Acquire(state, site, path, effect.Mode, ScopeSource(scope));
                    (_scopeResults ??= new())[scope] = path;
                    _openedScopes.Add((path, site));
                    return state;
                case LockEffectKind.Release:
                    return Release(state, site, path, effect.Mode);
                case LockEffectKind.TryAcquire:
                    return TryAcquire(invocation, effect, path, flag, state);
                default:
                    return state;
            }
        }

        /// <summary>A try-acquire: the lock goes into the <c>ref bool</c> flag, or into the call's result, held where it says so.</summary>
        private FlowState TryAcquire(IInvocationOperation invocation, LockEffect effect, LockPath path, ILocalReferenceOperation? flag, FlowState state)
        {
            var held = new Held(effect.Mode, HoldSource.Acquired, InfoOf(path) ?? LockInfo.Monitor, invocation.Syntax.GetLocation());
            var facts = ImmutableArray.Create(new KeyValuePair<LockPath, Held>(path, held));
            var empty = ImmutableArray<KeyValuePair<LockPath, Held>>.Empty;
            var fact = effect.Success ? new BoolFact(null, facts, empty) : new BoolFact(null, empty, facts);
            if (flag is not null)
            {
                return state.WithBool(flag.Local, fact);
            }

            _tryResults ??= new();
            _tryResults[invocation] = _tryResults.TryGetValue(invocation, out var previous)
                ? new BoolFact(null, previous.WhenTrue.AddRange(fact.WhenTrue), previous.WhenFalse.AddRange(fact.WhenFalse))
                : fact;
            return state;
        }

        public FlowState Acquire(FlowState state, Location site, LockPath path, LockMode mode, HoldSource source, bool isTry = false)
        {
            var info = InfoOf(path) ?? LockInfo.Monitor;
            var existing = state.Find(path);
            _facts.Acquisitions.Add(new AcquireFact(site, path, mode, info, existing, state, isTry));
            if (IsFresh(path, site.SourceSpan.Start))
            {
                _facts.FreshObjects.Add(path.Root!);
            }

            if (existing is null)
            {
                return state.WithLock(path, new Held(mode, source, info, site));
            }

            if (existing.Mode == LockMode.Upgradeable && mode == LockMode.Exclusive && info.Family == LockFamily.ReaderWriter)
            {
                return state.WithLock(path, existing.With(mode: LockMode.Exclusive, upgraded: true));
            }

            // A re-acquisition the lock rejects is reported by HMM004 and, as in Clang, not counted: it throws or deadlocks.
            if (AcquireFact.Rejects(info, existing, mode))
            {
                return state;
            }

            return state.WithLock(path, existing.With(mode: existing.Mode >= mode ? existing.Mode : mode, count: existing.Count + 1));
        }

        public FlowState Release(FlowState state, Location site, LockPath path, LockMode mode)
        {
            var existing = state.Find(path);
            if (existing is null && ReleaseCarried(state, path) is var (carrier, after))
            {
                _facts.Releases.Add(new ReleaseFact(site, path, mode, existing, state, carrier));
                return after;
            }

            _facts.Releases.Add(new ReleaseFact(site, path, mode, existing, state));
            if (existing is null)
            {
                return state;
            }

            if (existing.Upgraded && mode == LockMode.Exclusive)
            {
                return state.WithLock(path, existing.With(mode: LockMode.Upgradeable, upgraded: false));
            }

            return existing.Count > 1 ? state.WithLock(path, existing.With(count: existing.Count - 1)) : state.WithoutLock(path);
        }

        /// <summary>
        /// Releasing a lock that a bool local carries (held where the flag is true) without testing the flag: where the
        /// flag is false the release throws (HMM006 says so); the release is taken as the matching one and the flag
        /// stops carrying it, so nothing cascades. The carrier and the state after that, or null when no bool carries it.
        /// </summary>
        private static (ISymbol Carrier, FlowState After)? ReleaseCarried(FlowState state, LockPath path)
        {
            foreach (var entry in state.Bools)
            {
                if (!entry.Value.Restores || !entry.Value.WhenTrue.Any(l => l.Key.Equals(path)))
                {
                    continue;
                }

                var rest = entry.Value.WhenTrue.RemoveAll(l => l.Key.Equals(path));
                return (entry.Key, state.WithBool(entry.Key, rest.IsEmpty ? null : new BoolFact(null, rest, entry.Value.WhenFalse, restores: true)));
            }

            return null;
        }

        /// <summary>How many scopes (<c>EnterScope</c>, <c>[ScopedLock]</c> guards) operations have opened so far.</summary>
        public int OpenedScopeCount => _openedScopes.Count;

        /// <summary>The scopes opened since <see cref="OpenedScopeCount"/> was <paramref name="count"/>; null when none.</summary>
        public List<(LockPath Path, Location Site)>? OpenedSince(int count)
            => _openedScopes.Count == count ? null : _openedScopes.GetRange(count, _openedScopes.Count - count);

        private void OnCapture(IFlowCaptureOperation capture)
        {
            var value = capture.Value.WithoutConversions();
            if (ScopeOf(value) is { } scope)
            {
                (_captureScopes ??= new())[capture.Id] = scope;
            }

            if (_tryResults is not null && _tryResults.TryGetValue(value, out var fact))
            {
                (_captureTries ??= new())[capture.Id] = fact;
            }
        }

        /// <summary>
        /// The operation whose value is the scope object: the call itself, or for an async factory (<c>Task&lt;Releaser&gt;</c>)
        /// the <c>await</c> of it, through <c>ConfigureAwait</c>.
        /// </summary>
        private static IOperation ScopeObject(IInvocationOperation invocation)
        {
            if (LockApi.AwaitedType(invocation.TargetMethod.ReturnType) is null)
            {
                return invocation;
            }

            IOperation current = invocation;
            for (var parent = current.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IConversionOperation:
                    case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure when configure.Instance == current:
                        continue;
                    case IAwaitOperation awaited:
                        return awaited;
                }

                break;
            }

            return invocation;
        }

        /// <summary>
        /// A scope object (<c>EnterScope()</c>, a <c>[ScopedLock]</c> guard) releases its lock when disposed. Handed to a
        /// <c>using</c>, or let out of the method (returned, stored, passed on), it is someone else's to dispose; discarded,
        /// or kept in a local that is only ever disposed by hand, it is this method's, and never disposing it leaks its lock.
        /// </summary>
        private HoldSource ScopeSource(IOperation scope)
        {
            var local = ReceivingLocal(scope, out var parent);
            if (parent is IExpressionStatementOperation)
            {
                return HoldSource.Acquired;
            }

            return local is not null && IsPlainLocal(local) && OnlyDisposed(local) ? HoldSource.Acquired : HoldSource.Scoped;
        }

        /// <summary>A local of an ordinary declaration statement: not a <c>using</c> declaration or a <c>using</c> statement's resource.</summary>
        private static bool IsPlainLocal(ILocalSymbol local)
            => local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is
                VariableDeclaratorSyntax { Parent.Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } };

        /// <summary>Whether every use of <paramref name="local"/> in the method is a call of its <c>Dispose</c>.</summary>
        private bool OnlyDisposed(ILocalSymbol local) => UsedOnlyAs(local, parent => parent is IInvocationOperation { TargetMethod.Name: "Dispose" });

        /// <summary>Whether every read of <paramref name="local"/> in the method (assignments to it aside) has a parent that <paramref name="allowed"/> accepts.</summary>
        private bool UsedOnlyAs(ILocalSymbol local, System.Func<IOperation?, bool> allowed)
        {
            foreach (var operation in _facts.Root.Descendants())
            {
                if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) &&
                    !(reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference) && !allowed(reference.Parent))
                {
                    return false;
                }
            }

            return true;
        }

        private LockPath? ScopeOf(IOperation value) => value switch
        {
            IFlowCaptureReferenceOperation capture => _captureScopes is not null && _captureScopes.TryGetValue(capture.Id, out var path) ? path : null,
            ILocalReferenceOperation local => _localScopes is not null && _localScopes.TryGetValue(local.Local, out var path) ? path : null,
            _ => _scopeResults is not null && _scopeResults.TryGetValue(value, out var path) ? path : null,
        };
    }
}
