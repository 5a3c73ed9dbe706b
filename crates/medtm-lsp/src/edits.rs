//! Changes the server proposes: formatting (the same formatter as `medtm fmt`), the quick fixes
//! the checker attached to its "did you mean" diagnostics, and renames.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, WorkspaceEdit};
use medtm_syntax::Span;

use crate::document::Analysed;

/// The edit that formats the whole document, none when it is already formatted, or the reason
/// it cannot be formatted (its first syntax error).
pub fn format(analysed: &Analysed) -> Result<Vec<TextEdit>, String> {
    match medtm_syntax::format::format(&analysed.text) {
        Ok(formatted) if formatted == *analysed.text => Ok(Vec::new()),
        Ok(formatted) => {
            Ok(vec![TextEdit { range: analysed.range(Span::new(0, analysed.text.len())), new_text: formatted }])
        }
        Err(errors) => {
            let first = errors.first().map_or_else(String::new, |error| {
                let line = analysed.range(error.span).start.line + 1;
                format!(": line {line}: {}", error.message)
            });
            Err(format!("the model cannot be formatted until its syntax errors are fixed{first}"))
        }
    }
}

/// The quick fixes of the diagnostics that touch `span`.
pub fn quick_fixes(analysed: &Analysed, span: Span) -> Vec<CodeActionOrCommand> {
    analysed
        .checked
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.span.start <= span.end && span.start <= diagnostic.span.end)
        .filter_map(|diagnostic| {
            let fix = diagnostic.fix.as_ref()?;
            let edit = TextEdit { range: analysed.range(fix.span), new_text: fix.replacement.clone() };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![crate::diagnostics::diagnostic(analysed, diagnostic)]),
                edit: Some(workspace_edit(analysed, vec![edit])),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// Edits of this document as a workspace edit.
pub fn workspace_edit(analysed: &Analysed, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit { changes: Some(HashMap::from([(analysed.uri.clone(), edits)])), ..WorkspaceEdit::default() }
}
