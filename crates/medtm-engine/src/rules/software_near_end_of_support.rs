//! MTM029 `software-near-end-of-support`: supported software whose support ends within a year.

use crate::context::RuleContext;
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_cvss::{AttackComplexity, AttackRequirements};
use medtm_model::vocab::Support;

pub static RULE: Rule = Rule {
    code: "MTM029",
    name: "software-near-end-of-support",
    title: "Software reaches end of support within a year",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[1104],
    capec: &[],
    attack_techniques: &[],
    family: Family::Software,
    when_named: &[],
    // A planning finding: nothing is exploitable yet, and it will take an unfixed flaw to be.
    template: Template {
        attack_complexity: AttackComplexity::High,
        attack_requirements: AttackRequirements::Present,
        ..Template::INDIRECT
    },
    docs: Docs {
        detects: "A software entry that a component uses, still maintained on the date of the \
                  analysis, whose `end_of_support` falls within the next 365 days. Past the date, \
                  `unsupported-software` takes over.",
        why: "Migrating a medical device to a new operating system or library takes design, \
              verification and often a regulatory submission. Started after support ends, the \
              migration leaves every deployed device without security fixes for as long as it \
              takes.",
        mitigate: "Plan the migration or an extended-support contract now, and tell customers when \
                   support ends (a Cybersecurity Bill of Materials with support dates). Record the \
                   plan as a control with `category: updatability` covering the software entry.",
        example: "software win10 {\n  version: \"1809\"\n  support: maintained\n  end_of_support: 2027-01-09\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    let Some(today) = cx.today else { return };
    for (id, software, users) in cx.used_software() {
        let Some(end) = software.end_of_support else { continue };
        let days = (end - today).get_days();
        if software.support.value != Support::Maintained || end < today || days > 365 {
            continue;
        }
        let when = match days {
            0 => format!("today ({end})"),
            1 => format!("on {end}, tomorrow"),
            _ => format!("on {end}, in {days} days"),
        };
        let explanation =
            format!("`{}` loses support {when}, and {} runs it", software.meta.id, cx.describe_elements(&users));
        hits.push(cx.software_hit(id, &users, explanation));
    }
}
