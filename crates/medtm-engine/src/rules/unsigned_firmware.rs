//! MTM007 `unsigned-firmware`: a device installs code whose origin it does not verify.

use crate::context::RuleContext;
use crate::rule::{Docs, Hit, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM007",
    name: "unsigned-firmware",
    title: "Device installs firmware that is not signed",
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &[494, 347],
    capec: &[186, 657],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity, ControlCategory::Updatability],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A component whose `update` map says updates are supported but not signed \
                  (`signed: false`, stated or by default), including a medical device whose update \
                  mechanism the model does not describe. The attacker reaches it through the flows \
                  that bring it firmware.",
        why: "Whoever can deliver an update, from a compromised update server, a spoofed service \
              tool or a man in the middle, replaces the device's code. Malicious firmware can \
              deliver any therapy, hide its own presence and survive every later check, on every \
              device that takes the update.",
        mitigate: "Sign firmware with a key held in an HSM and have the device verify the signature \
                   (and version) before installing, with the verification key in immutable \
                   storage. Set `update: { signed: true }` once done, or record a control with \
                   `category: integrity` covering the component.",
        example: "component pump {\n  kind: bedside\n  update: { signed: false }\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, component) in cx.components() {
        let update = &component.update;
        if !cx.updates_known(component) || !update.supported.value || update.signed.value {
            continue;
        }
        let assumed = if update.signed.is_stated() { "" } else { " (the model does not say they are signed)" };
        let explanation =
            format!("{} installs firmware updates without verifying a signature{assumed}", cx.describe_element(id));
        hits.push(Hit {
            subject: Subject::Element(id),
            assets: cx.component_assets(id),
            explanation,
            exposure: cx.firmware_exposure(id),
        });
    }
}
