//! MTM023 `service-interface-takeover`: a service path that changes code, settings or secrets
//! trusts a weak or shared credential.

use crate::context::RuleContext;
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::vocab::{ActorRole, AssetKind, Authn, ComponentKind, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM023",
    name: "service-interface-takeover",
    title: "Service interface grants full control on weak authentication",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[285, 1390],
    capec: &[],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow from an actor with role service_tech or vendor_support, or from a component \
                  of kind service_tool, carrying firmware, config or credential assets into a \
                  component, with `authn` of none, implicit, password or shared_secret.",
        why: "Service interfaces can reflash firmware, change calibration and read out keys: full \
              control by design. Their passwords are typically shared across all technicians and \
              printed in manuals that circulate, so whoever obtains one, or a service tool, takes \
              over every device of the model.",
        mitigate: "Authenticate service access per technician and per device (`authn: \
                   per_device_key`, `mtls` or `smartcard`), authorise each service action, and log \
                   it off the device. Record it as a control with `category: authorization` \
                   covering the flow.",
        example: "actor biomed { role: service_tech, auth: password }\nflow biomed -> pump {\n  medium: serial\n  carries: [pump_firmware]\n  authn: password\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const POWERFUL: &[AssetKind] = &[AssetKind::Firmware, AssetKind::Config, AssetKind::Credential];
    for flow in cx.directed_flows() {
        let sender = cx.element(flow.from);
        let service = sender
            .as_actor()
            .is_some_and(|actor| matches!(actor.role.value, ActorRole::ServiceTech | ActorRole::VendorSupport))
            || sender.as_component().is_some_and(|component| component.kind.value == ComponentKind::ServiceTool);
        let weak = matches!(flow.authn().value, Authn::None | Authn::Implicit | Authn::Password | Authn::SharedSecret);
        if !service || !weak || cx.component(flow.to).is_none() {
            continue;
        }
        let changes = cx.of_kinds(flow.carries(), POWERFUL);
        if changes.is_empty() || hits.has_subject(flow.subject()) {
            continue;
        }
        let explanation = format!(
            "{} lets the service side change {} on {} with {} authentication",
            cx.describe_flow(&flow),
            cx.describe_assets(&changes),
            cx.describe_element(flow.to),
            flow.authn().value.as_str(),
        );
        // Service access gives control of the whole device, not only of what this flow carries.
        hits.push(cx.flow_hit(&flow, cx.component_assets(flow.to), explanation).resting_on([flow.authn_fact()]));
    }
}
