using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// The names a stretch of C# source writes, read from its text by a small lexer: identifiers (keywords among them,
    /// which name no member), with comments skipped. It errs towards more names: string contents are read as if they were
    /// code (an interpolation's holes are code), and a few shapes that call a member without naming it add that member's
    /// name (see <see cref="MemberEntry.References"/>).
    /// </summary>
    internal sealed class NameScan
    {
        private static readonly string[] QueryMethods =
            { "Select", "SelectMany", "Where", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "GroupBy", "GroupJoin", "Join", "Cast" };

        /// <summary>The text being read, kept per thread.</summary>
        [ThreadStatic]
        private static char[]? _buffer;

        /// <summary>The identifiers met so far, one string each, kept per thread.</summary>
        [ThreadStatic]
        private static NameTable? _names;

        /// <summary>The scan itself, reused by the thread for every member it reads (its set keeps its capacity).</summary>
        [ThreadStatic]
        private static NameScan? _scan;

        private NameScan()
        {
        }

        public HashSet<string> References { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether a <c>lock</c> keyword appears.</summary>
        public bool TakesLock { get; private set; }

        /// <summary>Reads a stretch of text; the result is the thread's one scan, valid until its next call.</summary>
        public static NameScan Read(SourceText text, TextSpan span)
        {
            var buffer = _buffer is { } existing && existing.Length >= span.Length ? existing : _buffer = new char[Math.Max(span.Length, 4096)];
            text.CopyTo(span.Start, buffer, 0, span.Length);
            var scan = _scan ??= new NameScan();
            scan.References.Clear();
            scan.TakesLock = false;
            scan.Lex(buffer, span.Length, _names ??= new NameTable());
            return scan;
        }

        private void Lex(char[] chars, int length, NameTable names)
        {
            // The last character before the current one that is not white space (a comment's last counts, which is harmless).
            var last = '\0';
            for (var i = 0; i < length;)
            {
                var c = chars[i];
                if (c == '/' && i + 1 < length && chars[i + 1] == '/')
                {
                    while (i < length && chars[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c == '/' && i + 1 < length && chars[i + 1] == '*')
                {
                    i += 2;
                    while (i < length && !(chars[i] == '*' && i + 1 < length && chars[i + 1] == '/'))
                    {
                        i++;
                    }

                    i += 2;
                }
                else if (IsIdentifierStart(c))
                {
                    var start = i;
                    while (i < length && IsIdentifierPart(chars[i]))
                    {
                        i++;
                    }

                    var name = names.Get(chars, start, i - start);
                    Identifier(name);
                    if (name == "new")
                    {
                        Creation(chars, i, length);
                    }
                }
                else
                {
                    // An element access (x[i], f()[i], x?[i]): an indexer may run. An attribute list or an array type ([], [,]) is none.
                    if (c == '[' && (IsIdentifierPart(last) || last is ')' or ']' or '?') && SkipWhiteSpace(chars, i + 1, length) is var next &&
                        next < length && chars[next] is not (']' or ','))
                    {
                        References.Add("this[]");
                    }

                    i++;
                }

                if (i > 0 && i <= length && !char.IsWhiteSpace(chars[i - 1]))
                {
                    last = chars[i - 1];
                }
            }
        }

        private void Identifier(string name)
        {
            References.Add(name);
            switch (name)
            {
                case "lock":
                    TakesLock = true;
                    break;
                case "select" or "group":
                    References.UnionWith(QueryMethods);
                    break;
            }
        }

        /// <summary>
        /// What follows <c>new</c>: a parenthesis at once is a target-typed creation (<c>new()</c>, a constructor it does not
        /// name); a brace after the type and arguments is an initializer, which may call <c>Add</c>.
        /// </summary>
        private void Creation(char[] chars, int i, int length)
        {
            i = SkipWhiteSpace(chars, i, length);
            if (i < length && chars[i] == '(')
            {
                References.Add("new()");
            }

            for (var depth = 0; i < length; i++)
            {
                var c = chars[i];
                if (c == '(')
                {
                    depth++;
                }
                else if (c == ')')
                {
                    depth--;
                }
                else if (depth == 0 && c == '{')
                {
                    References.Add("Add");
                    return;
                }
                else if (depth == 0 && !(IsIdentifierPart(c) || char.IsWhiteSpace(c) || c is '.' or '<' or '>' or ',' or '?' or '[' or ']' or ':'))
                {
                    return;
                }
            }
        }

        private static int SkipWhiteSpace(char[] chars, int i, int length)
        {
            while (i < length && char.IsWhiteSpace(chars[i]))
            {
                i++;
            }

            return i;
        }

        private static bool IsIdentifierStart(char c)
            => c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' : char.IsLetter(c);

        private static bool IsIdentifierPart(char c)
            => c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' : char.IsLetterOrDigit(c);

        /// <summary>Identifiers read from a buffer, each turned into a string once (open addressing on the characters).</summary>
        private sealed class NameTable
        {
            private const int Limit = 1 << 18;

            private string?[] _slots = new string?[1 << 12];
            private int _count;

            public string Get(char[] chars, int start, int length)
            {
                var mask = _slots.Length - 1;
                for (var slot = (int)(Hash(chars, start, length) & mask); ; slot = (slot + 1) & mask)
                {
                    var existing = _slots[slot];
                    if (existing is null)
                    {
                        var name = new string(chars, start, length);
                        _slots[slot] = name;
                        if (++_count * 2 > _slots.Length)
                        {
                            Grow();
                        }

                        return name;
                    }

                    if (Same(existing, chars, start, length))
                    {
                        return existing;
                    }
                }
            }

            private void Grow()
            {
                var old = _slots;
                _slots = new string?[old.Length >= Limit ? old.Length : old.Length * 2];
                _count = 0;
                if (old.Length >= Limit)
                {
                    // Past the limit the table starts afresh rather than growing without end.
                    return;
                }

                var mask = _slots.Length - 1;
                foreach (var name in old)
                {
                    if (name is not null)
                    {
                        var slot = (int)(Hash(name) & mask);
                        while (_slots[slot] is not null)
                        {
                            slot = (slot + 1) & mask;
                        }

                        _slots[slot] = name;
                        _count++;
                    }
                }
            }

            private static uint Hash(char[] chars, int start, int length)
            {
                var hash = 2166136261u;
                for (var i = start; i < start + length; i++)
                {
                    hash = (hash ^ chars[i]) * 16777619u;
                }

                return hash;
            }

            private static uint Hash(string name)
            {
                var hash = 2166136261u;
                foreach (var c in name)
                {
                    hash = (hash ^ c) * 16777619u;
                }

                return hash;
            }

            private static bool Same(string name, char[] chars, int start, int length)
            {
                if (name.Length != length)
                {
                    return false;
                }

                for (var i = 0; i < length; i++)
                {
                    if (name[i] != chars[start + i])
                    {
                        return false;
                    }
                }

                return true;
            }
        }
    }
}
