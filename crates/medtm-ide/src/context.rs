//! Where the cursor is, for completion (and hover where the syntax tree has nothing), read from
//! the text before it. A model being typed is rarely well-formed, so this does not rely on the
//! syntax tree: one pass over the tokens before the cursor (see `lex`) keeps a stack of open
//! brackets and what opened each.

use medtm_syntax::ast::Keyword;

use crate::lex::{Token, tokens};

/// What can be written at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Context {
    /// Where a top-level declaration can start.
    TopLevel,
    /// Where an entry of a declaration's block can start; `written` holds the attributes the
    /// block already has.
    Block { keyword: Keyword, written: Vec<String> },
    /// The value of an attribute, or an item of its list; `written` holds the list's items so far.
    Value { keyword: Keyword, attribute: String, written: Vec<String> },
    /// A key of the map an attribute takes (`update: { ... }`); `written` holds the keys so far.
    MapKey { keyword: Keyword, attribute: String, written: Vec<String> },
    /// The value of a key in such a map.
    MapValue { keyword: Keyword, attribute: String, key: String },
    /// A flow's source or target.
    FlowEnd,
    /// The rule of an `accept` or `transfer`.
    DecisionRule,
    /// After the rule of an `accept` or `transfer`, where `on` goes.
    DecisionOn,
    /// The subject of an `accept` or `transfer`, after `on`.
    DecisionTarget,
    /// After the subject of a `transfer`, where `to` goes.
    DecisionTo,
    /// The party a risk is transferred to, after `to`.
    Party,
}

/// What opened a bracket.
#[derive(Debug, Clone)]
enum Frame {
    /// The file itself.
    Top,
    /// A declaration's block (`None` for a word that is not a keyword).
    Block { keyword: Option<Keyword>, written: Vec<String> },
    /// A list or map given as an attribute's value, and the items or keys written in it.
    Value { keyword: Option<Keyword>, attribute: String, map: bool, written: Vec<String> },
}

/// Where the reading stands inside the innermost frame.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State<'a> {
    /// Expecting an entry (a block's attribute or declaration, a map's key, a list's item).
    Start,
    /// A first word: an attribute name if `:` follows, else a declaration's keyword.
    FirstWord(&'a str),
    /// A declaration header after its keyword: the tokens since.
    Header { keyword: Option<Keyword>, tokens: Vec<Token<'a>> },
    /// A header ended at a line's end; a `{` on the next line still opens its block.
    HeaderEnded(Option<Keyword>),
    /// After `name:`, expecting a value.
    Value(&'a str),
}

/// The context at the end of `before` (the text up to the word being typed), or `None` inside a
/// comment or a string, or where nothing can be completed (naming a new id, say).
pub fn at(before: &str) -> Option<Context> {
    let tokens = tokens(before)?;
    let mut frames: Vec<(Frame, State<'_>)> = vec![(Frame::Top, State::Start)];
    for token in tokens {
        step(&mut frames, token);
    }
    let (frame, state) = frames.last()?;
    context(frame, state)
}

fn step<'a>(frames: &mut Vec<(Frame, State<'a>)>, token: Token<'a>) {
    let Some((frame, state)) = frames.last_mut() else { return };
    let in_map = matches!(frame, Frame::Value { map: true, .. });
    let in_list = matches!(frame, Frame::Value { map: false, .. });
    let frame_keyword = match frame {
        Frame::Top => None,
        Frame::Block { keyword, .. } | Frame::Value { keyword, .. } => *keyword,
    };
    match token {
        Token::Close(_) => {
            if frames.len() > 1 {
                frames.pop();
                if let Some((_, state)) = frames.last_mut() {
                    *state = State::Start;
                }
            }
        }
        Token::Open(bracket) => {
            let opened = match std::mem::replace(state, State::Start) {
                State::FirstWord(word) => Frame::Block { keyword: Keyword::from_word(word), written: Vec::new() },
                State::Header { keyword, .. } | State::HeaderEnded(keyword) => {
                    Frame::Block { keyword, written: Vec::new() }
                }
                State::Value(attribute) => Frame::Value {
                    keyword: frame_keyword,
                    attribute: attribute.to_owned(),
                    map: bracket == b'{',
                    written: Vec::new(),
                },
                State::Start => match frame {
                    // A list of lists or maps keeps its attribute.
                    Frame::Value { attribute, .. } => Frame::Value {
                        keyword: frame_keyword,
                        attribute: attribute.clone(),
                        map: bracket == b'{',
                        written: Vec::new(),
                    },
                    _ => Frame::Block { keyword: None, written: Vec::new() },
                },
            };
            frames.push((opened, State::Start));
        }
        Token::Newline => {
            if let State::Header { keyword, .. } = state {
                *state = State::HeaderEnded(*keyword);
            }
        }
        Token::Comma => *state = State::Start,
        Token::Colon => {
            *state = match std::mem::replace(state, State::Start) {
                State::FirstWord(word) => {
                    if let Frame::Block { written, .. } | Frame::Value { written, .. } = frame {
                        written.push(word.to_owned());
                    }
                    State::Value(word)
                }
                State::Header { keyword, mut tokens } => {
                    tokens.push(Token::Colon);
                    State::Header { keyword, tokens }
                }
                _ => State::Start,
            };
        }
        Token::Word(word) if in_list => {
            if let Frame::Value { written, .. } = frame {
                written.push(word.to_owned());
            }
            *state = State::Start;
        }
        Token::Word(word) if in_map => {
            *state = match state {
                State::Start => State::FirstWord(word),
                _ => State::Start,
            };
        }
        Token::Word(word) => {
            *state = match std::mem::replace(state, State::Start) {
                State::Start | State::HeaderEnded(_) => State::FirstWord(word),
                State::FirstWord(first) => {
                    State::Header { keyword: Keyword::from_word(first), tokens: vec![Token::Word(word)] }
                }
                State::Header { keyword, mut tokens } => {
                    tokens.push(Token::Word(word));
                    State::Header { keyword, tokens }
                }
                State::Value(_) => State::Start,
            };
        }
        Token::Literal | Token::Arrow => {
            *state = match std::mem::replace(state, State::Start) {
                State::FirstWord(first) => State::Header { keyword: Keyword::from_word(first), tokens: vec![token] },
                State::Header { keyword, mut tokens } => {
                    tokens.push(token);
                    State::Header { keyword, tokens }
                }
                _ => State::Start,
            };
        }
    }
}

fn context(frame: &Frame, state: &State<'_>) -> Option<Context> {
    match (frame, state) {
        (Frame::Top, State::Start | State::HeaderEnded(_)) => Some(Context::TopLevel),
        (Frame::Block { keyword, written }, State::Start | State::HeaderEnded(_)) => {
            Some(Context::Block { keyword: (*keyword)?, written: written.clone() })
        }
        (Frame::Top | Frame::Block { .. }, State::Value(attribute)) => {
            let Frame::Block { keyword, .. } = frame else { return None };
            Some(Context::Value { keyword: (*keyword)?, attribute: (*attribute).to_owned(), written: Vec::new() })
        }
        (Frame::Top | Frame::Block { .. }, State::FirstWord(word)) => match Keyword::from_word(word)? {
            Keyword::Flow => Some(Context::FlowEnd),
            Keyword::Accept | Keyword::Transfer => Some(Context::DecisionRule),
            _ => None,
        },
        (Frame::Top | Frame::Block { .. }, State::Header { keyword, tokens }) => header((*keyword)?, tokens),
        (Frame::Value { keyword, attribute, map: false, written }, _) => {
            Some(Context::Value { keyword: (*keyword)?, attribute: attribute.clone(), written: written.clone() })
        }
        (Frame::Value { keyword, attribute, map: true, written }, State::Start) => {
            Some(Context::MapKey { keyword: (*keyword)?, attribute: attribute.clone(), written: written.clone() })
        }
        (Frame::Value { keyword, attribute, map: true, .. }, State::Value(key)) => {
            Some(Context::MapValue { keyword: (*keyword)?, attribute: attribute.clone(), key: (*key).to_owned() })
        }
        (Frame::Value { .. }, _) => None,
    }
}

/// The context inside a header, from the tokens after its keyword.
fn header(keyword: Keyword, tokens: &[Token<'_>]) -> Option<Context> {
    match (keyword, tokens) {
        (Keyword::Flow, [.., Token::Arrow | Token::Colon]) => Some(Context::FlowEnd),
        (Keyword::Accept | Keyword::Transfer, [Token::Word(_)]) => Some(Context::DecisionOn),
        (Keyword::Accept | Keyword::Transfer, [Token::Word(_), Token::Word("on")]) => Some(Context::DecisionTarget),
        (Keyword::Transfer, [Token::Word(_), Token::Word("on"), Token::Word(_)]) => Some(Context::DecisionTo),
        (Keyword::Transfer, [Token::Word(_), Token::Word("on"), Token::Word(_), Token::Word("to")]) => {
            Some(Context::Party)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(keyword: Keyword, attribute: &str, written: &[&str]) -> Context {
        let written = written.iter().map(|word| (*word).to_owned()).collect();
        Context::Value { keyword, attribute: attribute.to_owned(), written }
    }

    #[test]
    fn reads_the_context_before_the_cursor() {
        assert_eq!(at(""), Some(Context::TopLevel));
        assert_eq!(at("asset a { kind: phi }\n"), Some(Context::TopLevel));
        assert_eq!(
            at("component pump \"P\" {\n  kind: wearable\n  "),
            Some(Context::Block { keyword: Keyword::Component, written: vec!["kind".to_owned()] })
        );
        assert_eq!(at("flow a -> b { medium: "), Some(value(Keyword::Flow, "medium", &[])));
        assert_eq!(at("flow a -> b { carries: [x, "), Some(value(Keyword::Flow, "carries", &["x"])));
        assert_eq!(
            at("component c { update: { signed: true, "),
            Some(Context::MapKey {
                keyword: Keyword::Component,
                attribute: "update".to_owned(),
                written: vec!["signed".to_owned()]
            })
        );
        assert_eq!(
            at("component c { debug_ports: { swd: "),
            Some(Context::MapValue {
                keyword: Keyword::Component,
                attribute: "debug_ports".to_owned(),
                key: "swd".to_owned()
            })
        );
        assert_eq!(at("flow "), Some(Context::FlowEnd));
        assert_eq!(at("flow name: "), Some(Context::FlowEnd));
        assert_eq!(at("flow a <-> "), Some(Context::FlowEnd));
        assert_eq!(at("accept "), Some(Context::DecisionRule));
        assert_eq!(at("transfer open-debug-port on "), Some(Context::DecisionTarget));
        assert_eq!(at("transfer open-debug-port on pump to "), Some(Context::Party));
        assert_eq!(at("accept open-debug-port "), Some(Context::DecisionOn));
        assert_eq!(at("transfer open-debug-port on pump "), Some(Context::DecisionTo));
        assert_eq!(
            at("boundary b {\n  component c\n  {\n    "),
            Some(Context::Block { keyword: Keyword::Component, written: Vec::new() })
        );
        assert_eq!(
            at("boundary b {\n  component c { kind: wearable }\n  "),
            Some(Context::Block { keyword: Keyword::Boundary, written: Vec::new() })
        );
    }

    #[test]
    fn offers_nothing_inside_comments_strings_or_new_ids() {
        assert_eq!(at("// a comment "), None);
        assert_eq!(at("/* open "), None);
        assert_eq!(at("asset a \"label "), None);
        assert_eq!(at("assumption a { text: \"\"\"\n  more "), None);
        assert_eq!(at("component "), None);
        assert_eq!(at("asset a \"A \\\" {\" { kind: "), Some(value(Keyword::Asset, "kind", &[])));
        assert_eq!(at("/* done */ asset a { // c\n kind: "), Some(value(Keyword::Asset, "kind", &[])));
    }
}
