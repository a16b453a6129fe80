using System.Collections.Generic;
using System.Linq;
using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace HmmAnalyzers.Engine
{
    /// <summary>
    /// Which of a function's <see cref="ThrowPoint"/>s leave a lock held: those that no enclosing construct of the
    /// function releases it on the way out. (A <c>lock</c> statement's own lock is never recorded: the statement
    /// releases it however its body is left.) A <c>try</c> protects what its block throws when its <c>finally</c> or
    /// one of its handlers releases the lock, or when a handler catches every exception and does not throw again (the
    /// normal path then releases it, which the rest of the analysis checks).
    /// Read from the facts both drivers record alike: the points, the releases and the syntax around them.
    /// </summary>
    internal static class ExceptionExits
    {
        /// <summary>Fills <see cref="MethodFacts.LeaksOnThrow"/>: for each acquisition, the first operation whose exception leaves it held.</summary>
        public static void Find(MethodFacts facts)
        {
            if (facts.ThrowPoints.Count == 0 || facts.Contract.ChangesLocks)
            {
                return;
            }

            // A lock already told as held at the end, at a join or around a loop is one bug with one report.
            var reported = new HashSet<LockPath>(facts.Exits.Select(e => e.Path).Concat(facts.Joins.Select(j => j.Path)).Concat(facts.Loops.Select(l => l.Path)));
            var done = new HashSet<(TextSpan, LockPath)>();
            foreach (var point in facts.ThrowPoints.OrderBy(p => p.Thrower.SpanStart))
            {
                var site = point.Held.Site.SourceSpan;
                if (reported.Contains(point.Path) || facts.Queried.Contains(point.Path) || done.Contains((site, point.Path)) || IsProtected(point, facts))
                {
                    continue;
                }

                done.Add((site, point.Path));
                facts.LeaksOnThrow.Add(new LeakOnThrow(point.Path, point.Held, point.Thrower, point.IsThrow));
            }
        }

        private static bool IsProtected(ThrowPoint point, MethodFacts facts)
        {
            var root = facts.Root.Syntax;
            SyntaxNode from = point.Thrower;
            for (var node = point.Thrower.Parent; node is not null && node != root; from = node, node = node.Parent)
            {
                switch (node)
                {
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                        return false;
                    case TryStatementSyntax tryStatement when from == tryStatement.Block:
                        if ((tryStatement.Finally is { } @finally && Releases(facts, point.Path, @finally.Block.Span)) ||
                            tryStatement.Catches.Any(c => Releases(facts, point.Path, c.Block.Span) || CatchesEverything(c)))
                        {
                            return true;
                        }

                        break;
                }
            }

            return false;
        }

        private static bool Releases(MethodFacts facts, LockPath path, TextSpan region)
            => facts.Releases.Any(r => region.Contains(r.Site.SourceSpan) && r.Path.Equals(path));

        /// <summary>A handler of every exception (no type, <c>Exception</c>) with no filter, that does not throw again.</summary>
        private static bool CatchesEverything(CatchClauseSyntax handler)
            => handler.Filter is null &&
                (handler.Declaration is null || handler.Declaration.Type.ToString() is "Exception" or "System.Exception" or "global::System.Exception") &&
                !handler.Block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                    .Any(n => n is ThrowStatementSyntax or ThrowExpressionSyntax);
    }
}
