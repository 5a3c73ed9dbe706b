//! MTM011 `unprotected-windows`: a Windows host without anti-malware, open to ransomware.

use crate::context::RuleContext;
use crate::rule::{Docs, Fact, Family, Hits, Rule, Stride, Template};
use medtm_model::model::{Origin, Subject};
use medtm_model::vocab::{ControlCategory, Os};

pub static RULE: Rule = Rule {
    code: "MTM011",
    name: "unprotected-windows",
    title: "Windows host without anti-malware open to ransomware",
    stride: &[Stride::ElevationOfPrivilege, Stride::DenialOfService],
    cwe: &[1104, 693],
    capec: &[],
    attack_techniques: &["T1486", "T1210"],
    family: Family::Takeover,
    when_named: &[(
        ControlCategory::Integrity,
        "an integrity control that names no rule is taken for signed code, not for application allow-listing",
    )],
    // Ransomware and other malware must first reach the host: a condition of the attack.
    template: Template::POTENTIAL_FLAW,
    docs: Docs {
        detects: "A component whose `os` includes windows (stated, `unknown`, or by default for a \
                  workstation or server) and whose `antimalware` is false (stated, or by default).",
        why: "Windows hosts in hospitals are what ransomware and network worms go for. Without \
              anti-malware nothing detects or stops them, and an encrypted central station, \
              infusion server or modality workstation takes its clinical function down for every \
              patient who depends on it until it is rebuilt.",
        mitigate: "Run anti-malware or application allow-listing the manufacturer has validated, \
                   keep it updated, and send its alerts off the device. Set `antimalware: true` \
                   once done, or record allow-listing as a control with `category: integrity` and \
                   `mitigates: [unprotected-windows]` covering the component (managed patching \
                   and anti-malware updates: `category: updatability`).",
        example: "component pump_server {\n  kind: onprem_server\n  os: windows\n  antimalware: false\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, component) in cx.components() {
        if !component.runs(Os::Windows) || component.antimalware.value {
            continue;
        }
        let mut notes = Vec::new();
        match component.os.origin {
            Origin::Stated => {}
            Origin::Unknown => notes.push("its `os` is unknown, so Windows is assumed"),
            Origin::Default => notes.push("its `os` is not stated, so Windows is assumed"),
        }
        if !component.antimalware.is_stated() {
            notes.push("`antimalware` is not stated");
        }
        let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) };
        let explanation = format!("{} runs Windows without anti-malware{notes}", cx.describe_element(id));
        let owner = Subject::Element(id);
        let facts = [Fact::of(owner, "os", &component.os), Fact::of(owner, "antimalware", &component.antimalware)];
        hits.push(cx.element_hit(id, cx.component_assets(id), explanation).resting_on(facts));
    }
}
