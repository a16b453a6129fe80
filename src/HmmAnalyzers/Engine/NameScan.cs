using System;
using System.Collections.Generic;
using HmmAnalyzers.Model;
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

        /// <summary>
        /// The identifiers the text may write or change the object of: assigned or incremented (themselves, an element or
        /// indexer of theirs, a member of theirs), a mutating framework collection or builder method called on them, written
        /// after <c>ref</c>, <c>out</c> or a prefix <c>++</c>/<c>--</c>, with closing parentheses in between or not. When a
        /// closing parenthesis is assigned or incremented (a deconstruction), every identifier counts (<see cref="WritesAll"/>).
        /// </summary>
        public HashSet<string> Written { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// The identifiers a member of which the text uses, where that member is not one that changes a framework collection
        /// or builder: such a use writes only when the member carries <c>[Mutates]</c>.
        /// </summary>
        public HashSet<string> Accessed { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether a <c>lock</c> keyword appears.</summary>
        public bool TakesLock { get; private set; }

        /// <summary>Whether a parenthesized target is assigned (<c>(a, b) = t</c>): any identifier may be written.</summary>
        public bool WritesAll { get; private set; }

        /// <summary>Reads a stretch of text; the result is the thread's one scan, valid until its next call.</summary>
        public static NameScan Read(SourceText text, TextSpan span)
        {
            var buffer = _buffer is { } existing && existing.Length >= span.Length ? existing : _buffer = new char[Math.Max(span.Length, 4096)];
            text.CopyTo(span.Start, buffer, 0, span.Length);
            var scan = _scan ??= new NameScan();
            scan.References.Clear();
            scan.Written.Clear();
            scan.Accessed.Clear();
            scan.TakesLock = false;
            scan.WritesAll = false;
            scan.Lex(buffer, span.Length, _names ??= new NameTable());
            return scan;
        }

        private void Lex(char[] chars, int length, NameTable names)
        {
            // The last character before the current one that is not white space (a comment's last counts, which is harmless).
            var last = '\0';

            // After ref, out or a prefix ++/--: the identifiers of the expression that follows are written.
            var writing = false;
            for (var i = 0; i < length;)
            {
                var c = chars[i];
                if (c == '/' && i + 1 < length && chars[i + 1] is '/' or '*')
                {
                    i = SkipComment(chars, i, length);
                }
                else if (IsIdentifierStart(c))
                {
                    i = ReadIdentifier(chars, i, length, names, ref writing);
                }
                else
                {
                    i = ReadOther(chars, i, length, last, ref writing);
                }

                if (i > 0 && i <= length && !char.IsWhiteSpace(chars[i - 1]))
                {
                    last = chars[i - 1];
                }
            }
        }

        private static int SkipComment(char[] chars, int i, int length)
        {
            if (chars[i + 1] == '/')
            {
                while (i < length && chars[i] != '\n')
                {
                    i++;
                }

                return i;
            }

            i += 2;
            while (i < length && !(chars[i] == '*' && i + 1 < length && chars[i + 1] == '/'))
            {
                i++;
            }

            return i + 2;
        }

        private int ReadIdentifier(char[] chars, int i, int length, NameTable names, ref bool writing)
        {
            var start = i;
            i = IdentifierEnd(chars, i, length);
            var name = names.Get(chars, start, i - start);
            Identifier(name);
            if (name == "new")
            {
                Creation(chars, i, length);
            }

            switch (writing ? Use.Written : UseAfter(chars, i, length, names))
            {
                case Use.Written:
                    Written.Add(name);
                    break;
                case Use.Accessed:
                    Accessed.Add(name);
                    break;
            }

            writing |= name is "ref" or "out";
            return i;
        }

        /// <summary>A character that starts no identifier and no comment; returns where the next token starts.</summary>
        private int ReadOther(char[] chars, int i, int length, char last, ref bool writing)
        {
            var c = chars[i];
            if (!char.IsWhiteSpace(c) && c != '.')
            {
                // A prefix ++ or -- writes what follows it; any other character ends what ref, out or ++ applied to.
                writing = IsIncrement(chars, i, length) && !(IsIdentifierPart(last) || last is ')' or ']');
                if (writing)
                {
                    return i + 2;
                }
            }

            if (c == ')' && IsWrite(chars, SkipWhiteSpace(chars, i + 1, length), length))
            {
                WritesAll = true;
            }

            // An element access (x[i], f()[i], x?[i]): an indexer may run. An attribute list or an array type ([], [,]) is none.
            if (c == '[' && (IsIdentifierPart(last) || last is ')' or ']' or '?') && SkipWhiteSpace(chars, i + 1, length) is var next &&
                next < length && chars[next] is not (']' or ','))
            {
                References.Add("this[]");
            }

            return i + 1;
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

        private enum Use
        {
            Read,
            Written,
            Accessed,
        }

        /// <summary>What the text after an identifier (ending before <paramref name="i"/>) may do with it or its object.</summary>
        private static Use UseAfter(char[] chars, int i, int length, NameTable names)
        {
            i = SkipWhiteSpace(chars, i, length);
            while (i < length && chars[i] == ')')
            {
                i = SkipWhiteSpace(chars, i + 1, length);
            }

            if (i >= length)
            {
                return Use.Read;
            }

            if (IsWrite(chars, i, length))
            {
                return Use.Written;
            }

            var c = chars[i];
            var next = i + 1 < length ? chars[i + 1] : '\0';

            if (c == '[' || (c is '!' or '?') && next == '[')
            {
                // An element or indexer assigned (_map[k] = v, _slots[i]++).
                var end = ClosingBracket(chars, c == '[' ? i : i + 1, length);
                return end < length && IsWrite(chars, SkipWhiteSpace(chars, end + 1, length), length) ? Use.Written : Use.Read;
            }

            if (c == '.' || (c is '!' or '?') && next == '.')
            {
                // A mutating method called on it (_list.Add), or a member of it assigned (_point.X = 1).
                var start = SkipWhiteSpace(chars, c == '.' ? i + 1 : i + 2, length);
                var end = IdentifierEnd(chars, start, length);
                return end > start && (Mutations.MayMutateByName(names.Get(chars, start, end - start)) || IsWrite(chars, SkipWhiteSpace(chars, end, length), length))
                    ? Use.Written
                    : Use.Accessed;
            }

            return Use.Read;
        }

        /// <summary>Whether an assignment or an increment or decrement starts at <paramref name="i"/>.</summary>
        private static bool IsWrite(char[] chars, int i, int length) => IsIncrement(chars, i, length) || IsAssignment(chars, i, length);

        private static bool IsIncrement(char[] chars, int i, int length) => i + 1 < length && chars[i] is '+' or '-' && chars[i + 1] == chars[i];

        private static int IdentifierEnd(char[] chars, int i, int length)
        {
            while (i < length && IsIdentifierPart(chars[i]))
            {
                i++;
            }

            return i;
        }

        /// <summary>The index of the bracket that closes the one at <paramref name="i"/>, or <paramref name="length"/>.</summary>
        private static int ClosingBracket(char[] chars, int i, int length)
        {
            for (var depth = 0; i < length; i++)
            {
                depth += chars[i] == '[' ? 1 : chars[i] == ']' ? -1 : 0;
                if (depth == 0)
                {
                    return i;
                }
            }

            return length;
        }

        /// <summary>Whether an assignment operator (<c>=</c>, a compound one, <c>??=</c>) starts at <paramref name="i"/>.</summary>
        private static bool IsAssignment(char[] chars, int i, int length)
        {
            if (i >= length)
            {
                return false;
            }

            // Up to three operator characters (>>>=, ??=, <<=) before the '='; '==', '=>', '<=', '>=', '!=' are no assignment.
            var start = i;
            while (i < length && i - start < 3 && chars[i] is '+' or '-' or '*' or '/' or '%' or '&' or '|' or '^' or '<' or '>' or '?')
            {
                i++;
            }

            if (i >= length || chars[i] != '=' || (i + 1 < length && chars[i + 1] is '=' or '>'))
            {
                return false;
            }

            var op = i - start;
            return op == 0 || (op == 1 && chars[start] is not ('<' or '>')) || (op == 2 && chars[start] == chars[start + 1] && chars[start] is '<' or '>' or '?') ||
                   (op == 3 && chars[start] == '>' && chars[start + 1] == '>' && chars[start + 2] == '>');
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
