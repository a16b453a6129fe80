using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HmmAnalyzers.Tests.Rules
{
    public class HMM020UseAfterDropTests
    {
        internal const string Mm = @"
class Lk { }
class Mm
{
    public readonly Lk PageTableLock = new Lk();
    public int Users;
    public static void Grab(Mm mm) { }
    public static void Drop([Drops] Mm mm) { }
}
class Hmm { public Mm Mm = new Mm(); }
";

        [Fact]
        public Task UseThroughAFieldPathAfterDrop() => Verify.Analyzer(Mm + @"
class Code
{
    static void Bad(Hmm hmm)
    {
        Mm.Drop(hmm.Mm);
        {|#0:hmm.Mm|}.Users++;
    }
}", Verify.Diagnostic("HMM020").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage("'hmm.Mm' is used after it was dropped at line 17"));

        [Fact]
        public Task UseThroughALocalAliasAndOnSomePaths() => Verify.Analyzer(Mm + @"
class Code
{
    static void Alias(Hmm hmm) { var mm = hmm.Mm; Mm.Drop(mm); var lk = {|HMM020:hmm.Mm|}.PageTableLock; }
    static void Branch(Mm mm, bool c) { if (c) { Mm.Drop(mm); } {|HMM020:mm|}.Users = 1; }
}");

        [Fact]
        public Task UseThroughALocalAssignedFromACoalesceThatThrows() => Verify.Analyzer(Mm + @"
class Code
{
    static void OrThrow(Hmm hmm) { var mm = hmm.Mm ?? throw new InvalidOperationException(); Mm.Drop(mm); {|HMM020:hmm.Mm|}.Users++; }
    static void InLoop(Hmm hmm) { var mm = hmm.Mm ?? throw new InvalidOperationException(); Mm.Drop(mm); for (var i = 0; i < 2; i++) { } {|HMM020:hmm.Mm|}.Users++; }
}");

        [Fact]
        public Task NoNoise() => Verify.Analyzer(Mm + @"
class Code
{
    static void LastUse(Hmm hmm) { hmm.Mm.Users++; Mm.Drop(hmm.Mm); }
    static void Reassigned(Hmm hmm) { Mm.Drop(hmm.Mm); hmm.Mm = new Mm(); hmm.Mm.Users++; }
    static void Other(Mm a, Mm b) { Mm.Drop(a); b.Users++; }
    static void Prefix(Hmm hmm) { Mm.Drop(hmm.Mm); System.Console.WriteLine(hmm); }
}");
    }
}
