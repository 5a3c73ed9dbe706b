//! MTM026 `phi-to-third-party`: patient data flows to a party outside the maker's and the hospital's control.

use crate::context::RuleContext;
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::model::{BoundaryId, ElementId};
use medtm_model::vocab::{AssetKind, BoundaryKind};

pub static RULE: Rule = Rule {
    code: "MTM026",
    name: "phi-to-third-party",
    title: "Patient data leaves to a third party",
    stride: &[Stride::InformationDisclosure],
    cwe: &[359],
    capec: &[],
    attack_techniques: &[],
    family: Family::Privacy,
    when_named: &[],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow carrying phi or pii whose receiver sits in a boundary of kind third_party or \
                  vendor_network, at any depth of nesting, unless the sender already sits inside \
                  that same party's boundary (the data does not leave it). The outermost such \
                  boundary around the receiver names the party.",
        why: "Once patient data reaches a vendor's support network or another company's service, \
              its protection depends on controls the maker and the hospital neither run nor see. A \
              breach there exposes every patient whose data was sent, and data sent for support \
              tends to be kept long after it was needed.",
        mitigate: "Send only what the third party needs, de-identified or pseudonymised where \
                   possible, under a business associate agreement that fixes retention and breach \
                   notification, and encrypt it end to end. Record de-identification as a control \
                   with `category: confidentiality` covering the flow (its default effect is \
                   `C: L`); the agreement itself can transfer the residual risk \
                   (`transfer phi-to-third-party on FLOW to third_party`).",
        example: "flow pump_server -> vendor_portal {\n  medium: internet\n  carries: [patient_data]\n}",
    },
    check,
};

/// The outermost third-party or vendor boundary around an element: the party that runs it.
fn party(cx: &RuleContext<'_>, element: ElementId) -> Option<BoundaryId> {
    cx.model
        .boundary_chain(cx.element(element).boundary)
        .filter(|boundary| {
            matches!(cx.model.boundary(*boundary).kind.value, BoundaryKind::ThirdParty | BoundaryKind::VendorNetwork)
        })
        .last()
}

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        let Some(party) = party(cx, flow.to) else { continue };
        if cx.model.boundary_chain(cx.element(flow.from).boundary).any(|boundary| boundary == party) {
            continue;
        }
        let personal = cx.of_kinds(flow.carries(), &[AssetKind::Phi, AssetKind::Pii]);
        if personal.is_empty() || hits.has_subject(flow.subject()) {
            continue;
        }
        let boundary = cx.model.boundary(party);
        let whose = match boundary.kind.value {
            BoundaryKind::VendorNetwork => "on the vendor's network",
            _ => "at the third party",
        };
        let explanation = format!(
            "{} sends {} to {} {whose} `{}`",
            cx.describe_flow(&flow),
            cx.describe_assets(&personal),
            cx.describe_element(flow.to),
            boundary.meta.id,
        );
        hits.push(cx.flow_hit(&flow, personal, explanation));
    }
}
