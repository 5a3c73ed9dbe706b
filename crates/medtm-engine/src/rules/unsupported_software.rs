//! MTM010 `unsupported-software`: software that no longer receives security fixes.

use crate::context::RuleContext;
use crate::rule::{Docs, Fact, Family, Hits, Rule, Stride, Template};
use medtm_model::model::Origin;
use medtm_model::vocab::{Support, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM010",
    name: "unsupported-software",
    title: "Software without security fixes",
    stride: &[Stride::ElevationOfPrivilege, Stride::DenialOfService],
    cwe: &[1104, 1395],
    capec: &[],
    attack_techniques: &["T1210"],
    family: Family::Software,
    when_named: &[],
    // Exploiting it takes a vulnerability that stays unfixed and is reachable: likely over time,
    // but a condition of the attack the model does not state.
    template: Template::POTENTIAL_FLAW,
    docs: Docs {
        detects: "A software entry that some component lists in its `software`, whose `support` is \
                  unmaintained or abandoned (an unknown or missing `support` is taken as abandoned), \
                  or whose `end_of_support` date is before the date of the analysis. The components \
                  running it give its exposure and what they handle is at stake.",
        why: "Vulnerabilities keep being found in software after its supplier stops fixing them, and \
              exploits for them are public. Every component running it stays exploitable for the \
              rest of its service life, which for medical devices is often a decade, and network \
              worms and ransomware target exactly such systems.",
        mitigate: "Migrate to a supported version or supplier, or contract extended support; until \
                   then, isolate the components and monitor them. Record compensating measures as \
                   controls with `category: updatability` covering the software entry, or accept the \
                   risk with a `review_by` date.",
        example: "software mbedtls {\n  version: \"2.16.12\"\n  support: unmaintained\n  end_of_support: 2021-12-31\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, software, users) in cx.used_software() {
        let ended = software.end_of_support.zip(cx.today).filter(|(end, today)| end < today).map(|(end, _)| end);
        let status = match software.support.origin {
            Origin::Stated => format!("is {}", software.support.value.as_str()),
            Origin::Unknown => "has an unknown support status, taken as abandoned".to_owned(),
            Origin::Default => "has no stated support status, taken as abandoned".to_owned(),
        };
        let reason = match (software.support.value, ended) {
            (Support::Unmaintained | Support::Abandoned, Some(end)) => {
                format!("{status} and its support ended on {end}")
            }
            (Support::Unmaintained | Support::Abandoned, None) => status,
            (Support::Maintained, Some(end)) => format!("reached its end of support on {end}"),
            (Support::Maintained, None) => continue,
        };
        let version = software.version.as_deref().map_or_else(String::new, |version| format!(" {version}"));
        let explanation =
            format!("`{}`{version} {reason}, and {} runs it", software.meta.id, cx.describe_elements(&users));
        let facts = [Fact::of(medtm_model::model::Subject::Software(id), "support", &software.support)];
        hits.push(cx.software_hit(id, &users, explanation).resting_on(facts));
    }
}
