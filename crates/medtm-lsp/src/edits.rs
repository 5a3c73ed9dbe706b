//! Changes the server proposes, as LSP edits: formatting, quick fixes and renames.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, WorkspaceEdit};
use medtm_ide::{Edit, Span};

use crate::document::Analysed;

/// The edit that formats the whole document, none when it is already formatted, or the reason
/// it cannot be formatted.
pub fn format(analysed: &Analysed) -> Result<Vec<TextEdit>, String> {
    let text = analysed.analysis.text();
    let formatted = analysed.analysis.format()?;
    if formatted == text {
        return Ok(Vec::new());
    }
    Ok(vec![text_edit(analysed, &Edit { span: Span::new(0, text.len()), text: formatted })])
}

/// The quick fixes of the diagnostics that touch `span`.
pub fn quick_fixes(analysed: &Analysed, span: Span) -> Vec<CodeActionOrCommand> {
    analysed
        .analysis
        .quick_fixes(span)
        .into_iter()
        .map(|fix| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![crate::diagnostics::diagnostic(analysed, &fix.diagnostic)]),
                edit: Some(workspace_edit(analysed, &[fix.edit])),
                is_preferred: Some(true),
                ..CodeAction::default()
            })
        })
        .collect()
}

pub fn text_edit(analysed: &Analysed, edit: &Edit) -> TextEdit {
    TextEdit { range: analysed.range(edit.span), new_text: edit.text.clone() }
}

/// Edits of this document as a workspace edit.
pub fn workspace_edit(analysed: &Analysed, edits: &[Edit]) -> WorkspaceEdit {
    let edits = edits.iter().map(|edit| text_edit(analysed, edit)).collect();
    WorkspaceEdit { changes: Some(HashMap::from([(analysed.uri.clone(), edits)])), ..WorkspaceEdit::default() }
}
