//! The editor brain of medtm, shared by the language server (`medtm-lsp`) and the browser
//! playground (`medtm-wasm`), in the spirit of rust-analyzer's `ide` crate: one [`Analysis`] of
//! one document (its text and what the engine made of it) answers every question an editor
//! asks — diagnostics, finding marks, completion, hover, go to definition, references, rename,
//! the outline, formatting, quick fixes and semantic tokens.
//!
//! Answers are plain data with BYTE offsets into the text ([`Span`]). The adapters convert them
//! to their protocol's positions (LSP lines and UTF-16 columns, JavaScript UTF-16 offsets) and
//! types, and hold no feature logic of their own, so the two editors cannot drift apart.

mod completion;
mod context;
mod declared;
mod diagnostics;
mod fixes;
mod format;
mod hover;
mod lex;
mod locate;
mod marks;
mod navigation;
mod outline;
mod semantic;

use std::sync::Arc;

use medtm_engine::Checked;
use medtm_model::CheckOptions;
pub use medtm_syntax::Span;

pub use completion::{CompletionItem, CompletionKind, Completions};
pub use diagnostics::{Diagnostic, Level, Related};
pub use fixes::QuickFix;
pub use hover::{Hover, HoverPart};
pub use marks::Mark;
pub use navigation::Occurrence;
pub use outline::OutlineItem;
pub use semantic::{SemanticToken, TokenKind};

/// One version of a document and what the engine made of it.
#[derive(Debug)]
pub struct Analysis {
    text: Arc<str>,
    checked: Checked,
}

/// A replacement of the text in `span`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Analysis {
    /// Parses, checks and analyses `text` as the language server does: a model with errors
    /// keeps the findings its errors leave untouched (see
    /// [`medtm_engine::analyse_text_despite_errors`]).
    pub fn analyse(text: impl Into<Arc<str>>, options: CheckOptions) -> Self {
        let text = text.into();
        let checked = medtm_engine::analyse_text_despite_errors(&text, options);
        Self { text, checked }
    }

    /// Parses and checks `text` without scoring it: enough for completion and the diagnostics,
    /// and no findings.
    pub fn check(text: impl Into<Arc<str>>, options: CheckOptions) -> Self {
        let text = text.into();
        let checked = medtm_engine::check_text(&text, options);
        Self { text, checked }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The syntax tree, the model, the diagnostics and the findings.
    pub fn checked(&self) -> &Checked {
        &self.checked
    }

    /// Every checker and analysis diagnostic, in source order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.checked.diagnostics.iter().map(diagnostics::convert).collect()
    }

    /// Every finding, in rank order, with what it touches.
    pub fn marks(&self) -> Vec<Mark> {
        marks::all(&self.checked)
    }

    /// What may be written at byte `offset`.
    pub fn completions(&self, offset: usize) -> Completions {
        completion::complete(&self.text, &self.checked.model, offset)
    }

    /// What the thing at byte `offset` means, and for an id, the findings on it.
    pub fn hover(&self, offset: usize) -> Option<Hover> {
        hover::hover(&self.text, &self.checked, offset)
    }

    /// Where the id at `offset` is declared.
    pub fn definition(&self, offset: usize) -> Option<Span> {
        let id = self.id_at(offset)?;
        navigation::definition(&self.checked.file, &self.checked.model, &id)
    }

    /// Every occurrence of the id at `offset` (declarations and references), in source order.
    pub fn references(&self, offset: usize) -> Option<Vec<Occurrence>> {
        let id = self.id_at(offset)?;
        Some(navigation::occurrences(&self.checked.file, &self.checked.model, &id))
    }

    /// The id at `offset` and its span, when it can be renamed, or why not.
    pub fn prepare_rename(&self, offset: usize) -> Result<(String, Span), String> {
        let Some(located) = locate::at(&self.checked.file, &self.checked.model, offset) else {
            return Err("there is no id here to rename".to_owned());
        };
        match located.target {
            locate::Target::Id(id) if self.declared(&id) => Ok((id, located.span)),
            locate::Target::Id(id) => {
                Err(format!("`{id}` is not declared in this file, so there is nothing to rename"))
            }
            _ => Err(format!(
                "`{}` is part of the language; only ids of declarations can be renamed",
                located.span.slice(&self.text)
            )),
        }
    }

    /// The edits that rename the id at `offset` to `new_name`, sorted and never overlapping.
    pub fn rename(&self, offset: usize, new_name: &str) -> Result<Vec<Edit>, String> {
        let (id, _) = self.prepare_rename(offset)?;
        let edits = navigation::rename(&self.checked.file, &self.checked.model, &id, new_name)?;
        Ok(edits.into_iter().map(|(span, text)| Edit { span, text }).collect())
    }

    /// Every declaration, boundaries holding what is declared inside them.
    pub fn outline(&self) -> Vec<OutlineItem> {
        outline::outline(&self.checked.file)
    }

    /// Where each declared id is declared, in id order.
    pub fn declarations(&self) -> impl Iterator<Item = (&str, Span)> {
        self.checked.model.symbols.iter().map(|(id, symbol)| (id.as_str(), symbol.span))
    }

    /// The text in the canonical layout (`medtm fmt`), or why it cannot be formatted.
    pub fn format(&self) -> Result<String, String> {
        format::format(&self.text)
    }

    /// What each piece of the text is, for colouring by meaning, in source order.
    pub fn semantic_tokens(&self) -> Vec<SemanticToken> {
        semantic::tokens(&self.checked.file, &self.checked.model)
    }

    /// The fixes the checker suggests for the diagnostics that touch `span`.
    pub fn quick_fixes(&self, span: Span) -> Vec<QuickFix> {
        fixes::quick_fixes(&self.checked.diagnostics, span)
    }

    fn id_at(&self, offset: usize) -> Option<String> {
        match locate::at(&self.checked.file, &self.checked.model, offset)?.target {
            locate::Target::Id(id) => Some(id),
            _ => None,
        }
    }

    fn declared(&self, id: &str) -> bool {
        navigation::definition(&self.checked.file, &self.checked.model, id).is_some()
    }
}
