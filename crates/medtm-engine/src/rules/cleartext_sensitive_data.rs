//! MTM003 `cleartext-sensitive-data`: patient data, secrets or configuration cross a trust
//! boundary without encryption.

use crate::context::{RuleContext, SECRET_KINDS, is_local_only};
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::{ControlCategory, Encryption, Protocol};

pub static RULE: Rule = Rule {
    code: "MTM003",
    name: "cleartext-sensitive-data",
    title: "Sensitive data crosses a trust boundary unencrypted",
    stride: &[Stride::InformationDisclosure],
    cwe: &[319, 311],
    capec: &[157, 158],
    attack_techniques: &[],
    categories: &[ControlCategory::Cryptography, ControlCategory::Confidentiality],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow whose two ends sit in different trust boundaries, with `encryption: none` \
                  (or none stated), that carries phi, pii, credential, crypto_key or config assets. \
                  Flows only through a device's own user interface or inside one device (`ui`, `ipc`) \
                  are left out, and so are HL7 v2, DICOM, SMB, Telnet and HTTP on a hospital network, \
                  which `cleartext-clinical-protocol` reports.",
        why: "Whoever can listen on the path between the zones reads the data: patient records in \
              bulk, passwords and keys that open the devices, drug libraries that reveal how to \
              harm. A leaked credential or key turns an eavesdropper into an attacker who can \
              command the device.",
        mitigate: "Encrypt the flow end to end (`encryption: tls1_3` or `message`) with keys unique \
                   to each device, and keep secrets off the wire where possible. Record it as a \
                   control with `category: cryptography` covering the flow.",
        example: "flow pump -> pump_server {\n  medium: wifi\n  carries: [patient_data]\n  encryption: none\n}",
    },
    check,
};

const CLEARTEXT_CLINICAL: &[Protocol] =
    &[Protocol::Dicom, Protocol::Hl7v2Mllp, Protocol::Smb, Protocol::Telnet, Protocol::Http];

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, flow) in cx.flows() {
        if flow.encryption.value != Encryption::None || is_local_only(flow) || !cx.model.crosses_boundary(id) {
            continue;
        }
        if flow.protocols.value.iter().any(|protocol| CLEARTEXT_CLINICAL.contains(protocol)) {
            continue;
        }
        let secrets = cx.of_kinds(&flow.carries, SECRET_KINDS);
        if secrets.is_empty() {
            continue;
        }
        let directed = cx.forward(id);
        let explanation = format!(
            "{} carries {} from {} to {} without encryption",
            cx.describe_flow(&directed),
            cx.describe_assets(&secrets),
            cx.describe_boundary_of(flow.from),
            cx.describe_boundary_of(flow.to),
        );
        hits.push(cx.flow_hit(&directed, secrets, explanation));
    }
}
