using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HmmAnalyzers.Engine
{
    /// <summary>Acquisitions, releases and scopes: the lockset changes.</summary>
    internal sealed partial class MethodAnalysis
    {
        private Dictionary<IOperation, LockPath>? _scopeResults;

        private readonly List<(LockPath Path, Location Site)> _openedScopes = new();

        private Dictionary<CaptureId, LockPath>? _captureScopes;

        private Dictionary<ILocalSymbol, LockPath>? _localScopes;

        /// <summary>
        /// Some compilers leave a <c>lock</c> on a <c>System.Threading.Lock</c> unlowered in the control flow graph (an
        /// invalid operation, then the body's statements without a try/finally). The lock is then held for the body's span.
        /// </summary>
        private void OnUnloweredLock(IInvalidOperation invalid, LockStatementSyntax lockStatement)
        {
            var operand = invalid.ChildOperations.FirstOrDefault();
            if (operand is null || ResolvePath(operand) is not { } path)
            {
                return;
            }

            var site = lockStatement.LockKeyword.GetLocation();
            var existing = _state.Find(path);
            var info = InfoOf(path) ?? LockInfo.Lock;
            _facts.Acquisitions.Add(new AcquireFact(site, path, LockMode.Exclusive, info, existing, _state));
            if (existing is null)
            {
                _state = _state.WithLock(path, new Held(LockMode.Exclusive, HoldSource.Scoped, info, site, region: lockStatement.Statement.Span));
            }
        }

        private void Apply(IInvocationOperation invocation, LockEffect effect)
        {
            var path = effect.Operand is not null
                ? ResolvePath(effect.Operand)
                : Substitute(effect.Contract?.Path, invocation.Instance, invocation.Arguments);
            if (path is null)
            {
                return;
            }

            var site = invocation.Syntax.GetLocation();
            var flag = effect.Flag?.WithoutConversions() as ILocalReferenceOperation;
            switch (effect.Kind)
            {
                case LockEffectKind.Acquire:
                    Acquire(site, path, effect.Mode, HoldSource.Acquired);
                    if (flag is not null)
                    {
                        _state = _state.WithBool(flag.Local, BoolFact.True);
                    }

                    break;
                case LockEffectKind.Scope:
                    Acquire(site, path, effect.Mode, HoldSource.Scoped);
                    (_scopeResults ??= new())[invocation] = path;
                    _openedScopes.Add((path, site));
                    break;
                case LockEffectKind.Release:
                    Release(site, path, effect.Mode);
                    break;
                case LockEffectKind.TryAcquire:
                    var held = new Held(effect.Mode, HoldSource.Acquired, InfoOf(path) ?? LockInfo.Monitor, site);
                    var facts = ImmutableArray.Create(new KeyValuePair<LockPath, Held>(path, held));
                    var empty = ImmutableArray<KeyValuePair<LockPath, Held>>.Empty;
                    var fact = effect.Success ? new BoolFact(null, facts, empty) : new BoolFact(null, empty, facts);
                    if (flag is not null)
                    {
                        _state = _state.WithBool(flag.Local, fact);
                    }
                    else
                    {
                        _tryResults ??= new();
                        _tryResults[invocation] = _tryResults.TryGetValue(invocation, out var previous)
                            ? new BoolFact(null, previous.WhenTrue.AddRange(fact.WhenTrue), previous.WhenFalse.AddRange(fact.WhenFalse))
                            : fact;
                    }

                    break;
            }
        }

        private void Acquire(Location site, LockPath path, LockMode mode, HoldSource source)
        {
            var info = InfoOf(path) ?? LockInfo.Monitor;
            var existing = _state.Find(path);
            _facts.Acquisitions.Add(new AcquireFact(site, path, mode, info, existing, _state));
            if (existing is null)
            {
                _state = _state.WithLock(path, new Held(mode, source, info, site));
            }
            else if (existing.Mode == LockMode.Upgradeable && mode == LockMode.Exclusive && info.Family == LockFamily.ReaderWriter)
            {
                _state = _state.WithLock(path, existing.With(mode: LockMode.Exclusive, upgraded: true));
            }
            else
            {
                // A non-reentrant re-acquisition is reported by HMM004; counting it keeps the matching release from cascading.
                _state = _state.WithLock(path, existing.With(mode: existing.Mode >= mode ? existing.Mode : mode, count: existing.Count + 1));
            }
        }

        private void Release(Location site, LockPath path, LockMode mode)
        {
            var existing = _state.Find(path);
            if (existing is null && ReleaseCarried(path))
            {
                return;
            }

            _facts.Releases.Add(new ReleaseFact(site, path, mode, existing, _state));
            if (existing is null)
            {
                return;
            }

            if (existing.Upgraded && mode == LockMode.Exclusive)
            {
                _state = _state.WithLock(path, existing.With(mode: LockMode.Upgradeable, upgraded: false));
            }
            else if (existing.Count > 1)
            {
                _state = _state.WithLock(path, existing.With(count: existing.Count - 1));
            }
            else
            {
                _state = _state.WithoutLock(path);
            }
        }

        /// <summary>
        /// Releasing a lock that a bool local carries (held where the flag is true) without testing the flag: the
        /// analysis cannot tell which, so the release is taken as the matching one and the flag stops carrying it.
        /// </summary>
        private bool ReleaseCarried(LockPath path)
        {
            foreach (var entry in _state.Bools)
            {
                if (!entry.Value.Restores || !entry.Value.WhenTrue.Any(l => l.Key.Equals(path)))
                {
                    continue;
                }

                var rest = entry.Value.WhenTrue.RemoveAll(l => l.Key.Equals(path));
                _state = _state.WithBool(entry.Key, rest.IsEmpty ? null : new BoolFact(null, rest, entry.Value.WhenFalse, restores: true));
                return true;
            }

            return false;
        }

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

        private LockPath? ScopeOf(IOperation value) => value switch
        {
            IFlowCaptureReferenceOperation capture => _captureScopes is not null && _captureScopes.TryGetValue(capture.Id, out var path) ? path : null,
            ILocalReferenceOperation local => _localScopes is not null && _localScopes.TryGetValue(local.Local, out var path) ? path : null,
            _ => _scopeResults is not null && _scopeResults.TryGetValue(value, out var path) ? path : null,
        };
    }
}
