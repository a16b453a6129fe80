using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace HmmAnalyzers.Engine
{
    /// <summary>Where a held-lock fact comes from; only <see cref="Acquired"/> facts are reported as leaked or as join mismatches.</summary>
    internal enum HoldSource
    {
        Acquired,
        Scoped,
        Asserted,
        Contract,
    }

    /// <summary>One lock in the lockset: how it is held, since where, and how often (for reentrant locks).</summary>
    internal sealed class Held : IEquatable<Held>
    {
        public Held(LockMode mode, HoldSource source, LockInfo info, Location site, int count = 1, bool upgraded = false, bool mustRelease = false, TextSpan? region = null)
        {
            Region = region;
            Mode = mode;
            Source = source;
            Info = info;
            Site = site;
            Count = count;
            Upgraded = upgraded;
            MustRelease = mustRelease;
        }

        public LockMode Mode { get; }

        public HoldSource Source { get; }

        public LockInfo Info { get; }

        /// <summary>Where it was acquired, asserted, or (for contracts) the method's name.</summary>
        public Location Site { get; }

        public int Count { get; }

        /// <summary>A read/write lock's write lock taken while holding its upgradeable read lock.</summary>
        public bool Upgraded { get; }

        /// <summary>Held on entry by a <c>[Releases]</c> contract: it must be gone at exit.</summary>
        public bool MustRelease { get; }

        /// <summary>
        /// For a <c>lock</c> statement that the control flow graph could not lower (it leaves an invalid operation
        /// followed by the body's statements), the span of the body: the lock is held exactly inside it.
        /// </summary>
        public TextSpan? Region { get; }

        /// <summary>Whether this hold is reported when it is still held at exit or differs at a join.</summary>
        public bool IsTracked => Source == HoldSource.Acquired;

        public Held With(LockMode? mode = null, int? count = null, bool? upgraded = null, HoldSource? source = null)
            => new Held(mode ?? Mode, source ?? Source, Info, Site, count ?? Count, upgraded ?? Upgraded, MustRelease, Region);

        /// <summary>Whether this hold satisfies a requirement of <paramref name="required"/> mode.</summary>
        public bool Satisfies(LockMode required) => required switch
        {
            LockMode.Exclusive => Mode == LockMode.Exclusive || (Mode == LockMode.Any && !Info.HasShared),
            _ => true,
        };

        public bool Equals(Held? other)
            => other is not null && other.Mode == Mode && other.Source == Source && other.Count == Count && other.Upgraded == Upgraded && other.MustRelease == MustRelease;

        public override bool Equals(object? obj) => Equals(obj as Held);

        public override int GetHashCode() => ((int)Mode * 31) + Count;

        public string Describe(LockPath path) => Mode switch
        {
            LockMode.Shared => $"'{path}' shared",
            LockMode.Upgradeable => $"'{path}' upgradeable (shared)",
            LockMode.Exclusive when Info.HasShared => $"'{path}' exclusively",
            _ => $"'{path}'",
        };
    }

    /// <summary>What a bool local says about locks: a known value, and locks held when it is true or false.</summary>
    internal sealed class BoolFact : IEquatable<BoolFact>
    {
        public BoolFact(
            bool? known,
            ImmutableArray<KeyValuePair<LockPath, Held>> whenTrue,
            ImmutableArray<KeyValuePair<LockPath, Held>> whenFalse,
            bool restores = false,
            ImmutableArray<ISymbol> equivalents = default)
        {
            Known = known;
            WhenTrue = whenTrue;
            WhenFalse = whenFalse;
            Restores = restores;
            Equivalents = equivalents.IsDefault ? ImmutableArray<ISymbol>.Empty : equivalents;
        }

        /// <summary>
        /// Other bools that were true on exactly the same paths when the locks moved into this one (<c>locked</c> and
        /// <c>c</c> in <c>if (c) { Enter(x); locked = true; }</c>): testing one of them is testing this one.
        /// </summary>
        public ImmutableArray<ISymbol> Equivalents { get; }

        /// <summary>
        /// The locks are not newly acquired when the bool is tested: a join found them held exactly where the bool
        /// was true (<c>if (c) { Enter(x); locked = true; } ... if (locked) Exit(x);</c>), and testing it brings them back.
        /// </summary>
        public bool Restores { get; }

        public static BoolFact True { get; } = new BoolFact(true, ImmutableArray<KeyValuePair<LockPath, Held>>.Empty, ImmutableArray<KeyValuePair<LockPath, Held>>.Empty);

        public static BoolFact False { get; } = new BoolFact(false, ImmutableArray<KeyValuePair<LockPath, Held>>.Empty, ImmutableArray<KeyValuePair<LockPath, Held>>.Empty);

        public bool? Known { get; }

        public ImmutableArray<KeyValuePair<LockPath, Held>> WhenTrue { get; }

        public ImmutableArray<KeyValuePair<LockPath, Held>> WhenFalse { get; }

        public BoolFact Negate() => new BoolFact(Known is { } k ? !k : null, WhenFalse, WhenTrue, Restores, Equivalents);

        public bool Equals(BoolFact? other)
            => other is not null && other.Known == Known && other.Restores == Restores && other.WhenTrue.SequenceEqual(WhenTrue) &&
                other.WhenFalse.SequenceEqual(WhenFalse) && other.Equivalents.SequenceEqual(Equivalents, SymbolEqualityComparer.Default);

        public override bool Equals(object? obj) => Equals(obj as BoolFact);

        public override int GetHashCode() => Known.GetHashCode();
    }

    /// <summary>The immutable dataflow value: locks held, references dropped, and bool locals that carry lock facts.</summary>
    internal sealed class FlowState
    {
        private static readonly ImmutableDictionary<ILocalSymbol, LockPath> NoPoints = ImmutableDictionary.Create<ILocalSymbol, LockPath>(SymbolEqualityComparer.Default);

        public static readonly FlowState Unreachable = new FlowState(
            ImmutableDictionary<LockPath, Held>.Empty, ImmutableDictionary<LockPath, Location>.Empty, ImmutableDictionary<ISymbol, BoolFact>.Empty, NoPoints, unreachable: true);

        public static readonly FlowState Empty = new FlowState(
            ImmutableDictionary<LockPath, Held>.Empty, ImmutableDictionary<LockPath, Location>.Empty, ImmutableDictionary<ISymbol, BoolFact>.Empty, NoPoints, unreachable: false);

        private FlowState(
            ImmutableDictionary<LockPath, Held> locks,
            ImmutableDictionary<LockPath, Location> dropped,
            ImmutableDictionary<ISymbol, BoolFact> bools,
            ImmutableDictionary<ILocalSymbol, LockPath> points,
            bool unreachable,
            ImmutableArray<ImmutableDictionary<ILocalSymbol, LockPath>> alternatives = default)
        {
            Locks = locks;
            Dropped = dropped;
            Bools = bools;
            Points = points;
            IsUnreachable = unreachable;
            Alternatives = alternatives.IsDefault ? ImmutableArray<ImmutableDictionary<ILocalSymbol, LockPath>>.Empty : alternatives;
        }

        /// <summary>
        /// Locals a deconstruction gave one of several sets of paths (<c>var (first, second) = a.Id &lt; b.Id ? (a, b) : (b, a);</c>),
        /// one set per way the value was built: a lock is held when, in every set, a held lock through those locals is it.
        /// </summary>
        public ImmutableArray<ImmutableDictionary<ILocalSymbol, LockPath>> Alternatives { get; }

        public FlowState WithAlternatives(ImmutableArray<ImmutableDictionary<ILocalSymbol, LockPath>> alternatives)
            => new FlowState(Locks, Dropped, Bools, Points, IsUnreachable, alternatives);

        /// <summary>The hold that names <paramref name="path"/> in every set of <see cref="Alternatives"/>, the weakest of them.</summary>
        private Held? FindInEveryAlternative(LockPath path)
        {
            Held? found = null;
            foreach (var alternative in Alternatives)
            {
                Held? here = null;
                foreach (var entry in Locks)
                {
                    if (entry.Key.Root is ILocalSymbol local && alternative.TryGetValue(local, out var target) && target.Append(entry.Key.Members).Equals(path))
                    {
                        here = entry.Value;
                        break;
                    }
                }

                if (here is null)
                {
                    return null;
                }

                found = found is null || here.Mode < found.Mode ? here : found;
            }

            return found;
        }

        /// <summary>
        /// Locals assigned more than once, with the path each names since its last assignment on every path here
        /// (<c>m = b.Mu;</c>): a lock taken or looked up through such a local is the lock it names now.
        /// </summary>
        public ImmutableDictionary<ILocalSymbol, LockPath> Points { get; }

        /// <summary>A local names <paramref name="target"/> from here on (null: nothing known).</summary>
        public FlowState WithPoint(ILocalSymbol local, LockPath? target)
        {
            var points = target is null ? Points.Remove(local) : Points.SetItem(local, target);
            return points == Points ? this : new FlowState(Locks, Dropped, Bools, points, IsUnreachable, Alternatives);
        }

        /// <summary>The path a lock is known by here: one through a re-pointed local is the path the local names now.</summary>
        public LockPath Canonical(LockPath path)
            => !Points.IsEmpty && path.Root is ILocalSymbol local && Points.TryGetValue(local, out var target) ? target.Append(path.Members) : path;

        public bool IsUnreachable { get; }

        public ImmutableDictionary<LockPath, Held> Locks { get; }

        /// <summary>References that may have been dropped, with where.</summary>
        public ImmutableDictionary<LockPath, Location> Dropped { get; }

        /// <summary>Bool locals, and parameters and readonly fields that cannot change here, with what is known when they are tested.</summary>
        public ImmutableDictionary<ISymbol, BoolFact> Bools { get; }

        public FlowState WithLocks(ImmutableDictionary<LockPath, Held> locks) => new FlowState(locks, Dropped, Bools, Points, IsUnreachable, Alternatives);

        public FlowState WithLock(LockPath path, Held held) => WithLocks(Locks.SetItem(Canonical(path), held));

        public FlowState WithoutLock(LockPath path) => WithLocks(Locks.Remove(Canonical(path)));

        /// <summary>Drops the holds of unlowered <c>lock</c> statements whose body does not contain <paramref name="span"/>.</summary>
        public FlowState LeaveRegions(TextSpan span)
        {
            if (Locks.IsEmpty)
            {
                return this;
            }

            var locks = Locks;
            foreach (var entry in Locks)
            {
                if (entry.Value.Region is { } region && !region.Contains(span))
                {
                    locks = locks.Remove(entry.Key);
                }
            }

            return locks == Locks ? this : WithLocks(locks);
        }

        public FlowState WithDropped(ImmutableDictionary<LockPath, Location> dropped) => new FlowState(Locks, dropped, Bools, Points, IsUnreachable, Alternatives);

        /// <summary>A bool local, parameter or readonly field (<see cref="Bools"/>) gets a fact, or loses it.</summary>
        public FlowState WithBool(ISymbol flag, BoolFact? fact)
            => new FlowState(Locks, Dropped, fact is null ? Bools.Remove(flag) : Bools.SetItem(flag, fact), Points, IsUnreachable, Alternatives);

        public Held? Find(LockPath path)
            => Locks.TryGetValue(Canonical(path), out var held) ? held : Alternatives.IsEmpty ? null : FindInEveryAlternative(path);

        /// <summary>The first dropped path that is <paramref name="path"/> or one of its prefixes (strict prefixes only when <paramref name="strict"/>).</summary>
        public KeyValuePair<LockPath, Location>? FindDropped(LockPath path, bool strict)
        {
            foreach (var entry in Dropped)
            {
                if (path.StartsWith(entry.Key) && (!strict || entry.Key.Members.Length < path.Members.Length || !SymbolEqualityComparer.Default.Equals(entry.Key.Root, path.Root)))
                {
                    return entry;
                }
            }

            return null;
        }

        /// <summary>Held locks with the same declaring member as <paramref name="path"/> but on another instance.</summary>
        public IEnumerable<LockPath> NearMatches(LockPath path)
            => Locks.Keys.Where(k => !k.Equals(path) && k.Identity is not null && SymbolEqualityComparer.Default.Equals(k.Identity, path.Identity))
                .OrderBy(k => k.ToString(), StringComparer.Ordinal);

        /// <summary>The held locks in the order of their names: what reaches a message or a report must not follow hash order.</summary>
        public IEnumerable<KeyValuePair<LockPath, Held>> LocksByName
            => Locks.Count <= 1 ? Locks : Locks.OrderBy(l => l.Key.ToString(), StringComparer.Ordinal);

        /// <summary>
        /// Merges the states flowing into a join: the lockset is the intersection (a lock held on only some
        /// paths is reported through <paramref name="mismatch"/>, unless a bool carries it, and so is one acquired on
        /// every path but not the same way, with the other way as its third argument), dropped references are
        /// the union, bool facts survive where all paths agree.
        /// </summary>
        public static FlowState Merge(IReadOnlyList<FlowState> states, Action<LockPath, Held, Held?>? mismatch)
        {
            var reachable = new List<FlowState>(states.Count);
            foreach (var state in states)
            {
                if (!state.IsUnreachable)
                {
                    reachable.Add(state);
                }
            }

            if (reachable.Count == 0)
            {
                return Unreachable;
            }

            var first = reachable[0];

            // Paths that changed nothing, or changed it back, carry equal maps: nothing to intersect.
            if (reachable.Count == 1 ||
                reachable.TrueForAll(s => s == first || (SameContent(s.Locks, first.Locks) && s.Dropped == first.Dropped && s.Bools == first.Bools && SameAliases(s, first))))
            {
                return first;
            }

            var dropped = MergeDropped(reachable);
            var bools = MergeBools(reachable);
            var locks = MergeLocks(reachable, ref bools, mismatch);
            var alternatives = reachable.TrueForAll(s => s.Alternatives == first.Alternatives) ? first.Alternatives : default;
            return new FlowState(locks, dropped, bools, MergePoints(reachable), unreachable: false, alternatives);
        }

        private static bool SameAliases(FlowState one, FlowState other) => one.Points == other.Points && one.Alternatives == other.Alternatives;

        /// <summary>A local names the same path after the join only where every incoming path says so.</summary>
        private static ImmutableDictionary<ILocalSymbol, LockPath> MergePoints(List<FlowState> reachable)
        {
            var points = reachable[0].Points;
            for (var i = 1; i < reachable.Count && !points.IsEmpty; i++)
            {
                foreach (var entry in points)
                {
                    if (!reachable[i].Points.TryGetValue(entry.Key, out var other) || !other.Equals(entry.Value))
                    {
                        points = points.Remove(entry.Key);
                    }
                }
            }

            return points;
        }

        /// <summary>References dropped on any incoming path may be dropped after the join.</summary>
        private static ImmutableDictionary<LockPath, Location> MergeDropped(List<FlowState> reachable)
        {
            var dropped = reachable[0].Dropped;
            for (var i = 1; i < reachable.Count; i++)
            {
                foreach (var entry in reachable[i].Dropped)
                {
                    if (!dropped.ContainsKey(entry.Key))
                    {
                        dropped = dropped.Add(entry.Key, entry.Value);
                    }
                }
            }

            return dropped;
        }

        /// <summary>
        /// A bool keeps its fact where every incoming path gives the same one, or where the paths that differ only know
        /// its value and the fact gives nothing on that value (<c>taken = false</c> on one path, <c>taken =
        /// m.WaitOne(t)</c> on another: when true, it took the lock).
        /// </summary>
        private static ImmutableDictionary<ISymbol, BoolFact> MergeBools(List<FlowState> reachable)
        {
            var bools = reachable[0].Bools;
            foreach (var entry in reachable[0].Bools)
            {
                BoolFact? merged = entry.Value;
                for (var i = 1; i < reachable.Count && merged is not null; i++)
                {
                    merged = reachable[i].Bools.TryGetValue(entry.Key, out var fact) ? Agree(merged, fact) : null;
                }

                bools = merged is null ? bools.Remove(entry.Key) : merged == entry.Value ? bools : bools.SetItem(entry.Key, merged);
            }

            return bools;
        }

        private static BoolFact? Agree(BoolFact one, BoolFact other)
        {
            static bool Subsumes(BoolFact fact, BoolFact constant)
                => fact.Known is null && constant.WhenTrue.IsEmpty && constant.WhenFalse.IsEmpty && !constant.Restores &&
                   (constant.Known == false ? fact.WhenFalse.IsEmpty : constant.Known == true && fact.WhenTrue.IsEmpty);
            return one.Equals(other) ? one : Subsumes(one, other) ? one : Subsumes(other, one) ? other : null;
        }

        /// <summary>
        /// The locks held on every incoming path, in the weakest way any path holds them. A tracked lock held on only
        /// some paths moves into the bool that is true exactly on those (<paramref name="bools"/>), or is a mismatch.
        /// </summary>
        private static ImmutableDictionary<LockPath, Held> MergeLocks(
            List<FlowState> reachable, ref ImmutableDictionary<ISymbol, BoolFact> bools, Action<LockPath, Held, Held?>? mismatch)
        {
            var result = ImmutableDictionary.CreateBuilder<LockPath, Held>();
            var holds = new List<Held?>(reachable.Count);
            foreach (var key in AllKeys(reachable))
            {
                holds.Clear();
                foreach (var state in reachable)
                {
                    holds.Add(state.Find(key));
                }

                if (holds.TrueForAll(h => h is not null))
                {
                    var weakest = holds.OrderBy(h => h!.Mode == LockMode.Any ? 0 : (int)h.Mode).ThenBy(h => h!.Count).First()!;

                    // Asserted on one path and acquired on another: the acquisition must still be released, as in Clang.
                    result[key] = weakest.Source == HoldSource.Asserted && holds.Find(h => h!.IsTracked) is { } acquired
                        ? acquired.With(mode: weakest.Mode, count: weakest.Count)
                        : weakest;

                    // Acquired on every path, but exclusively on one and shared on another, or entered a different number of times.
                    if (mismatch is not null && holds.Find(h => h!.IsTracked && (h.Mode != weakest.Mode || h.Count != weakest.Count)) is { } stronger && weakest.IsTracked)
                    {
                        mismatch(key, stronger, weakest);
                    }

                    continue;
                }

                if (holds.FirstOrDefault(h => h is { IsTracked: true }) is not { } tracked)
                {
                    continue;
                }

                // Held exactly where a bool local is known true: the lock moves into that bool instead of being a mismatch.
                if (CorrelatedFlags(reachable, key) is { Count: > 0 } flags)
                {
                    var flag = flags[0];
                    var restore = new KeyValuePair<LockPath, Held>(key, tracked);
                    var existing = bools.TryGetValue(flag, out var fact) && fact.Restores ? fact : null;
                    var equivalents = flags.Skip(1).ToImmutableArray();
                    bools = bools.SetItem(flag, new BoolFact(
                        null,
                        (existing?.WhenTrue ?? ImmutableArray<KeyValuePair<LockPath, Held>>.Empty).Add(restore),
                        ImmutableArray<KeyValuePair<LockPath, Held>>.Empty,
                        restores: true,
                        existing is null ? equivalents : existing.Equivalents.Where(e => equivalents.Contains(e, SymbolEqualityComparer.Default)).ToImmutableArray()));
                }
                else
                {
                    mismatch?.Invoke(key, tracked, null);
                }
            }

            return result.ToImmutable();
        }

        /// <summary>Every lock held on some incoming path, by name (a mismatch is reported in that order, never in hash order).</summary>
        private static List<LockPath> AllKeys(List<FlowState> reachable)
        {
            var keys = new List<LockPath>();
            foreach (var state in reachable)
            {
                foreach (var key in state.Locks.Keys)
                {
                    if (!keys.Contains(key))
                    {
                        keys.Add(key);
                    }
                }
            }

            if (keys.Count > 1)
            {
                keys.Sort((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
            }

            return keys;
        }

        /// <summary>Whether two locksets hold the same locks in the same way (the same maps, or maps rebuilt to the same content).</summary>
        /// <summary>Whether two states hold the same locks the same way and know the same about their bools and references.</summary>
        public bool SameFacts(FlowState other)
        {
            if (!SameLocks(other) || other.Bools.Count != Bools.Count)
            {
                return false;
            }

            foreach (var entry in Bools)
            {
                if (!other.Bools.TryGetValue(entry.Key, out var fact) || !fact.Equals(entry.Value))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool SameContent(ImmutableDictionary<LockPath, Held> first, ImmutableDictionary<LockPath, Held> second)
        {
            if (first == second)
            {
                return true;
            }

            if (first.Count != second.Count)
            {
                return false;
            }

            foreach (var entry in first)
            {
                if (!second.TryGetValue(entry.Key, out var held) || !ReferenceEquals(held, entry.Value))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The bools that are true on exactly the incoming paths that hold <paramref name="key"/>: known true where it
        /// is held, and known false, or a try-acquire's result for it, where it is not. The first carries the lock, the
        /// others are its equivalents: a local (set where the lock was taken) comes before a parameter or field (tested
        /// where it was taken), then by name, so the choice is the same every run.
        /// </summary>
        private static List<ISymbol> CorrelatedFlags(List<FlowState> states, LockPath key)
        {
            var found = new List<ISymbol>();
            foreach (var candidate in states[0].Bools.Keys)
            {
                var correlated = true;
                foreach (var state in states)
                {
                    if (!state.Bools.TryGetValue(candidate, out var fact) || !Correlates(fact, state.Locks.ContainsKey(key), key))
                    {
                        correlated = false;
                        break;
                    }
                }

                if (correlated)
                {
                    found.Add(candidate);
                }
            }

            if (found.Count > 1)
            {
                found.Sort((a, b) => Before(a, b) ? -1 : Before(b, a) ? 1 : 0);
            }

            return found;

            // On one path the bool is known and says whether the lock is held; on another it is a try-acquire's flag
            // (Monitor.TryEnter(g, ms, ref taken)) that says the lock is held when it is true, and it is not held yet.
            static bool Correlates(BoolFact fact, bool held, LockPath key)
                => fact.Known is { } known
                    ? known == held
                    : !held && fact.WhenTrue.Any(l => l.Key.Equals(key)) && !fact.WhenFalse.Any(l => l.Key.Equals(key));

            static bool Before(ISymbol candidate, ISymbol found)
                => (candidate is ILocalSymbol) != (found is ILocalSymbol)
                    ? candidate is ILocalSymbol
                    : string.CompareOrdinal(candidate.Name, found.Name) < 0;
        }

        /// <summary>
        /// Whether merging <paramref name="other"/> into this state would change nothing: it holds every lock this
        /// state holds, as this state holds it, has dropped nothing more, and agrees on every bool fact.
        /// </summary>
        public bool Keeps(FlowState other)
        {
            if (other.Locks != Locks)
            {
                foreach (var entry in Locks)
                {
                    if (!other.Locks.TryGetValue(entry.Key, out var held) || !held.Equals(entry.Value))
                    {
                        return false;
                    }
                }
            }

            if (other.Dropped != Dropped && other.Dropped.Keys.Any(k => !Dropped.ContainsKey(k)))
            {
                return false;
            }

            if (other.Bools != Bools)
            {
                foreach (var entry in Bools)
                {
                    if (!other.Bools.TryGetValue(entry.Key, out var fact) || !fact.Equals(entry.Value))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        public bool SameLocks(FlowState other)
        {
            if (other.Locks.Count != Locks.Count)
            {
                return false;
            }

            foreach (var entry in Locks)
            {
                if (!other.Locks.TryGetValue(entry.Key, out var held) || held.Mode != entry.Value.Mode || held.Count != entry.Value.Count)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
