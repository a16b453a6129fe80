using System.Collections.Generic;
using System.Text;

namespace HmmAnalyzers.Benchmarks
{
    /// <summary>Generates a deterministic, lock-heavy C# corpus: annotated classes, guarded fields, nested locks,
    /// try/finally, loops, try-locks, user lock types, reader/writer locks, async methods and lambdas.</summary>
    internal static class CorpusGenerator
    {
        public const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing HmmAnalyzers.Annotations;\n";

        /// <summary>
        /// Source files that add up to about <paramref name="lines"/> lines, about 1,000 lines a file; one class in
        /// <paramref name="lockEvery"/> is lock-heavy, the others are plain code.
        /// </summary>
        public static List<string> Generate(int lines, int lockEvery = 1)
        {
            var files = new List<string>();
            var file = new StringBuilder(Usings);
            var fileLines = 5;
            var total = 0;
            for (var i = 0; total < lines; i++)
            {
                var unit = i % lockEvery == 0 ? Unit(i, withBugs: (i / lockEvery) % 10 == 0) : PlainUnit(i);
                var unitLines = CountLines(unit);
                file.Append(unit);
                fileLines += unitLines;
                total += unitLines;
                if (fileLines >= 1000)
                {
                    files.Add(file.ToString());
                    file = new StringBuilder(Usings);
                    fileLines = 5;
                }
            }

            if (fileLines > 5)
            {
                files.Add(file.ToString());
            }

            return files;
        }

        public static int CountLines(string text)
        {
            var count = 0;
            foreach (var c in text)
            {
                if (c == '\n')
                {
                    count++;
                }
            }

            return count;
        }

        private static string Unit(int i, bool withBugs) => $@"
namespace Corpus{i / 50}
{{
    [LockType(Spinning = true)]
    public sealed class Spin{i}
    {{
        [Acquires]
        public void Lock() {{ }}

        [Releases]
        public void Unlock() {{ }}
    }}

    public sealed class Account{i}
    {{
        private readonly object _gate = new object();
        private readonly object _log = new object();
        private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
        private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
        private readonly Spin{i} _spin = new Spin{i}();

        [GuardedBy(nameof(_gate))]
        private int _balance;

        [GuardedBy(nameof(_rw))]
        private readonly Dictionary<int, int> _ledger = new Dictionary<int, int>();

        [GuardedBy(nameof(_sem))]
        private int _pending;

        [GuardedBy(nameof(_spin))]
        private long _stats;

        public void Deposit(int amount)
        {{
            lock (_gate)
            {{
                _balance += amount;
            }}
        }}

        public bool TryWithdraw(int amount)
        {{
            if (!Monitor.TryEnter(_gate, 10))
            {{
                return false;
            }}

            try
            {{
                if (_balance < amount)
                {{
                    return false;
                }}

                _balance -= amount;
                return true;
            }}
            finally
            {{
                Monitor.Exit(_gate);
            }}
        }}

        public int Sum(int n)
        {{
            var total = 0;
            for (var k = 0; k < n; k++)
            {{
                lock (_gate)
                {{
                    if (k % 3 == 0)
                    {{
                        continue;
                    }}

                    total += _balance;
                    if (total > 1000)
                    {{
                        break;
                    }}
                }}
            }}

            return total;
        }}

        public int Lookup(int key)
        {{
            _rw.EnterReadLock();
            try
            {{
                return _ledger.TryGetValue(key, out var value) ? value : -1;
            }}
            finally
            {{
                _rw.ExitReadLock();
            }}
        }}

        public void Record(int key, int value)
        {{
            _rw.EnterUpgradeableReadLock();
            try
            {{
                if (!_ledger.ContainsKey(key))
                {{
                    _rw.EnterWriteLock();
                    try
                    {{
                        _ledger[key] = value;
                    }}
                    finally
                    {{
                        _rw.ExitWriteLock();
                    }}
                }}
            }}
            finally
            {{
                _rw.ExitUpgradeableReadLock();
            }}
        }}

        public async Task QueueAsync()
        {{
            await _sem.WaitAsync();
            try
            {{
                _pending++;
                await Task.Yield();
            }}
            finally
            {{
                _sem.Release();
            }}
        }}

        public void Tick()
        {{
            _spin.Lock();
            _stats++;
            _spin.Unlock();
        }}

        [RequiresExclusive(nameof(_gate))]
        private void Audit()
        {{
            Lockdep.AssertHeld(_gate);
            _balance = Math.Max(0, _balance);
        }}

        public bool AnyAbove(List<int> values)
        {{
            lock (_gate)
            {{
                return values.Exists(v => v > _balance);
            }}
        }}

        public Task AuditLaterAsync() => Task.Run(() =>
        {{
            lock (_gate)
            {{
                Audit();
            }}
        }});

        public void Close()
        {{
            lock (_gate)
            {{
                Audit();
                lock (_log)
                {{
                    Console.WriteLine(_balance);
                }}
            }}
        }}

        public int Switch(int k)
        {{
            lock (_gate)
            {{
                switch (k % 4)
                {{
                    case 0:
                        return _balance;
                    case 1:
                        _balance++;
                        break;
                    case 2:
                        _balance--;
                        break;
                    default:
                        break;
                }}
            }}

            return 0;
        }}

        public void Leaky(bool fail)
        {{
            Monitor.Enter(_gate);
            if (fail)
            {{
                {(withBugs ? "return;" : "Monitor.Exit(_gate);\n                return;")}
            }}

            Monitor.Exit(_gate);
        }}

        public int Peek() => {(withBugs ? "_balance" : "0")};
    }}
}}
";

        private static string PlainUnit(int i) => $@"
namespace Plain{i / 50}
{{
    public sealed class Order{i}
    {{
        private readonly List<int> _lines = new List<int>();
        private string _customer = ""c{i}"";

        public int Total()
        {{
            var total = 0;
            foreach (var line in _lines)
            {{
                if (line < 0)
                {{
                    continue;
                }}

                total += line;
            }}

            return total;
        }}

        public void Add(int price, int quantity)
        {{
            for (var k = 0; k < quantity; k++)
            {{
                _lines.Add(price);
            }}
        }}

        public string Describe(bool verbose)
        {{
            if (verbose)
            {{
                return _customer + "": "" + string.Join("", "", _lines);
            }}

            return _customer;
        }}

        public void Rename(string name)
        {{
            _customer = string.IsNullOrEmpty(name) ? throw new ArgumentException(nameof(name)) : name;
        }}

        public int Classify()
        {{
            switch (_lines.Count)
            {{
                case 0:
                    return 0;
                case 1:
                    return 1;
                default:
                    return _lines.Count > 10 ? 3 : 2;
            }}
        }}

        public async Task<int> LoadAsync()
        {{
            await Task.Yield();
            try
            {{
                return Total();
            }}
            catch (InvalidOperationException)
            {{
                return -1;
            }}
        }}
    }}
}}
";

        /// <summary>
        /// One method with <paramref name="count"/> branches, each taking a lock: with <c>lock</c> statements, or with
        /// explicit Monitor.Enter/Exit calls, which need the full dataflow over the control flow graph.
        /// </summary>
        public static string Branches(int count, bool explicitCalls = false)
        {
            var body = new StringBuilder();
            for (var k = 0; k < count; k++)
            {
                body.Append(explicitCalls
                    ? $"        if (x == {k}) {{ Monitor.Enter(_gate); _n += {k}; Monitor.Exit(_gate); }}\n"
                    : $"        if (x == {k}) {{ lock (_gate) {{ _n += {k}; }} }}\n");
            }

            return Wrap("public void Run(int x)\n    {\n" + body + "    }", locks: 1);
        }

        /// <summary>One method with <paramref name="depth"/> nested lock statements.</summary>
        public static string NestedLocks(int depth)
        {
            var open = new StringBuilder();
            var close = new StringBuilder();
            for (var k = 0; k < depth; k++)
            {
                open.Append($"lock (_l{k}) {{ ");
                close.Append("} ");
            }

            return Wrap($"public void Run()\n    {{\n        {open}lock (_gate) {{ _n++; }} {close}\n    }}", locks: depth);
        }

        /// <summary>One method with a switch of <paramref name="cases"/> cases inside a lock (a lock statement, or Enter/try/finally/Exit).</summary>
        public static string Switch(int cases, bool explicitCalls = false)
        {
            var body = new StringBuilder();
            for (var k = 0; k < cases; k++)
            {
                body.Append($"            case {k}: _n += {k}; break;\n");
            }

            return explicitCalls
                ? Wrap("public void Run(int x)\n    {\n        Monitor.Enter(_gate);\n        try\n        {\n        switch (x)\n        {\n" + body + "        }\n        }\n        finally\n        {\n            Monitor.Exit(_gate);\n        }\n    }", locks: 1)
                : Wrap("public void Run(int x)\n    {\n        lock (_gate)\n        {\n        switch (x)\n        {\n" + body + "        }\n        }\n    }", locks: 1);
        }

        /// <summary>One method with an if chain <paramref name="depth"/> deep inside a loop.</summary>
        public static string DeepIfInLoop(int depth)
        {
            var open = new StringBuilder();
            var close = new StringBuilder();
            for (var k = 0; k < depth; k++)
            {
                open.Append($"if (x > {k}) {{ lock (_gate) {{ _n++; }} ");
                close.Append("} ");
            }

            return Wrap($"public void Run(int x)\n    {{\n        for (var i = 0; i < x; i++)\n        {{\n            {open}{close}\n        }}\n    }}", locks: 1);
        }

        private static string Wrap(string method, int locks)
        {
            var fields = new StringBuilder();
            for (var k = 0; k < locks; k++)
            {
                fields.Append($"    private readonly object _l{k} = new object();\n");
            }

            return Usings + $@"
public sealed class Pathological
{{
    private readonly object _gate = new object();
{fields}
    [GuardedBy(nameof(_gate))]
    private int _n;

    {method}
}}
";
        }
    }
}
