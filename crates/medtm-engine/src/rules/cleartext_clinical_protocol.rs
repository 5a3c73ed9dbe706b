//! MTM016 `cleartext-clinical-protocol`: clinical data in a cleartext protocol on a hospital network.

use crate::context::RuleContext;
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::vocab::Vocabulary as _;

pub static RULE: Rule = Rule {
    code: "MTM016",
    name: "cleartext-clinical-protocol",
    title: "Clinical data in a cleartext protocol on the hospital network",
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &[319, 345],
    capec: &[94, 158],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    template: Template::READS_TRAFFIC,
    docs: Docs {
        detects: "A flow using DICOM without TLS, HL7 v2 over MLLP, SMB, Telnet or HTTP with \
                  `encryption: none`, where either end sits on a hospital network or clinical VLAN \
                  (or the system's `environment` is `hospital`).",
        why: "These protocols carry patient identities, orders and results in the clear and without \
              integrity protection. Anyone on the hospital network (assumed hostile) can read them, \
              and can alter an order or a result on its way, which leads to the wrong treatment.",
        mitigate: "Use the protocol's secure form (DICOM TLS, HL7 over TLS or a VPN tunnel, HTTPS, \
                   SSH, SMB 3 encryption), or, where the device cannot, transfer the risk to the \
                   hospital with labeling that requires an isolated network segment \
                   (`transfer cleartext-clinical-protocol on FLOW to hdo { labeling: \"...\" }`).",
        example: "flow ehr -> hl7_engine {\n  medium: ethernet\n  protocol: hl7v2_mllp\n  carries: [infusion_order]\n  encryption: none\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        let Some(protocol) = cx.cleartext_clinical_protocol(&flow) else { continue };
        // A response that carries nothing adds nothing to its request's finding.
        if flow.reverse && flow.carries().is_empty() {
            continue;
        }
        let carried = if flow.carries().is_empty() { String::from("data") } else { cx.describe_assets(flow.carries()) };
        let explanation = format!(
            "{} carries {carried} in cleartext {} on the hospital network",
            cx.describe_flow(&flow),
            protocol.as_str(),
        );
        hits.push(
            cx.flow_hit(&flow, flow.carries().to_vec(), explanation)
                .resting_on([flow.fact("encryption", flow.encryption())]),
        );
    }
}
