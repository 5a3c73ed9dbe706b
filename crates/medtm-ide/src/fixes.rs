//! Quick fixes: the "did you mean" replacements the checker attached to its diagnostics.

use medtm_syntax::Span;

use crate::Edit;
use crate::diagnostics::{self, Diagnostic};

/// One fix, for the diagnostic it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickFix {
    pub title: String,
    pub edit: Edit,
    pub diagnostic: Diagnostic,
}

/// The fixes of the diagnostics that touch `span`.
pub fn quick_fixes(found: &[medtm_syntax::Diagnostic], span: Span) -> Vec<QuickFix> {
    found
        .iter()
        .filter(|diagnostic| diagnostic.span.start <= span.end && span.start <= diagnostic.span.end)
        .filter_map(|diagnostic| {
            let fix = diagnostic.fix.as_ref()?;
            Some(QuickFix {
                title: fix.title.clone(),
                edit: Edit { span: fix.span, text: fix.replacement.clone() },
                diagnostic: diagnostics::convert(diagnostic),
            })
        })
        .collect()
}
