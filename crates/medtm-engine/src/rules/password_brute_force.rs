//! MTM006 `password-brute-force`: a password can be guessed because nothing limits attempts.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{Authn, ControlCategory};

pub static RULE: Rule = Rule {
    code: "MTM006",
    name: "password-brute-force",
    title: "Password can be guessed without lockout",
    stride: &[Stride::Spoofing],
    cwe: &[307],
    capec: &[49, 112],
    attack_techniques: &[],
    categories: &[ControlCategory::Authentication],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow into a component with `authn: password`. A control of category \
                  authentication that covers the flow or the component (a lockout, rate limiting, a \
                  second factor) mitigates it.",
        why: "Passwords on devices and clinical portals are short, shared between staff and rarely \
              changed. Without a limit on attempts, an attacker who can reach the login tries them \
              until one works, and then acts with that user's rights on the device or the patient's \
              data.",
        mitigate: "Lock out or slow down after repeated failures, alert on bursts of failures, and \
                   prefer multi-factor or smartcard login for clinical roles. Record it as a \
                   control with `category: authentication` covering the flow or the component.",
        example: "flow clinician -> portal {\n  medium: internet\n  authn: password\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        if flow.flow.authn.value != Authn::Password || cx.component(flow.to).is_none() {
            continue;
        }
        if hits.has_subject(Subject::Flow(flow.id)) {
            continue;
        }
        // A guessed password gives the session's rights on the receiver: everything it handles.
        let at_stake = cx.component_assets(flow.to);
        let explanation = format!(
            "{} accepts a password over {}, which can be guessed unless {} limits attempts",
            cx.describe_flow(&flow),
            cx.describe_media(flow.flow),
            cx.describe_element(flow.to),
        );
        hits.push(cx.flow_hit(&flow, at_stake, explanation));
    }
}
