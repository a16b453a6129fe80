using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM003MissingRequiredLockTests
    {
        [Fact]
        public Task CallWithoutLockIsReported() => Verify.AnalyzerIgnoringAssertions(@"
class Mm { public readonly ReaderWriterLockSlim MmapSem = new ReaderWriterLockSlim(); }
class Hmm
{
    [RequiresExclusive(""MmapSem"")] public static void GetOrCreate(Mm mm) { }
    public static void NoLock(Mm mm) => {|#0:GetOrCreate(mm)|};
    public static void Read(Mm mm) { mm.MmapSem.EnterReadLock(); try { {|#1:GetOrCreate(mm)|}; } finally { mm.MmapSem.ExitReadLock(); } }
    public static void Write(Mm mm) { mm.MmapSem.EnterWriteLock(); try { GetOrCreate(mm); } finally { mm.MmapSem.ExitWriteLock(); } }
    public static void Other(Mm mm, Mm other) { other.MmapSem.EnterWriteLock(); try { {|#2:GetOrCreate(mm)|}; } finally { other.MmapSem.ExitWriteLock(); } }
}",
            Verify.Diagnostic("HMM003").WithLocation(0).WithMessage("Calling 'Hmm.GetOrCreate' requires holding 'mm.MmapSem' exclusively; no lock is held"),
            Verify.Diagnostic("HMM003").WithLocation(1).WithMessage("Calling 'Hmm.GetOrCreate' requires holding 'mm.MmapSem' exclusively; holding 'mm.MmapSem' shared"),
            Verify.Diagnostic("HMM003").WithLocation(2).WithMessage("Calling 'Hmm.GetOrCreate' requires holding 'mm.MmapSem' exclusively; 'other.MmapSem' is held, which is the same lock on another instance"));

        [Fact]
        public Task ContractsPropagateThroughCallers() => Verify.AnalyzerIgnoringAssertions(@"
class Box
{
    private readonly object _gate = new object();
    [RequiresExclusive(nameof(_gate))] private void Inner() { }
    [RequiresExclusive(nameof(_gate))] private void Outer() => Inner();
    public void Entry() { lock (_gate) { Outer(); } }
    public void Wrong() { {|HMM003:Outer()|}; }
}");

        [Fact]
        public Task PropertyWithContract() => Verify.AnalyzerIgnoringAssertions(@"
class Box
{
    private readonly object _gate = new object();
    private int _v;
    [RequiresShared(nameof(_gate))] public int Value { get => _v; }
    public int Bad() => {|HMM003:Value|};
    public int Good() { lock (_gate) { return Value; } }
}");

        [Fact]
        public Task AliasOfParameterPathSatisfiesRequirement() => Verify.AnalyzerIgnoringAssertions(@"
class Mm { public readonly object PageTableLock = new object(); }
class Hmm { public Mm Mm = new Mm(); }
class Code
{
    [RequiresExclusive(""mm.PageTableLock"")] static void Touch(Mm mm) { }
    static void Run(Hmm hmm) { var mm = hmm.Mm; lock (hmm.Mm.PageTableLock) { Touch(mm); } }
}");

        // Clang checks a contract on an overloaded operator where the operator is used; so does HMM003.
        [Fact]
        public Task AnOperatorsContractIsCheckedWhereItIsUsed() => Verify.AnalyzerIgnoringAssertions(@"
sealed class Counter
{
    public readonly object Gate = new object();
    [GuardedBy(nameof(Gate))] public int N;
    [RequiresExclusive(""c.Gate"")] public static Counter operator +(Counter c, int n) { c.N += n; return c; }
    [RequiresExclusive(""c.Gate"")] public static Counter operator -(Counter c) { c.N = -c.N; return c; }
    [RequiresExclusive(""c.Gate"")] public static Counter operator ++(Counter c) { c.N++; return c; }
    [RequiresShared(""c.Gate"")] public static explicit operator int(Counter c) => c.N;
    [RequiresShared(""b.Gate"")] public static bool operator ==(Counter a, Counter b) => b.N == 0 && ReferenceEquals(a, b);
    public static bool operator !=(Counter a, Counter b) => !ReferenceEquals(a, b);
    public override bool Equals(object o) => ReferenceEquals(this, o);
    public override int GetHashCode() => 0;
}
class User
{
    public Counter Add(Counter c) => {|#0:c + 1|};
    public Counter Negate(Counter c) => {|#1:-c|};
    public void Compound(Counter c) { {|#2:c += 1|}; }
    public void Increment(Counter c) { {|#3:c++|}; }
    public int Convert(Counter c) => {|#4:(int)c|};
    public bool Same(Counter a, Counter b) { lock (a.Gate) { return {|#5:a == b|}; } }
    public bool Different(Counter a, Counter b) => a != b;
    public int Locked(Counter c, Counter d)
    {
        lock (c.Gate)
        {
            c = c + 1;
            c++;
            c += 2;
            lock (d.Gate) { return (int)-c + (c == d ? 1 : 0); }
        }
    }
}",
            Verify.Diagnostic("HMM003").WithLocation(0).WithMessage("Calling 'Counter.operator +' requires holding 'c.Gate'; no lock is held"),
            Verify.Diagnostic("HMM003").WithLocation(1).WithMessage("Calling 'Counter.operator -' requires holding 'c.Gate'; no lock is held"),
            Verify.Diagnostic("HMM003").WithLocation(2).WithMessage("Calling 'Counter.operator +' requires holding 'c.Gate'; no lock is held"),
            Verify.Diagnostic("HMM003").WithLocation(3).WithMessage("Calling 'Counter.operator ++' requires holding 'c.Gate'; no lock is held"),
            Verify.Diagnostic("HMM003").WithLocation(4).WithMessage("Calling 'Counter.explicit operator int' requires holding 'c.Gate'; no lock is held"),
            Verify.Diagnostic("HMM003").WithLocation(5).WithMessage("Calling 'Counter.operator ==' requires holding 'b.Gate'; 'a.Gate' is held, which is the same lock on another instance"));

        // The object is not shared yet: a constructor (or an initializer of a new object) may call its helpers without the lock.
        [Fact]
        public Task AConstructorMayCallAHelperThatRequiresItsOwnLock() => Verify.AnalyzerIgnoringAssertions(@"
class Cache
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))] private int _count;
    public Cache(int n) { Reset(n); this.Reset(n); }
    [RequiresExclusive(nameof(_gate))] private void Reset(int n) { _count = n; }
    [RequiresExclusive(nameof(_gate))] public int Size { get => _count; init => _count = value; }
    public static Cache Make() { var c = new Cache(0); c.Reset(2); return c; }
    public static Cache Init() => new Cache(0) { Size = 4 };
    public void Later() { {|HMM003:Reset(1)|}; }
    public static void Other(Cache c) { {|HMM003:c.Reset(1)|}; }
    public Cache(Cache other) { {|HMM003:other.Reset(1)|}; }
}");

        // An override or an interface implementation has its base member's contract unless it declares its own.
        [Fact]
        public Task ContractsAreInheritedByOverridesAndImplementations() => Verify.Analyzer(@"
public abstract class Store
{
    protected readonly object Gate = new object();
    [GuardedBy(nameof(Gate))] protected int Count;
    [RequiresExclusive(nameof(Gate))] protected abstract void Add(int n);
    [RequiresExclusive(nameof(Gate))] protected virtual void Clear() { Lockdep.AssertHeld(Gate); Count = 0; }
    public void Put(int n) { lock (Gate) { Add(n); Clear(); } }
}
public sealed class Memory : Store
{
    protected override void Add(int n) { Count += n; }
    protected override void Clear() { Count = 0; base.Clear(); }
    public void Wrong() { {|HMM003:Add(1)|}; }
}
public interface ISink
{
    object Gate { get; }
    [RequiresExclusive(nameof(Gate))] void Write(int n);
}
public sealed class Sink : ISink
{
    public object Gate { get; } = new object();
    [GuardedBy(nameof(Gate))] private int _n;
    public void Write(int n) { _n += n; }
    public void Wrong() { {|HMM003:Write(1)|}; }
}
public sealed class Explicit : ISink
{
    public object Gate { get; } = new object();
    [GuardedBy(nameof(Gate))] private int _n;
    void ISink.Write(int n) { _n += n; }
}");

        // Callers through the base member hold only what it requires: an override that requires more is reported.
        [Fact]
        public Task AnOverrideThatRequiresMoreThanItsBaseIsReported() => Verify.AnalyzerIgnoringAssertions(@"
public abstract class Store
{
    protected readonly object Gate = new object();
    [RequiresExclusive(nameof(Gate))] protected abstract void Add(int n);
}
public sealed class Stricter : Store
{
    private readonly object _other = new object();
    [RequiresExclusive(nameof(Gate))] [RequiresExclusive(nameof(_other))] protected override void {|#0:Add|}(int n) { }
}
public sealed class Same : Store
{
    [RequiresExclusive(nameof(Gate))] protected override void Add(int n) { }
}",
    Verify.Diagnostic("HMM003").WithLocation(0)
        .WithMessage("'Stricter.Add' requires holding '_other', which 'Store.Add' it overrides or implements does not: callers through 'Store.Add' cannot know to hold it"));

        // A lock the method's own object does not own is named through a parameter that carries its owner.
        [Fact]
        public Task ALockOwnedByAnotherObjectIsNamedThroughAParameter() => Verify.Analyzer(@"
public sealed class Controller
{
    private readonly object _gate = new object();
    private readonly Metrics _metrics = new Metrics();
    public void Tick() { lock (_gate) { _metrics.Record(this, 1); } }
    public void Wrong() { {|#0:_metrics.Record(this, 2)|}; }
    public void OtherController(Controller other) { lock (_gate) { {|#1:_metrics.Record(other, 3)|}; } }
}
public sealed class Metrics
{
    private long _total;
    [RequiresExclusive(""owner._gate"")] internal void Record(Controller owner, long n) { _total += n; }
}",
    Verify.Diagnostic("HMM003").WithLocation(0).WithMessage("Calling 'Metrics.Record' requires holding '_gate'; no lock is held"),
    Verify.Diagnostic("HMM003").WithLocation(1)
        .WithMessage("Calling 'Metrics.Record' requires holding 'other._gate'; '_gate' is held, which is the same lock on another instance"));
    }
}
