using System.Threading.Tasks;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM092NotALockTests
    {
        [Fact]
        public Task ValueTypeGuardIsNotALock() => Verify.Analyzer(@"
class Box
{
    private readonly int _count;
    [GuardedBy({|#0:""_count""|})] private int _n;
}", Verify.Diagnostic("HMM092").WithLocation(0).WithMessage("'Box._n' is guarded by '_count', a int, which is not a lock"));

        [Fact]
        public Task MutableLockFieldIsReported() => Verify.Analyzer(@"
class Box
{
    private object _gate = new object();
    [GuardedBy({|#0:""_gate""|})] private int _n;
}", Verify.Diagnostic("HMM092").WithLocation(0).WithMessage("'Box._gate' guards 'Box._n' but is not readonly; if it is reassigned, threads lock different objects"));

        [Fact]
        public Task SpinLockMustNotBeReadonly() => Verify.Analyzer(@"
class Box
{
    private SpinLock _spin = new SpinLock(false);
    private readonly SpinLock _frozen = new SpinLock(false);
    [GuardedBy(""_spin"")] private int _a;
    [GuardedBy({|HMM092:""_frozen""|})] private int _b;
    private readonly Lock _lock = new Lock();
    [GuardedBy(""_lock"")] private int _c;
}");
    }
}
