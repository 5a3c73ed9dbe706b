//! MTM005 `fleet-shared-secret`: one secret authenticates a whole fleet of devices.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{Authn, ControlCategory, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM005",
    name: "fleet-shared-secret",
    title: "One extracted key opens every device of the fleet",
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &[798, 1392, 321],
    capec: &[70, 191, 37],
    attack_techniques: &[],
    categories: &[ControlCategory::Authentication, ControlCategory::Cryptography],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow with `authn: shared_secret` or `fleet_key` where either end is a component \
                  deployed in more than one unit (`count` > 1): every unit, or every copy of the app, \
                  holds the same secret.",
        why: "Secrets stored on devices in the field get extracted: from a unit bought second-hand, \
              through a debug port, from the app's package. With a shared secret, one extraction \
              lets the attacker talk to every device of the fleet as a legitimate peer, so one \
              afternoon in a lab becomes a threat to every patient using the product.",
        mitigate: "Give every device its own key or certificate, provisioned at manufacturing and \
                   stored in secure hardware (`authn: per_device_key` or `mtls`), so that one \
                   extracted key opens one device. Record it as a control with `category: \
                   cryptography` covering the flow.",
        example: "flow library_push: pump_server -> pump {\n  medium: wifi\n  authn: fleet_key\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, flow) in cx.flows() {
        let authn = flow.authn.value;
        if !matches!(authn, Authn::SharedSecret | Authn::FleetKey) {
            continue;
        }
        let fleet = [flow.to, flow.from]
            .into_iter()
            .filter_map(|end| cx.component(end).map(|component| (end, component.count.value)))
            .filter(|(_, count)| *count > 1)
            .max_by_key(|(_, count)| *count);
        let Some((end, count)) = fleet else { continue };
        if hits.has_subject(Subject::Flow(id)) {
            continue;
        }
        let directed = cx.forward(id);
        let explanation = format!(
            "{} authenticates with a {} that all {count} units of {} share: extracting it from one unit opens every one",
            cx.describe_flow(&directed),
            authn.as_str(),
            cx.describe_element(end),
        );
        hits.push(cx.flow_hit(&directed, flow.carries.clone(), explanation));
    }
}
