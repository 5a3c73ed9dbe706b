//! MTM024 `single-factor-therapy-access`: a person changes therapy or configuration after
//! proving who they are with a single, guessable factor or none.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{ActorAuth, AssetKind, ControlCategory, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM024",
    name: "single-factor-therapy-access",
    title: "Person changes therapy or configuration with a single factor",
    stride: &[Stride::Spoofing],
    cwe: &[308, 287],
    capec: &[560, 16],
    attack_techniques: &[],
    categories: &[ControlCategory::Authentication],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow from an actor whose `auth` is none or password, carrying therapy or config \
                  assets into a component, over any medium including the device's own screen.",
        why: "A shared or stolen password, or an unlocked screen, is all it takes to pose as the \
              clinician, pharmacist or nurse and change a prescription, a drug library or alarm \
              limits. The change is attributed to the real person, and the patient receives the \
              wrong therapy.",
        mitigate: "Require a second factor or a badge tap (`auth: mfa` or `smartcard`) for changes \
                   to therapy and configuration, with re-authentication for high-risk changes. \
                   Record it as a control with `category: authentication` covering the flow.",
        example: "actor pharmacist { role: pharmacist, auth: password }\nflow pharmacist -> library_editor {\n  medium: ui\n  carries: [drug_library]\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        let Some(actor) = cx.element(flow.from).as_actor() else { continue };
        if !matches!(actor.auth.value, ActorAuth::None | ActorAuth::Password) || cx.component(flow.to).is_none() {
            continue;
        }
        let changes = cx.of_kinds(&flow.flow.carries, &[AssetKind::Therapy, AssetKind::Config]);
        if changes.is_empty() || hits.has_subject(Subject::Flow(flow.id)) {
            continue;
        }
        let explanation = format!(
            "{} changes {} in {} after proving who they are with {}",
            cx.describe_element(flow.from),
            cx.describe_assets(&changes),
            cx.describe_element(flow.to),
            if actor.auth.value == ActorAuth::None {
                "nothing".to_owned()
            } else {
                format!("a {} alone", actor.auth.value.as_str())
            },
        );
        hits.push(cx.flow_hit(&flow, changes, explanation));
    }
}
