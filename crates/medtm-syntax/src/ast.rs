//! The syntax tree: declarations, attributes and values exactly as written, each with its byte span.
//!
//! The tree knows shapes, not meanings: whether `ble` is a vocabulary word or a reference, and
//! whether `kind` belongs in a `flow`, is decided by `medtm-model`.

use serde::Serialize;

use crate::scan::Comment;
use crate::span::Span;

/// A parsed model file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct File {
    /// Top-level declarations in source order (declarations that failed to parse are absent).
    pub declarations: Vec<Declaration>,
    /// Every comment in the file, in source order, including doc comments.
    pub comments: Vec<Comment>,
    /// Whether some top-level declarations failed to parse and were skipped: whole-model checks
    /// (a missing system, unused assets) are unreliable then.
    pub recovered: bool,
}

/// The keyword a declaration starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Keyword {
    System,
    Asset,
    Actor,
    Boundary,
    Component,
    Store,
    Software,
    Flow,
    Control,
    Accept,
    Transfer,
    Assumption,
    RiskMatrix,
}

impl Keyword {
    pub const ALL: &'static [Keyword] = &[
        Keyword::System,
        Keyword::Asset,
        Keyword::Actor,
        Keyword::Boundary,
        Keyword::Component,
        Keyword::Store,
        Keyword::Software,
        Keyword::Flow,
        Keyword::Control,
        Keyword::Accept,
        Keyword::Transfer,
        Keyword::Assumption,
        Keyword::RiskMatrix,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Keyword::System => "system",
            Keyword::Asset => "asset",
            Keyword::Actor => "actor",
            Keyword::Boundary => "boundary",
            Keyword::Component => "component",
            Keyword::Store => "store",
            Keyword::Software => "software",
            Keyword::Flow => "flow",
            Keyword::Control => "control",
            Keyword::Accept => "accept",
            Keyword::Transfer => "transfer",
            Keyword::Assumption => "assumption",
            Keyword::RiskMatrix => "risk_matrix",
        }
    }

    pub fn from_word(word: &str) -> Option<Keyword> {
        Keyword::ALL.iter().copied().find(|keyword| keyword.as_str() == word)
    }
}

impl std::fmt::Display for Keyword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name as written: an id, a reference, a vocabulary word, a rule name or an attribute name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A declaration: `keyword header "label"? { ... }?`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Declaration {
    pub header: Header,
    pub label: Option<StringLiteral>,
    pub block: Option<Block>,
    /// The `///` comments directly above the declaration, joined, without the slashes.
    pub doc: Option<String>,
    pub span: Span,
}

impl Declaration {
    /// The keyword, or `None` for a declaration whose first word is not a keyword.
    pub fn keyword(&self) -> Option<Keyword> {
        match &self.header {
            Header::Element { keyword, .. } => Some(*keyword),
            Header::Flow { .. } => Some(Keyword::Flow),
            Header::Decision { keyword, .. } => Some(*keyword),
            Header::Unknown { .. } => None,
        }
    }

    /// The span of the first word.
    pub fn keyword_span(&self) -> Span {
        match &self.header {
            Header::Element { keyword_span, .. }
            | Header::Flow { keyword_span, .. }
            | Header::Decision { keyword_span, .. } => *keyword_span,
            Header::Unknown { keyword, .. } => keyword.span,
        }
    }

    /// Attributes of the block, in order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.entries().filter_map(|entry| match entry {
            Entry::Attribute(attribute) => Some(attribute),
            Entry::Declaration(_) => None,
        })
    }

    /// Declarations nested in the block, in order.
    pub fn children(&self) -> impl Iterator<Item = &Declaration> {
        self.entries().filter_map(|entry| match entry {
            Entry::Declaration(declaration) => Some(&**declaration),
            Entry::Attribute(_) => None,
        })
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.block.iter().flat_map(|block| block.entries.iter())
    }
}

/// What follows the keyword.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Header {
    /// `system|asset|actor|boundary|component|store|software|control|assumption|risk_matrix id`
    Element { keyword: Keyword, keyword_span: Span, id: Ident },
    /// `flow name: from -> to` or `flow from <-> to`
    Flow { keyword_span: Span, name: Option<Ident>, from: Ident, direction: Direction, arrow_span: Span, to: Ident },
    /// `accept rule on target` or `transfer rule on target to party`
    Decision { keyword: Keyword, keyword_span: Span, rule: Ident, target: Ident, party: Option<Ident> },
    /// A first word that is not a keyword, and the words after it on the header.
    Unknown { keyword: Ident, words: Vec<Ident> },
}

/// The arrow of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// `->`
    OneWay,
    /// `<->`: a request and its response, analysed both ways.
    BothWays,
}

impl Direction {
    pub const fn arrow(self) -> &'static str {
        match self {
            Direction::OneWay => "->",
            Direction::BothWays => "<->",
        }
    }
}

/// `{ entries }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub entries: Vec<Entry>,
    pub span: Span,
}

/// One thing inside a block.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "entry", rename_all = "snake_case")]
pub enum Entry {
    Attribute(Attribute),
    // Boxed: attributes far outnumber nested declarations, and an unboxed declaration would
    // make every attribute entry as large as one (half the syntax tree of a large model).
    Declaration(Box<Declaration>),
}

impl Entry {
    pub fn span(&self) -> Span {
        match self {
            Entry::Attribute(attribute) => attribute.span,
            Entry::Declaration(declaration) => declaration.span,
        }
    }
}

/// `name: value`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    pub name: Ident,
    pub value: Value,
    pub span: Span,
}

/// A string literal with its decoded value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StringLiteral {
    pub value: String,
    pub span: Span,
}

/// A value with its span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

/// The forms a value can take.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum ValueKind {
    /// `"..."` or `"""..."""`, decoded.
    String(String),
    Integer(i64),
    Decimal(f64),
    Boolean(bool),
    Date(jiff::civil::Date),
    /// A bare word: a vocabulary word, a reference or a rule name, decided by the checker.
    Word(String),
    List(Vec<Value>),
    Map(Vec<MapEntry>),
    /// A literal that could not be read (an out-of-range number, an impossible date). It is
    /// already reported; checkers skip it without further diagnostics.
    Invalid,
}

impl ValueKind {
    /// How the value's form is called in diagnostics ("a string", "a list").
    pub const fn describe(&self) -> &'static str {
        match self {
            ValueKind::String(_) => "a string",
            ValueKind::Integer(_) => "an integer",
            ValueKind::Decimal(_) => "a decimal number",
            ValueKind::Boolean(_) => "a boolean",
            ValueKind::Date(_) => "a date",
            ValueKind::Word(_) => "a word",
            ValueKind::List(_) => "a list",
            ValueKind::Map(_) => "a map",
            ValueKind::Invalid => "an invalid value",
        }
    }
}

/// `key: value` inside a map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapEntry {
    pub key: Ident,
    pub value: Value,
    pub span: Span,
}
