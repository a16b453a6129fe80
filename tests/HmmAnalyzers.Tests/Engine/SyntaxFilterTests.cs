using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HmmAnalyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace HmmAnalyzers.Tests.Engine
{
    /// <summary>
    /// Which members the syntax pre-filter keeps for binding, and which it leaves unbound. That nothing it leaves could
    /// have been reported is checked on every embedded source, the samples and the corpus (DriverEquivalenceTests).
    /// </summary>
    public class SyntaxFilterTests
    {
        [Fact]
        public void AMemberThatNamesNoLockApiNoAnnotatedMemberAndNoLockingMethodIsLeftUnbound()
        {
            var kept = Kept(@"
class Plain
{
    private int _n;
    public int Next() => ++_n;
    public string Name { get { return ""plain""; } }
    public override string ToString() => Name + Next();
}
class Locking
{
    private readonly object _gate = new object();
    public void Statement() { lock (_gate) { } }
    public void Call() { Monitor.Enter(_gate); Monitor.Exit(_gate); }
    public void ReadWrite(ReaderWriterLockSlim rw) { rw.EnterReadLock(); rw.ExitReadLock(); }
}");
            Assert.Equal(new[] { "Locking.Call", "Locking.ReadWrite", "Locking.Statement" }, kept);
        }

        [Fact]
        public void AnnotatedMembersAndTheirUsersAreKeptWhereverTheAnnotationIs()
        {
            var kept = Kept(@"
interface ILocked { [RequiresExclusive(""this"")] void Touch(); }
class Account : ILocked
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _balance;
    public void Touch() { }
    public int Peek() => _balance;
}
class Client
{
    public void Use(ILocked locked) => locked.Touch();
    public void Assert(object gate) => Lockdep.AssertHeld(gate);
    public void Other() => System.Console.WriteLine();
}");
            // Touch implements an annotated member (its name is annotated); Lockdep's contracts come from a referenced assembly.
            Assert.Equal(new[] { "Account.Peek", "Account.Touch", "Client.Assert", "Client.Use" }, kept);
        }

        [Fact]
        public void AMemberThatOnlyCallsOneThatTakesALockIsLeftToTheLockOrder()
        {
            // The lock order binds Relay.Pass at the compilation's end only if a call made under a lock reaches it
            // (HMM012LockOrderCycleTests.InversionThroughAMethodOfAnotherTypeThatTakesNoLock).
            var kept = Kept(@"
static class Relay
{
    public static void Pass(Cache cache) => cache.Bump();
}
class Cache
{
    private readonly object _stats = new object();
    internal void Bump() { lock (_stats) { } }
}");
            Assert.Equal(new[] { "Cache.Bump" }, kept);
        }

        [Fact]
        public void GuardInferenceSeesTheMembersThatShareNamesWithTheLockingCodeOfTheirType()
        {
            var kept = Kept(@"
class Counter
{
    private readonly object _gate = new object();
    private int _count;
    private string _label = """";
    public void Increment() { lock (_gate) { Bump(); } }
    private void Bump() => _count++;
    public int Read() => _count;
    public Counter() => Reset();
    private void Reset() => _count = 0;
    public string Label() => _label;
}");
            Assert.Equal(new[] { "Counter.Bump", "Counter.Counter", "Counter.Increment", "Counter.Read", "Counter.Reset" }, kept);
        }

        [Fact]
        public void AMemberOfALockingTypeThatTouchesNoDataItsLockingCodeNamesIsLeftUnbound()
        {
            // A public member called under the lock runs without it as far as guard inference knows, and its callers' context
            // does not matter: only private and internal helpers take their callers' context.
            var kept = Kept(@"
class Shop
{
    private readonly object _gate = new object();
    private int _stock;
    public void Sell() { lock (_gate) { _stock--; Log(); } }
    public void Log() => System.Console.WriteLine(""sold"");
    public void Audit() => Log();
    public int Stock => _stock;
}");
            Assert.Equal(new[] { "Shop.Sell", "Shop.Stock" }, kept);
        }

        [Fact]
        public void AMemberThatNamesOnlyDataTheLockingCodeReadsIsLeftUnbound()
        {
            // A guard is inferred only for data written under a lock: _limit is read under it, never written there. The context
            // of a helper the locking code calls matters only where the helper names such data: Note names none, so who else
            // calls it (Ping) does not matter; Count names _used, so Audit, its other caller, is kept.
            var kept = Kept(@"
class Meter
{
    private readonly object _gate = new object();
    private int _used;
    private int _limit = 10;
    private readonly System.Collections.Generic.List<int> _log = new System.Collections.Generic.List<int>();
    public bool Take() { lock (_gate) { if (_used >= _limit) { return false; } _used++; _log.Add(_used); Note(); return Count() > 0; } }
    public int Used => _used;
    public int Limit => _limit;
    public int Logged() => _log.Count;
    public void Raise(int by) => _limit += by;
    private void Note() => System.Console.WriteLine(""taken"");
    public void Ping() => Note();
    private int Count() => _used;
    public int Audit() => Count();
}");
            Assert.Equal(new[] { "Meter.Audit", "Meter.Count", "Meter.Logged", "Meter.Note", "Meter.Take", "Meter.Used" }, kept);
        }

        [Theory]
        [InlineData("_a = 1;", "_a", "")]
        [InlineData("this._a += 1; _b -= 1; _c ??= x; _d <<= 1; _e >>>= 1; _f |= 2;", "_a _b _c _d _e _f", "")]
        [InlineData("_a++; --_b; ++this._c; x = _d-- + 1;", "_a _b _c _d", "")]
        [InlineData("Interlocked.Increment(ref _a); int.TryParse(s, out _b); M(ref this._c, _d);", "_a _b _c", "")]
        [InlineData("_a.Add(1); _b[0] = 1; _c?.Clear(); _d!.Clear(); ((Foo)_e).Add(2); (_f).Add(1); _g[i, j]++; _h.X = 1; _k.Y++;", "_a _b _c _d _e _f _g _h _k", "")]
        [InlineData("x = _a.Count + _b.Find(1) + _c[0].X + _d?.Length; _e[0].X = 1; F(_f[0]);", "", "_a _b _d")]
        [InlineData("if (_a == 1 || _b != 2 || _c <= 3 || _d >= 4) { x = _e ?? _f; y = _g ? 1 : 2; F(() => _h, _i); }", "", "")]
        [InlineData("var (p, q) = (_a, _b);", "_a _b", "")]
        public void TheNamesATextMayWriteAreThoseInAWritingPosition(string text, string written, string accessed)
        {
            var scan = NameScan.Read(Microsoft.CodeAnalysis.Text.SourceText.From(text), new Microsoft.CodeAnalysis.Text.TextSpan(0, text.Length));

            // The data names of these texts start with an underscore; the other identifiers (locals, keywords) do not matter.
            static IEnumerable<string> Data(IEnumerable<string> names) => names.Where(n => n.StartsWith("_", System.StringComparison.Ordinal)).OrderBy(n => n, System.StringComparer.Ordinal);
            Assert.Equal(Data(written.Split(' ')), Data(scan.WritesAll ? scan.References : scan.Written));
            Assert.Equal(Data(accessed.Split(' ')), Data(scan.Accessed));
        }

        [Fact]
        public void WithAMethodThatCarriesMutatesAnyMethodCalledOnDataMayWriteIt()
        {
            // Without [Mutates] anywhere, _log.Peek() under the lock reads _log; with it, Peek may be the mutator.
            const string Shape = @"
class Journal
{
    private readonly object _gate = new object();
    private readonly Log _log = new Log();
    public void Touch() { lock (_gate) { _log.Peek(); } }
    public int Size() => _log.Size;
}
class Log { public int Size => 0; {0} public void Peek() { } }";
            Assert.Equal(new[] { "Journal.Touch" }, Kept(Shape.Replace("{0}", string.Empty)));
            Assert.Equal(new[] { "Journal.Size", "Journal.Touch", "Log.Peek" }, Kept(Shape.Replace("{0}", "[Mutates]")));
        }

        [Fact]
        public void NamesAreReadFromCodeAndInterpolationsNotFromComments()
        {
            var kept = Kept(@"
class Locked
{
    private readonly object _gate = new object();
    public int Take() { lock (_gate) { return 1; } }
}
class Text
{
    // lock (this) { } and Take() are only mentioned here
    /* Monitor.Enter(this); */
    public int Commented() => 0;
    public string Interpolated() => $""{Monitor.TryEnter(this)}"";
    public int[] Array(int[] values, int[,] grid) => values;
    [System.Obsolete] public int Attributed() => 1;
}");
            Assert.Equal(new[] { "Locked.Take", "Text.Interpolated" }, kept);
        }

        [Fact]
        public void AnAliasOfAnAnnotationIsAnAnnotation()
        {
            var kept = Kept(@"
using Guard = HmmAnalyzers.Annotations.GuardedByAttribute;
class Aliased
{
    private readonly object _gate = new object();
    [Guard(""_gate"")] private int _n;
    public int Read() => _n;
    public int Other() => 1;
}");
            Assert.Equal(new[] { "Aliased.Read" }, kept);
        }

        [Fact]
        public void AnAnnotatedPositionalRecordPropertyIsAnnotated()
        {
            var kept = Kept(@"
record Entry([property: GuardedBy(""Gate"")] int Count)
{
    public static readonly object Gate = new object();
}
class Reader
{
    public int Read(Entry e) => e.Count;
    public int Other() => 1;
}");
            Assert.Equal(new[] { "Reader.Read" }, kept);
        }

        [Fact]
        public void TheFilterStepsAsideWhenAnOperatorMayMatter()
        {
            var kept = Kept(@"
struct Money
{
    public int Cents;
    [RequiresExclusive(""Bank.Gate"")] public static Money operator +(Money a, Money b) => new Money { Cents = a.Cents + b.Cents };
}
static class Bank { public static readonly object Gate = new object(); }
class Plain { public int One() => 1; }");
            Assert.Contains("Plain.One", kept);
        }

        [Fact]
        public void AnEditThatChangesWhatMattersIsSeenInTheNextCompilation()
        {
            // Names found for one compilation are taken over by the next only when the changed document changed no attribute and no alias.
            const string Other = @"class Reader { public int Read(Data d) => d.N; }";
            const string Before = @"
class Data
{
    public static readonly object Gate = new object();
    public int N;
    public int Twice() => 2 * N;
}";
            var first = Compilation("edits", Other, Before);
            Assert.DoesNotContain("Reader.Read", Kept(first));
            var typed = first.ReplaceSyntaxTree(first.SyntaxTrees.Last(), Parse(Before.Replace("2 * N", "3 * N")));
            Assert.DoesNotContain("Reader.Read", Kept(typed));
            var annotated = typed.ReplaceSyntaxTree(typed.SyntaxTrees.Last(), Parse(Before.Replace("public int N;", "[GuardedBy(nameof(Gate))] public int N;")));
            Assert.Contains("Reader.Read", Kept(annotated));
        }

        [Fact]
        public void ATypeNoneOfWhoseMembersMayMatterGetsNoActionUnlessItsCodeIsNotListed()
        {
            var compilation = CSharpCompilation.Create(
                "p",
                new[]
                {
                    Parse(@"
var plain = new Plain();
System.Console.WriteLine(plain.Next() + new Point(1).Twice());
class Plain { private int _n; public int Next() => ++_n; public int Count { get => _n; set => _n = value; } }
class Locking { private readonly object _gate = new object(); private void Touch() { lock (_gate) { } } public void Other() { } }
record Point(int X) { public int Twice() => X * 2; }
partial class Split { public void Plain() { } }
partial class Split { private readonly object _gate = new object(); private void Touch() { lock (_gate) { } } }"),
                },
                Verify.References,
                new CSharpCompilationOptions(OutputKind.ConsoleApplication));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var filter = new SyntaxFilter(compilation);
            var verdicts = compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type).Cast<INamedTypeSymbol>()
                .Select(t => (t.Name, MayMatter: filter.MayMatter(t, CancellationToken.None, out var unbound), unbound))
                .OrderBy(v => v.Name, System.StringComparer.Ordinal).ToList();

            // Plain's three bodies (Next and the accessors) are never handed over; a partial type is one type; the program's
            // top-level statements and a record with a primary constructor are not in the index, so they are handed over.
            Assert.Equal(new[] { ("Locking", true, 0), ("Plain", false, 3), ("Point", true, 0), ("Program", true, 0), ("Split", true, 0) }, verdicts);
        }

        private static SyntaxTree Parse(string source) => CSharpSyntaxTree.ParseText(Verify.Usings + source, new CSharpParseOptions(LanguageVersion.Preview));

        private static CSharpCompilation Compilation(string name, params string[] sources)
            => CSharpCompilation.Create(name, sources.Select(Parse), Verify.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        private static List<string> Kept(string source) => Kept(Compilation("p", source));

        /// <summary>The members (Type.Member) the filter keeps, in order.</summary>
        private static List<string> Kept(CSharpCompilation compilation)
        {
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var filter = new SyntaxFilter(compilation);
            var types = new Dictionary<INamedTypeSymbol, TypeFacts>(SymbolEqualityComparer.Default);
            var kept = new List<string>();
            foreach (var node in compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes()))
            {
                var model = compilation.GetSemanticModel(node.SyntaxTree);
                if (node is not (BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax }) ||
                    (node is BaseMethodDeclarationSyntax { Body: null, ExpressionBody: null }) ||
                    model.GetDeclaredSymbol(node is ArrowExpressionClauseSyntax ? node.Parent! : node) is not { } symbol)
                {
                    continue;
                }

                var type = symbol.ContainingType;
                if (!types.TryGetValue(type, out var facts))
                {
                    types[type] = facts = new TypeFacts(type);
                }

                if (filter.MayMatter(type, CancellationToken.None, out _) && filter.MayMatter(node, facts, CancellationToken.None))
                {
                    var name = symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ? type.Name : symbol is IMethodSymbol { AssociatedSymbol: { } p } ? p.Name : symbol.Name;
                    kept.Add(type.Name + "." + name);
                }
            }

            return kept.Distinct().OrderBy(k => k, System.StringComparer.Ordinal).ToList();
        }
    }
}
