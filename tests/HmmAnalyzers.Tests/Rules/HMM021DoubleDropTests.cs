using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM021DoubleDropTests
    {
        [Fact]
        public Task SecondDropIsReported() => Verify.Analyzer(HMM020UseAfterDropTests.Mm + @"
class Code
{
    static void Bad(Hmm hmm, bool c)
    {
        if (c) { Mm.Drop(hmm.Mm); }
        {|#0:Mm.Drop(hmm.Mm)|};
    }
}", Verify.Diagnostic("HMM021").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'hmm.Mm' is dropped again; it was already dropped at line 17"));

        [Fact]
        public Task TwoReferencesOnDifferentPathsAreNotADoubleDrop() => Verify.Analyzer(HMM020UseAfterDropTests.Mm + @"
class Notifier { public Mm? Registered; }
class Code
{
    static void Free(Hmm hmm, Notifier n)
    {
        if (n.Registered is { } r) { Mm.Drop(r); }
        Mm.Drop(hmm.Mm);
    }
    static void Again(Hmm hmm) { Mm.Drop(hmm.Mm); hmm.Mm = new Mm(); Mm.Drop(hmm.Mm); }
}");
    }
}
