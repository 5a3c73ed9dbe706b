//! MTM024 `single-factor-therapy-access`: a person changes therapy or configuration after a single guessable factor or none.

use crate::context::RuleContext;
use crate::rule::{Docs, Fact, Family, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{ActorAuth, AssetKind, Authn, Medium, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM024",
    name: "single-factor-therapy-access",
    title: "Person changes therapy or configuration with a single factor",
    stride: &[Stride::Spoofing],
    cwe: &[308, 287],
    capec: &[560, 16],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow from an actor whose `auth` is none or password (or unknown), carrying \
                  therapy or config assets into a component, over any medium including the \
                  device's own screen (`ui`). A flow that states `authn: mfa` or `smartcard` is \
                  left out: the receiving component demands the second factor whatever the actor \
                  usually uses.",
        why: "A shared or stolen password, or an unlocked screen, is all it takes to pose as the \
              clinician, pharmacist or nurse and change a prescription, a drug library or alarm \
              limits. The change is attributed to the real person, and the patient receives the \
              wrong therapy.",
        mitigate: "Require a second factor or a badge tap for changes to therapy and configuration \
                   (`auth: mfa` or `smartcard` on the actor, or `authn` on the flow), with \
                   re-authentication for high-risk changes. A second person's approval or a \
                   confirmation at the device is a control with `category: authentication` \
                   covering the flow.",
        example: "actor pharmacist { role: pharmacist, auth: password }\nflow pharmacist -> library_editor {\n  medium: ui\n  carries: [drug_library]\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        let Some(actor) = cx.element(flow.from).as_actor() else { continue };
        let single = matches!(actor.auth.value, ActorAuth::None | ActorAuth::Password);
        let second_factor = matches!(flow.authn().value, Authn::Mfa | Authn::Smartcard);
        if !single || second_factor || cx.component(flow.to).is_none() {
            continue;
        }
        let changes = cx.of_kinds(flow.carries(), &[AssetKind::Therapy, AssetKind::Config]);
        if changes.is_empty() || hits.has_subject(flow.subject()) {
            continue;
        }
        let factor = if actor.auth.value == ActorAuth::None {
            "nothing".to_owned()
        } else {
            format!("a {} alone", actor.auth.value.as_str())
        };
        let place = if flow.media().iter().all(|medium| *medium == Medium::Ui) {
            format!("at {}'s own screen", cx.describe_element(flow.to))
        } else {
            format!("in {} over {}", cx.describe_element(flow.to), cx.describe_media(&flow))
        };
        let explanation = format!(
            "{} changes {} {place} after proving who they are with {factor}",
            cx.describe_element(flow.from),
            cx.describe_assets(&changes),
        );
        let facts = [Fact::of(Subject::Element(flow.from), "auth", &actor.auth), flow.authn_fact()];
        hits.push(cx.flow_hit(&flow, changes, explanation).resting_on(facts));
    }
}
