//! Hover: what the word under the pointer means. Attribute names are explained for the
//! declaration they are in (`flow.authn`), the model's own ids show their declaration, and
//! every other word gets `medtm explain`'s text.

use medtm_model::Model;
use medtm_model::schema::{self, ValueType};
use medtm_syntax::ast::Keyword;

use crate::context::{Place, place, word_around};
use crate::symbols;

/// The word under byte offset `at` (start, end) and what it means, if anything.
pub fn hover(text: &str, model: &Model, at: usize) -> Option<(usize, usize, String)> {
    let (start, end) = word_around(text, at);
    let word = text.get(start..end).filter(|word| !word.is_empty())?;
    let explained = match place(text, start) {
        Place::Statement(Some(keyword)) => schema::attribute(keyword, word)
            .map(|_| format!("{keyword}.{word}"))
            .and_then(|name| medtm_report::explain::explain(&name).ok()),
        Place::MapKey { keyword, attribute } => map_key(keyword, &attribute, word),
        Place::Elsewhere => return None,
        _ => None,
    };
    let text =
        explained.or_else(|| symbols::describe(model, word)).or_else(|| medtm_report::explain::explain(word).ok())?;
    Some((start, end, text))
}

/// The meaning of a key in a map value: an update flag or a CVSS metric.
fn map_key(keyword: Keyword, attribute: &str, key: &str) -> Option<String> {
    match schema::attribute(keyword, attribute)?.ty {
        ValueType::Flags(flags) => {
            let flag = flags.iter().find(|flag| flag.name == key)?;
            Some(format!("{keyword}.{attribute}.{key}\n\n  {}\n  Default: {}\n", flag.meaning, flag.default))
        }
        ValueType::Response => {
            let spec = schema::RESPONSE.iter().find(|spec| spec.name == key)?;
            Some(format!(
                "{keyword}.{attribute}.{key}\n\n  {}\n  Takes {}.\n  Default: {}\n",
                spec.meaning,
                spec.ty.describe(),
                spec.default
            ))
        }
        ValueType::Effect => {
            let metric = medtm_cvss::metric(key)?;
            Some(format!(
                "{} ({})\n\n  {}\n  Values: {}\n",
                key,
                metric.title(),
                metric.description,
                metric.values_text()
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hover_at(text: &str, needle: &str) -> Option<String> {
        let parsed = medtm_syntax::parse(text);
        let (model, _) = medtm_model::check(&parsed.file, &medtm_engine::Catalog, medtm_model::CheckOptions::default());
        let at = text.find(needle)? + 1;
        hover(text, &model, at).map(|(_, _, text)| text)
    }

    #[test]
    fn explains_attributes_for_their_declaration() {
        let text = "flow a -> b {\n  authn: none\n}\n";
        assert!(hover_at(text, "authn").unwrap().starts_with("flow.authn (attribute)"));
        assert!(hover_at(text, "flow").unwrap().starts_with("flow (keyword)"));
        assert!(hover_at(text, "none").unwrap().contains("none"));
    }

    #[test]
    fn shows_declarations_of_ids() {
        let text =
            "/// The patch pump on the body.\ncomponent pump \"Patch pump\" { kind: wearable }\nflow app -> pump {}\n";
        let shown = hover_at(text, "pump {}").unwrap();
        assert_eq!(shown, "component pump \"Patch pump\"\n\nThe patch pump on the body.");
    }

    #[test]
    fn explains_map_keys_and_stays_quiet_in_strings() {
        let text = "component c {\n  update: { signed: true }\n}\n";
        assert!(hover_at(text, "signed").unwrap().contains("signed"));
        assert_eq!(hover_at("component c \"a label\"", "label"), None);
    }
}
