//! The shared feature table (`cases/mod.rs`) through `medtm-ide` itself, in byte offsets; the
//! language server's and the playground's tests run the same table through their protocols.

mod cases;

use cases::{CASES, Expect};
use medtm_ide::{Analysis, Span};
use medtm_model::CheckOptions;

#[test]
fn every_case_of_the_shared_table() {
    for case in CASES {
        let marked = case.marked();
        let analysis = Analysis::analyse(marked.text.as_str(), CheckOptions::default());
        let name = case.name;
        match case.expect {
            Expect::Completes { offers, not } => {
                let labels: Vec<String> =
                    analysis.completions(marked.cursor).items.into_iter().map(|item| item.label).collect();
                for label in offers {
                    assert!(labels.iter().any(|l| l == label), "{name}: `{label}` is not offered in {labels:?}");
                }
                for label in not {
                    assert!(!labels.iter().any(|l| l == label), "{name}: `{label}` is offered");
                }
            }
            Expect::CompletesNothing => {
                let items = analysis.completions(marked.cursor).items;
                assert!(items.is_empty(), "{name}: {items:?}");
            }
            Expect::Hovers(fragments) => {
                let hover = analysis.hover(marked.cursor).unwrap_or_else(|| panic!("{name}: no hover"));
                let (markdown, plain) = (hover.markdown(), hover.plain_text());
                for fragment in fragments {
                    assert!(plain.contains(fragment), "{name}: `{fragment}` is not in {plain}");
                    let unmarked = markdown.replace("**", "").replace('`', "");
                    assert!(unmarked.contains(fragment), "{name}: `{fragment}` is not in {markdown}");
                }
                assert!(hover.span.start <= marked.cursor && marked.cursor <= hover.span.end, "{name}: {hover:?}");
            }
            Expect::HoversNothing => assert_eq!(analysis.hover(marked.cursor), None, "{name}"),
            Expect::Defines { id } => {
                let (start, end) = marked.target.expect("a marked definition");
                assert_eq!(analysis.definition(marked.cursor), Some(Span::new(start, end)), "{name}");
                let declared = analysis.declarations().find(|(declared, _)| *declared == id).map(|(_, span)| span);
                assert_eq!(declared, Some(Span::new(start, end)), "{name}: `{id}` is declared there");
            }
        }
    }
}
