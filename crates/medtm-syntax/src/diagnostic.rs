//! Diagnostics shared by every stage: the stable codes, their severities and explanations, and the
//! `Diagnostic` value (span, label, help, related places, optional fix) that renderers consume.

use serde::Serialize;

use crate::span::Span;

/// How bad a diagnostic is. Errors make `medtm check` fail; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($(
        $(#[doc = $explanation:literal])+
        $variant:ident = $code:literal, $severity:ident, $title:literal;
    )*) => {
        /// Every diagnostic medtm can report. Codes are stable: tools and suppressions key on them,
        /// so a code is never reused for another meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// All codes, in code order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code, such as `E0303`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// A short title, such as "unresolved reference".
            pub const fn title(self) -> &'static str {
                match self {
                    $(Code::$variant => $title,)*
                }
            }

            /// What the diagnostic means and how to fix it, for `medtm explain CODE`.
            pub fn explanation(self) -> String {
                let lines: &[&str] = match self {
                    $(Code::$variant => &[$($explanation),+],)*
                };
                lines.iter().map(|line| line.strip_prefix(' ').unwrap_or(line)).collect::<Vec<_>>().join("\n")
            }

            /// Looks a code up by its text, case-insensitively (`e0303` works).
            pub fn from_code(text: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|code| code.as_str().eq_ignore_ascii_case(text))
            }
        }
    };
}

codes! {
    /// The file contains bytes that are not UTF-8. Models are UTF-8 text; the diagnostic points at
    /// the first invalid byte. Re-save the file as UTF-8 in your editor.
    InvalidUtf8 = "E0001", Error, "file is not valid UTF-8";
    /// The file is larger than medtm reads (see the limits in the README). Split a hospital-wide
    /// model into one model per site or per device family.
    FileTooLarge = "E0002", Error, "file too large";

    /// The text does not follow the grammar of the language at this point. The message lists what
    /// could come next. medtm skips to the next top-level declaration (a keyword at the start of a
    /// line) and keeps checking the rest of the file.
    SyntaxError = "E0101", Error, "syntax error";
    /// A string opened with `"` is not closed on the same line. Close it, or use `"""` for text
    /// that spans several lines.
    UnterminatedString = "E0102", Error, "unterminated string";
    /// A `/*` comment or a `"""` text block is never closed before the end of the file.
    UnterminatedComment = "E0103", Error, "unterminated comment or text block";
    /// A backslash in a string starts an escape medtm does not know. The escapes are `\"`, `\\`,
    /// `\n`, `\t` and `\u{...}` (a Unicode scalar value in hexadecimal).
    InvalidEscape = "E0104", Error, "invalid escape in string";
    /// A `{` or `[` is never closed. The diagnostic points where its closer belongs when the
    /// layout shows it (after a list's last item when the next attribute follows, before a `}`
    /// indented as an outer block's line, before a declaration in the first column, or at the
    /// end of the file), with a fix that inserts it, and the declaration is read as if it were
    /// there; otherwise at the opening bracket.
    UnclosedDelimiter = "E0105", Error, "unclosed delimiter";
    /// A `}` or `]` closes nothing, or closes a bracket of the other kind. Typed for the other
    /// kind (`[a, b}` with the block going on below), it is read as that one, with a fix.
    UnexpectedDelimiter = "E0106", Error, "unexpected closing delimiter";
    /// Brackets or boundaries are nested deeper than medtm accepts (see the limits in the README).
    /// No real model needs that depth; the nested part is skipped.
    NestingTooDeep = "E0107", Error, "nesting too deep";
    /// The file has so many syntax errors that medtm stopped reporting them. Fix the first ones;
    /// the rest are often consequences.
    TooManyErrors = "E0108", Error, "too many errors";
    /// A number does not fit the range medtm accepts (64-bit integers, finite decimals).
    NumberOutOfRange = "E0109", Error, "number out of range";
    /// A date written as `YYYY-MM-DD` is not a day of the calendar, such as `2027-02-30`.
    InvalidDate = "E0110", Error, "invalid date";
    /// The model has more declarations than medtm accepts (see the limits in the README); the
    /// ones past the limit are not read. Split a hospital-wide model into one model per site or
    /// per device family.
    TooManyDeclarations = "E0111", Error, "too many declarations";

    /// A declaration starts with a word that is not a keyword of the language. The keywords are
    /// `system`, `asset`, `actor`, `boundary`, `component`, `store`, `software`, `flow`,
    /// `control`, `accept`, `transfer`, `assumption` and `risk_matrix`.
    UnknownKeyword = "E0201", Error, "unknown keyword";
    /// A declaration appears where it cannot: boundaries hold boundaries, components, stores and
    /// actors; everything else is declared at the top level.
    MisplacedDeclaration = "E0202", Error, "declaration not allowed here";
    /// An attribute name is not one that this kind of declaration has. `medtm explain KEYWORD`
    /// lists the attributes of each kind.
    UnknownAttribute = "E0203", Error, "unknown attribute";
    /// The same attribute (or map key) is given twice in one declaration; only one can count.
    DuplicateAttribute = "E0204", Error, "duplicate attribute";
    /// An attribute is written without the `:` between its name and its value.
    MissingColon = "E0205", Error, "missing colon after attribute name";
    /// Two declarations use the same id. Ids are unique across the whole model, whatever their
    /// kind, so that any reference names exactly one thing.
    DuplicateId = "E0206", Error, "duplicate id";
    /// A declared id is not `snake_case` (lower-case letters, digits and underscores, starting with
    /// a letter).
    InvalidId = "E0207", Error, "invalid id";
    /// A model describes one system and has at most one `system` and one `risk_matrix`.
    DuplicateSingleton = "E0208", Error, "declared more than once";

    /// A word is not in the vocabulary of this attribute. Every vocabulary also accepts `unknown`,
    /// which the analysis treats as the worst case and lists as an open question.
    UnknownValue = "E0301", Error, "value outside vocabulary";
    /// A value has the wrong form for this attribute, such as a string where a number is expected.
    WrongType = "E0302", Error, "wrong value type";
    /// A reference names no declaration in the model. References may point forward: declaration
    /// order does not matter.
    UnresolvedReference = "E0303", Error, "unresolved reference";
    /// A reference names a declaration of the wrong kind, such as a component in `carries`
    /// (which takes assets).
    WrongReferenceKind = "E0304", Error, "reference to the wrong kind of declaration";
    /// A flow goes from an element to the same element. Model the internal interface as an `ipc`
    /// flow between two components, or leave it out.
    FlowToItself = "E0305", Error, "flow to itself";
    /// Two unnamed flows would get the same derived id (`from_to_to`), so nothing could refer to
    /// either unambiguously. Name them: `flow name: a -> b`.
    ClashingFlowIds = "E0306", Error, "unnamed flows with the same id";
    /// A rule name in `accept`, `transfer` or a control's `mitigates` is not in the catalogue.
    /// `medtm rules` lists every rule by name and code.
    UnknownRule = "E0307", Error, "unknown rule";
    /// A control's `effect` names a CVSS metric or value that does not exist.
    InvalidEffect = "E0308", Error, "invalid CVSS effect";
    /// The same risk (rule and target) is both accepted and transferred, or decided twice. Each
    /// risk gets one decision.
    ConflictingDecision = "E0309", Error, "conflicting risk decisions";

    /// An attribute the analysis needs is missing, so a documented default is used. State it (or
    /// write `unknown` to assume the worst case and list it as an open question).
    MissingAttribute = "W0401", Warning, "missing attribute, default used";
    /// The model has no `system` declaration, so reports have no name, function or environment
    /// for it.
    MissingSystem = "W0402", Warning, "no system declaration";
    /// An asset or a software entry is declared but nothing carries, holds or runs it, so the
    /// analysis never looks at it.
    UnusedDeclaration = "W0403", Warning, "declared but never used";
    /// A risk acceptance is past its `review_by` date. Review it and set a new date.
    ExpiredAcceptance = "W0404", Warning, "risk acceptance past its review date";
    /// A control covers nothing, or mitigates a rule that never fires on what it covers, so it
    /// lowers no risk. It may be stale after a model change.
    DeadControl = "W0405", Warning, "control mitigates nothing";
    /// An `accept` or `transfer` names a rule that does not fire on its target, so it decides
    /// nothing. The risk may have been fixed, or the decision points at the wrong subject.
    StaleDecision = "W0406", Warning, "decision matches no finding";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Another place that matters to a diagnostic, such as the first declaration of a duplicate id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// A machine-applicable edit that fixes the diagnostic ("did you mean ...").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, for an editor's quick-fix menu.
    pub title: String,
    pub span: Span,
    pub replacement: String,
}

/// One problem found in a model, with everything needed to show it well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is.
    pub span: Span,
    /// What to print under the span.
    pub label: String,
    pub help: Option<String>,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.severity(),
            message: message.into(),
            span,
            label: String::new(),
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related { span, message: message.into() });
        self
    }

    #[must_use]
    pub fn with_fix(mut self, title: impl Into<String>, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Fix { title: title.into(), span, replacement: replacement.into() });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics the way people read them: by position, then by code.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(b.span.start, b.span.end, b.code, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "code {code} is used twice");
            let prefix = match code.severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(code.as_str().starts_with(prefix), "{code} has the wrong letter for its severity");
            assert!(code.explanation().len() > 40, "{code} needs a real explanation");
            assert_eq!(Code::from_code(&code.as_str().to_lowercase()), Some(*code));
        }
    }
}
