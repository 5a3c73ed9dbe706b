//! MTM014 `safety-link-flooding`: a safety function depends on a link anyone nearby or on the
//! network can flood or jam.

use std::collections::BTreeMap;

use crate::context::{RuleContext, is_network, is_wireless};
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_cvss::AttackRequirements;
use medtm_model::model::{AssetId, Component};
use medtm_model::vocab::AssetKind;

pub static RULE: Rule = Rule {
    code: "MTM014",
    name: "safety-link-flooding",
    title: "Flooding or jamming a link stops a safety function",
    stride: &[Stride::DenialOfService],
    cwe: &[400, 770],
    capec: &[125, 601, 604],
    attack_techniques: &[],
    family: Family::Flooding,
    when_named: &[],
    // Denying a function takes sustained presence in range or on the network for as long as
    // the function is needed: a condition of the deployment, not a single packet.
    template: Template { attack_requirements: AttackRequirements::Present, ..Template::FROM_MODEL },
    docs: Docs {
        detects: "A flow over a wireless or network medium that carries therapy, monitoring, alarm \
                  or diagnostic assets into a component with a safety function, or carries an alarm \
                  to a person (an actor). Every such link is reported, also when other links bring the \
                  same data; the finding says when it is the only one.",
        why: "Radio can be jammed and networks flooded without breaking any cryptography. When the \
              only path for an alarm, a reading or a therapy command is such a link, an attacker \
              nearby or on the network silences the alarm or stops the therapy, and the patient \
              is not watched while everyone believes they are.",
        mitigate: "Detect loss of the link quickly and alarm locally, fall back to a safe state or a \
                   second path, rate-limit and prioritise safety traffic, and tell the hospital \
                   what the device needs from its network. Record it as a control with \
                   `category: resiliency` covering the flow.",
        example: "flow alarm_gw -> nurse {\n  medium: wifi\n  carries: [alarm]\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const SAFETY_DATA: &[AssetKind] =
        &[AssetKind::Therapy, AssetKind::Monitoring, AssetKind::Alarm, AssetKind::Diagnostic];
    const ALARMS: &[AssetKind] = &[AssetKind::Alarm];
    for (id, element) in cx.elements() {
        let to_person = element.as_actor().is_some();
        let kinds = if to_person {
            ALARMS
        } else if element.as_component().is_some_and(Component::has_safety_function) {
            SAFETY_DATA
        } else {
            continue;
        };
        // How many legs bring each asset in, to tell a sole link from one of several.
        let mut links: BTreeMap<AssetId, usize> = BTreeMap::new();
        for flow in cx.arriving(id) {
            for asset in cx.of_kinds(flow.carries(), kinds) {
                *links.entry(asset).or_default() += 1;
            }
        }
        for flow in cx.arriving(id) {
            let media = flow.media();
            let radio = media.iter().any(|medium| is_wireless(*medium));
            if !radio && !media.iter().any(|medium| is_network(*medium)) {
                continue;
            }
            let relevant = cx.of_kinds(flow.carries(), kinds);
            if relevant.is_empty() {
                continue;
            }
            let only = relevant.iter().all(|asset| links.get(asset) == Some(&1));
            let verb = if to_person { "learns of" } else { "receives" };
            let attack = if radio { "jammed or flooded" } else { "flooded" };
            let explanation = format!(
                "{} {verb} {} {}through {} over {}, which can be {attack}",
                cx.describe_element(id),
                cx.describe_assets(&relevant),
                if only { "only " } else { "" },
                cx.describe_flow(&flow),
                cx.describe_media(&flow),
            );
            hits.push(cx.flow_hit(&flow, relevant, explanation).resting_on([flow.fact("medium", &flow.flow.media)]));
        }
    }
}
