//! MTM025 `writable-safety-store`: a store of therapy settings, configuration or code takes unauthenticated writes from outside its host.

use crate::context::{DirectedFlow, INSTRUCTION_KINDS, RuleContext, weakest_authn};
use crate::rule::{Docs, Family, Hit, Hits, Rule, Stride, Template, Touches};
use medtm_model::model::Subject;
use medtm_model::vocab::{Authn, ControlCategory, Medium, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM025",
    name: "writable-safety-store",
    title: "Safety-relevant store writable without authentication",
    stride: &[Stride::Tampering],
    cwe: &[732, 284],
    capec: &[75],
    attack_techniques: &[],
    family: Family::Storage,
    when_named: &[(
        ControlCategory::Authorization,
        "an authorization control that names no rule is taken for limiting what callers may do, not who may write \
         the store",
    )],
    // Whoever can write the store can also corrupt or delete what it holds: integrity and
    // availability.
    template: Template { touches: Some(Touches::INTEGRITY_AVAILABILITY), ..Template::FROM_MODEL },
    docs: Docs {
        detects: "A store holding therapy, config or firmware assets that receives a flow (as its \
                  target, or either way of a `<->` flow) with `authn: none` or `implicit` (stated, \
                  unknown or left out) from any element other than the component it sits in (its \
                  host, which lists it in `stores`). A store with no host takes every such writer \
                  into account. The store is reported once, naming every unauthenticated writer.",
        why: "Whatever writes to the store decides what the device does next: the drug library \
              the pump enforces, the settings it boots with, the image it installs. An open share or \
              an unauthenticated write path lets anyone who reaches it change them for every \
              device that reads them.",
        mitigate: "Authenticate and authorise every writer (state its `authn` on the flow), sign \
                   the stored content so readers can verify it, and keep the store off shared \
                   networks. Record signed content as a control with `category: integrity` covering \
                   the store; record access control (`category: authorization`) with `mitigates: \
                   [writable-safety-store]`.",
        example: "store library_share {\n  holds: [drug_library]\n}\nflow workstation -> library_share {\n  medium: network\n  authn: none\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, store) in cx.stores() {
        let safety = cx.of_kinds(&store.holds, INSTRUCTION_KINDS);
        if safety.is_empty() {
            continue;
        }
        let writers: Vec<_> = cx
            .arriving(id)
            .filter(|flow| matches!(flow.authn().value, Authn::None | Authn::Implicit) && Some(flow.from) != store.host)
            .collect();
        if writers.is_empty() {
            continue;
        }
        let mut exposure = cx.exposure_through(writers.iter().map(DirectedFlow::edge));
        let mut media: Vec<Medium> = writers.iter().flat_map(|flow| flow.media().iter().copied()).collect();
        media.sort_unstable();
        media.dedup();
        let over: Vec<&str> = media.iter().map(|medium| medium.as_str()).collect();
        let senders: Vec<_> = writers.iter().map(|flow| flow.from).collect();
        let explanation = format!(
            "{} holds {} and accepts writes from {} over {} without authentication",
            cx.describe_element(id),
            cx.describe_assets(&safety),
            cx.describe_elements(&senders),
            over.join(" or "),
        );
        exposure.media = media;
        exposure.authn = weakest_authn(writers.iter().map(|flow| flow.authn().value));
        let facts: Vec<_> = writers.iter().map(DirectedFlow::authn_fact).collect();
        hits.push(Hit::new(Subject::Element(id), safety, explanation, exposure).resting_on(facts));
    }
}
