using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM022DropBeforeGracePeriodTests
    {
        private const string Model = @"
class Mm { public static void Drop([Drops] Mm mm) { } }
class Head { }
class Hmm { [GracePeriodProtected] public Mm Mm = new Mm(); public Mm Other = new Mm(); public readonly Head Rcu = new Head(); }
static class Srcu { public static void CallSrcu([DeferredFree] Head head, Action<Head> callback) { } }
";

        [Fact]
        public Task DropBeforeDeferredFreeIsReportedAtTheDrop() => Verify.Analyzer(Model + @"
class Code
{
    static void Free(Hmm hmm)
    {
        {|#0:Mm.Drop(hmm.Mm)|};
        Srcu.CallSrcu(hmm.Rcu, h => { });
    }
}", Verify.Diagnostic("HMM022").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithMessage("'hmm.Mm' is dropped before the grace period of 'hmm' ends at line 13; readers may still use it, so drop it in the deferred free"));

        [Fact]
        public Task DropInTheCallbackOrOfUnprotectedReferenceIsClean() => Verify.Analyzer(Model + @"
class Code
{
    static void Free(Hmm hmm) { Mm.Drop(hmm.Other); Srcu.CallSrcu(hmm.Rcu, FreeRcu); }
    [AtomicContext] static void FreeRcu(Head head) { }
    static void Later(Hmm hmm) { Srcu.CallSrcu(hmm.Rcu, h => Mm.Drop(hmm.Mm)); }
}");
    }
}
