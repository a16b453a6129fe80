using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HmmAnalyzers.CodeFixes
{
    /// <summary>
    /// The batch Fix All, for a fix that offers one kind of action under one equivalence key. A caller that starts
    /// Fix All from a diagnostic the fix has nothing for (<c>dotnet format</c> starts from the first diagnostic of the
    /// id, and passes no key when that one has no action) still fixes every diagnostic the fix can, under the fix's own
    /// key, and leaves the others as they are.
    /// </summary>
    internal sealed class OwnKeyFixAllProvider : FixAllProvider
    {
        private readonly string _equivalenceKey;

        public OwnKeyFixAllProvider(string equivalenceKey) => _equivalenceKey = equivalenceKey;

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => WellKnownFixAllProviders.BatchFixer.GetSupportedFixAllScopes();

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            if (fixAllContext.CodeActionEquivalenceKey is null)
            {
                var (fix, scope, ids, token) = (fixAllContext.CodeFixProvider, fixAllContext.Scope, fixAllContext.DiagnosticIds, fixAllContext.CancellationToken);
                var provider = new Forwarding(fixAllContext);
                fixAllContext = fixAllContext.Document is { } document
                    ? new FixAllContext(document, fix, scope, _equivalenceKey, ids, provider, token)
                    : new FixAllContext(fixAllContext.Project, fix, scope, _equivalenceKey, ids, provider, token);
            }

            return WellKnownFixAllProviders.BatchFixer.GetFixAsync(fixAllContext);
        }

        /// <summary>The diagnostics of the original context.</summary>
        private sealed class Forwarding : FixAllContext.DiagnosticProvider
        {
            private readonly FixAllContext _context;

            public Forwarding(FixAllContext context) => _context = context;

            public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
                => await _context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);

            public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
                => await _context.GetProjectDiagnosticsAsync(project).ConfigureAwait(false);

            public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
                => await _context.GetAllDiagnosticsAsync(project).ConfigureAwait(false);
        }
    }
}
