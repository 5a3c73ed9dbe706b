//! MTM005 `fleet-shared-secret`: one secret, the same in every unit, authenticates a whole fleet.

use crate::context::{DirectedFlow, RuleContext};
use crate::rule::{Docs, Fact, Family, Hits, Rule, Stride, Template};
use medtm_cvss::AttackRequirements;
use medtm_model::model::{AssetId, ElementId};
use medtm_model::vocab::{AssetKind, Authn, Integrity, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM005",
    name: "fleet-shared-secret",
    title: "One extracted key opens every device of the fleet",
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &[798, 1392, 321],
    capec: &[70, 191, 37],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    // The secret must first be read out of a unit (or an app): a condition of the attack.
    template: Template { attack_requirements: AttackRequirements::Present, ..Template::FROM_MODEL },
    docs: Docs {
        detects: "A flow with `authn: shared_secret` or `fleet_key` into a component or store, where \
                  the receiver, or the sender, is a component deployed in more than one unit \
                  (`count` > 1): every unit, or every copy of the app, holds the same secret. A \
                  receiving fleet is opened by the key; a sending fleet can be impersonated with it, \
                  unit by unit. Content signed end to end (`integrity: signature`) is verified \
                  against the signer, not the sender, so only what it carries of phi, pii, \
                  credentials and keys stays at stake; a flow carrying nothing else is left out.",
        why: "Secrets stored on devices in the field get extracted: from a unit bought second-hand, \
              through a debug port, from the app's package. With a shared secret, one extraction \
              lets the attacker talk to every device of the fleet as a legitimate peer, or pose as \
              any of them, so one afternoon in a lab becomes a threat to every patient using the \
              product.",
        mitigate: "Give every device its own key or certificate, provisioned at manufacturing and \
                   stored in secure hardware (`authn: per_device_key` or `mtls`), so that one \
                   extracted key opens one device, and state it on the flow. Where the shared \
                   secret must stay for now, keys diversified per unit from a master held only in \
                   a server's HSM are a control with `category: cryptography` covering the flow.",
        example: "flow library_push: pump_server -> pump {\n  medium: wifi\n  authn: fleet_key\n}",
    },
    check,
};

/// The assets an attacker holding the shared secret can forge or read on the flow.
fn at_stake(cx: &RuleContext<'_>, flow: &DirectedFlow<'_>) -> Vec<AssetId> {
    if flow.integrity().value != Integrity::Signature {
        return flow.carries().to_vec();
    }
    // Signed content is checked against the signer: a forged sender gains only what it can read.
    cx.of_kinds(flow.carries(), &[AssetKind::Phi, AssetKind::Pii, AssetKind::Credential, AssetKind::CryptoKey])
}

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    let fleet_size =
        |end: ElementId| cx.component(end).map(|component| component.count.value).filter(|count| *count > 1);
    for flow in cx.directed_flows() {
        let authn = flow.authn().value;
        if !matches!(authn, Authn::SharedSecret | Authn::FleetKey) || cx.element(flow.to).as_actor().is_some() {
            continue;
        }
        let assets = at_stake(cx, &flow);
        if assets.is_empty() {
            continue;
        }
        let explanation = if let Some(count) = fleet_size(flow.to) {
            format!(
                "{} authenticates with a {} that all {count} units of {} accept: extracting it from one unit opens every one",
                cx.describe_flow(&flow),
                authn.as_str(),
                cx.describe_element(flow.to),
            )
        } else if let Some(count) = fleet_size(flow.from) {
            format!(
                "{} authenticates with a {} that all {count} units of {} hold: extracting it from one unit lets an attacker pose as any of them to {}",
                cx.describe_flow(&flow),
                authn.as_str(),
                cx.describe_element(flow.from),
                cx.describe_element(flow.to),
            )
        } else {
            continue;
        };
        let facts = [
            flow.authn_fact(),
            cx.component(flow.to)
                .and_then(|c| Fact::of(medtm_model::model::Subject::Element(flow.to), "count", &c.count)),
        ];
        hits.push(cx.flow_hit(&flow, assets, explanation).resting_on(facts));
    }
}
