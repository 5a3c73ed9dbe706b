//! MTM025 `writable-safety-store`: a store of therapy settings, configuration or code accepts
//! writes from a sender it does not authenticate.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{AssetKind, Authn, ControlCategory};

pub static RULE: Rule = Rule {
    code: "MTM025",
    name: "writable-safety-store",
    title: "Safety-relevant store writable without authentication",
    stride: &[Stride::Tampering],
    cwe: &[732, 284],
    capec: &[75],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity, ControlCategory::Authorization],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A store holding therapy, config or firmware assets that receives a flow with \
                  `authn: none` or `implicit` from any element other than the component it sits in \
                  (its host, which lists it in `stores`).",
        why: "Whatever writes to the store decides what the device does next: the drug library \
              the pump enforces, the settings it boots with, the image it installs. An open share or \
              an unauthenticated write path lets anyone who reaches it change them for every \
              device that reads them.",
        mitigate: "Authenticate and authorise every writer, sign the stored content so readers can \
                   verify it, and keep the store off shared networks. Record it as a control with \
                   `category: integrity` or `authorization` covering the store.",
        example: "store library_share {\n  holds: [drug_library]\n}\nflow workstation -> library_share {\n  medium: network\n  authn: none\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, store) in cx.stores() {
        let safety = cx.of_kinds(&store.holds, &[AssetKind::Therapy, AssetKind::Config, AssetKind::Firmware]);
        if safety.is_empty() {
            continue;
        }
        let writer = cx.incoming(id).iter().map(|flow| cx.forward(*flow)).find(|flow| {
            let sender = if flow.to == id { flow.from } else { flow.to };
            matches!(flow.flow.authn.value, Authn::None | Authn::Implicit) && Some(sender) != store.host
        });
        let Some(writer) = writer else { continue };
        if hits.has_subject(Subject::Element(id)) {
            continue;
        }
        let sender = if writer.to == id { writer.from } else { writer.to };
        let explanation = format!(
            "{} holds {} and takes writes from {} over {} without authentication",
            cx.describe_element(id),
            cx.describe_assets(&safety),
            cx.describe_element(sender),
            cx.describe_flow(&writer),
        );
        let mut hit = cx.flow_hit(&writer, safety, explanation);
        hit.subject = Subject::Element(id);
        hits.push(hit);
    }
}
