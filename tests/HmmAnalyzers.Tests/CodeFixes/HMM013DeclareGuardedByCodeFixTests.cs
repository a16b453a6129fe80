using System.Threading;
using System.Threading.Tasks;
using HmmAnalyzers.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HmmAnalyzers.Tests.CodeFixes
{
    public class HMM013DeclareGuardedByCodeFixTests
    {
        [Fact]
        public Task TheInferredGuardIsDeclaredAndHMM001TakesOver() => Verify.CodeFixWithConfig<HMM013DeclareGuardedByCodeFix>(Verify.EveryInferredRead, @"
class Counter
{
    private readonly object _gate = new object();

    // The number of adds.
    private int _count;
    public int Total { get; set; }

    public void Add() { lock (_gate) { _count++; Total++; } }
    public void Reset() { lock (_gate) { _count = 0; Total = 0; } }
    public int Get() { lock (_gate) { return _count; } }
    public int Get2() { lock (_gate) { return _count; } }
    public int Peek() => {|HMM013:_count|} + {|HMM013:Total|};
    public int Peek2() => {|HMM013:_count|};
}", @"
class Counter
{
    private readonly object _gate = new object();

    // The number of adds.
    [GuardedBy(nameof(_gate))]
    private int _count;
    [GuardedBy(nameof(_gate))]
    public int Total { get; set; }

    public void Add() { lock (_gate) { _count++; Total++; } }
    public void Reset() { lock (_gate) { _count = 0; Total = 0; } }
    public int Get() { lock (_gate) { return _count; } }
    public int Get2() { lock (_gate) { return _count; } }
    public int Peek() => {|HMM001:_count|} + {|HMM001:Total|};
    public int Peek2() => {|HMM001:_count|};
}");

        [Fact]
        public Task AStaticFieldGetsItsStaticLock() => Verify.CodeFixWithConfig<HMM013DeclareGuardedByCodeFix>(Verify.EveryInferredRead, @"
static class Registry
{
    private static readonly object Gate = new object();
    private static int s_count;
    public static void Add() { lock (Gate) { s_count++; } }
    public static void Sub() { lock (Gate) { s_count--; } }
    public static int Peek() => {|HMM013:s_count|};
}", @"
static class Registry
{
    private static readonly object Gate = new object();
    [GuardedBy(nameof(Gate))]
    private static int s_count;
    public static void Add() { lock (Gate) { s_count++; } }
    public static void Sub() { lock (Gate) { s_count--; } }
    public static int Peek() => {|HMM001:s_count|};
}");

        [Fact]
        public Task AFieldDeclaredWithOthersIsNotSplit()
        {
            var source = Verify.Usings + @"
class Counter
{
    private readonly object _gate = new object();
    private int _count, _other;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
    public int Peek() => {|HMM013:_count|} + _other;
}";
            var test = new CSharpCodeFixTest<HmmLockAnalyzer, HMM013DeclareGuardedByCodeFix, DefaultVerifier>
            {
                TestCode = source,
                FixedCode = source,
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            };
            test.TestState.AdditionalReferences.AddRange(Verify.References);
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", Verify.EveryInferredRead));
            return test.RunAsync(CancellationToken.None);
        }

        [Fact]
        public Task TheDeclarationInAnotherFileOfAPartialTypeIsAnnotated()
        {
            var test = new CSharpCodeFixTest<HmmLockAnalyzer, HMM013DeclareGuardedByCodeFix, DefaultVerifier>
            {
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            };
            test.TestState.Sources.Add(("/Counter.cs", Verify.Usings + @"
partial class Counter
{
    private readonly object _gate = new object();
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
    public int Get() { lock (_gate) { return _count; } }
    public int Get2() { lock (_gate) { return _count; } }
}"));
            test.TestState.Sources.Add(("/Counter.Peek.cs", @"
partial class Counter
{
    public int Peek() => {|HMM013:_count|};
    public int Peek2() => {|HMM013:_count|};
}"));
            test.FixedState.Sources.Add(("/Counter.cs", Verify.Usings + @"
partial class Counter
{
    private readonly object _gate = new object();
    [GuardedBy(nameof(_gate))]
    private int _count;
    public void Add() { lock (_gate) { _count++; } }
    public void Sub() { lock (_gate) { _count--; } }
    public int Get() { lock (_gate) { return _count; } }
    public int Get2() { lock (_gate) { return _count; } }
}"));
            test.FixedState.Sources.Add(("/Counter.Peek.cs", @"
partial class Counter
{
    public int Peek() => {|HMM001:_count|};
    public int Peek2() => {|HMM001:_count|};
}"));
            test.TestState.AdditionalReferences.AddRange(Verify.References);
            test.FixedState.AdditionalReferences.AddRange(Verify.References);
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", Verify.EveryInferredRead));
            test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", Verify.EveryInferredRead));
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            return test.RunAsync(CancellationToken.None);
        }
    }
}
