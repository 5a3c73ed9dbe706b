//! MTM026 `phi-to-third-party`: patient data flows to a party outside the maker's and the
//! hospital's control.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{AssetKind, BoundaryKind, ControlCategory};

pub static RULE: Rule = Rule {
    code: "MTM026",
    name: "phi-to-third-party",
    title: "Patient data leaves to a third party",
    stride: &[Stride::InformationDisclosure],
    cwe: &[359],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Confidentiality],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow carrying phi or pii whose receiver sits in a boundary of kind third_party or \
                  vendor_network (at any depth of nesting).",
        why: "Once patient data reaches a vendor's support network or another company's service, \
              its protection depends on controls the maker and the hospital neither run nor see. A \
              breach there exposes every patient whose data was sent, and data sent for support \
              tends to be kept long after it was needed.",
        mitigate: "Send only what the third party needs, de-identified where possible, under a \
                   business associate agreement that fixes retention and breach notification; \
                   encrypt it end to end. Record it as a control with `category: confidentiality` \
                   covering the flow.",
        example: "flow pump_server -> vendor_portal {\n  medium: internet\n  carries: [patient_data]\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const OUTSIDE: &[BoundaryKind] = &[BoundaryKind::ThirdParty, BoundaryKind::VendorNetwork];
    for flow in cx.directed_flows() {
        if !cx.in_boundary_of(flow.to, OUTSIDE) || cx.in_boundary_of(flow.from, OUTSIDE) {
            continue;
        }
        let personal = cx.of_kinds(&flow.flow.carries, &[AssetKind::Phi, AssetKind::Pii]);
        if personal.is_empty() || hits.has_subject(Subject::Flow(flow.id)) {
            continue;
        }
        let explanation = format!(
            "{} sends {} to {} in {}",
            cx.describe_flow(&flow),
            cx.describe_assets(&personal),
            cx.describe_element(flow.to),
            cx.describe_boundary_of(flow.to),
        );
        hits.push(cx.flow_hit(&flow, personal, explanation));
    }
}
