//! MTM007 `unsigned-firmware`: a component installs firmware without verifying a signature.

use std::collections::BTreeMap;

use crate::context::{RuleContext, SAFETY_KINDS};
use crate::rule::{Docs, Fact, Family, Hit, Hits, Rule, Stride, Template};
use medtm_model::model::{AssetId, Component, ElementId, Origin, Subject};
use medtm_model::vocab::{AssetKind, ComponentKind, Integrity, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM007",
    name: "unsigned-firmware",
    title: "Device installs firmware that is not signed",
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &[494, 347],
    capec: &[186, 657],
    attack_techniques: &[],
    family: Family::Takeover,
    when_named: &[],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A component whose `update` map says updates are supported but not signed \
                  (`signed: false`, stated or by default), including a medical device (implant, \
                  wearable, bedside, controller, modality) whose `update` the model does not \
                  describe. Also a flow that brings firmware into a component that keeps it (does \
                  not pass the same firmware on) with an `integrity` other than `signature`; update \
                  servers and signing services, which hand firmware on or sign it, are not judged \
                  on what they receive, nor is a component whose update says `supported: false`.",
        why: "Whoever can deliver an update, from a compromised update server, a spoofed service \
              tool or a position on the network, replaces the device's code. Malicious firmware \
              can deliver any therapy, silence alarms, falsify readings, hide itself and survive \
              every later check, on every device that takes the update.",
        mitigate: "Sign firmware with a key held in an HSM and have the device verify the signature \
                   (and the version) before installing, with the verification key in immutable \
                   storage. Record it in the model as `update: { signed: true }` on the component \
                   and `integrity: signature` on the flows that bring firmware, or as a control \
                   with `category: integrity` covering the component or the flow.",
        example: "component pump {\n  kind: bedside\n  update: { signed: false }\n}\n\
                  flow fw_push: server -> pump {\n  carries: [pump_firmware]\n  integrity: crc\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    let mut keepers = Vec::new();
    for (id, _, component) in cx.components() {
        let update = &component.update;
        if cx.updates_known(component) && update.supported.value && !update.signed.value {
            hits.push(unsigned_updates(cx, id, component));
        } else if update.supported.value
            && !matches!(component.kind.value, ComponentKind::UpdateServer | ComponentKind::SigningService)
        {
            keepers.push((id, component));
        }
    }
    for (id, component) in &keepers {
        unprotected_firmware_flows(cx, *id, component, hits);
    }
}

/// The component's own update mechanism does not check signatures.
fn unsigned_updates(cx: &RuleContext<'_>, id: ElementId, component: &Component) -> Hit {
    let update = &component.update;
    let assumed = if update.described {
        update.signed.unstated_note("signed")
    } else {
        " (its `update` is not described, so unsigned updates are assumed)".to_owned()
    };
    let assets = at_stake(cx, id);
    let explanation = format!(
        "{} installs firmware updates without verifying a signature{assumed}{}",
        cx.describe_element(id),
        controlled(cx, &assets)
    );
    let owner = Subject::Element(id);
    let facts = [Fact::of(owner, "update.signed", &update.signed), Fact::of(owner, "kind", &component.kind)];
    Hit::new(owner, assets, explanation, cx.firmware_exposure(id)).resting_on(facts)
}

/// Firmware that the component keeps arrives without a signature on the leg that brings it.
fn unprotected_firmware_flows(cx: &RuleContext<'_>, id: ElementId, component: &Component, hits: &mut Hits) {
    // How many legs pass each firmware asset on: a component that forwards an image is a
    // relay, and the component that keeps it is judged instead.
    let mut forwarded: BTreeMap<AssetId, usize> = BTreeMap::new();
    for flow in cx.leaving(id) {
        for asset in cx.of_kinds(flow.carries(), &[AssetKind::Firmware]) {
            *forwarded.entry(asset).or_default() += 1;
        }
    }
    let mut stake: Option<Vec<AssetId>> = None;
    for flow in cx.arriving(id) {
        if flow.integrity().value == Integrity::Signature || hits.has_subject(flow.subject()) {
            continue;
        }
        let kept: Vec<AssetId> = cx
            .of_kinds(flow.carries(), &[AssetKind::Firmware])
            .into_iter()
            .filter(|asset| !forwarded.contains_key(asset))
            .collect();
        if kept.is_empty() {
            continue;
        }
        let integrity = match (flow.integrity().origin, flow.integrity().value) {
            (Origin::Unknown, _) => "with an integrity check the model marks unknown".to_owned(),
            (_, Integrity::None) => "with no integrity check".to_owned(),
            (_, Integrity::Mac) => "checked only by a mac that anyone holding the key can forge".to_owned(),
            (_, other) => format!("checked only by a {} that anyone can recompute", other.as_str()),
        };
        let contradiction = if component.update.signed.value {
            format!(" ({}'s `update` says signed, the flow does not)", cx.describe_element(id))
        } else {
            String::new()
        };
        // The kept firmware is among the component's assets (it arrives on this leg); computed
        // once per component, so that a component with many flows stays linear.
        let assets = stake.get_or_insert_with(|| at_stake(cx, id)).clone();
        let explanation = format!(
            "{} brings {} to {} {integrity}{contradiction}{}",
            cx.describe_flow(&flow),
            cx.describe_assets(&kept),
            cx.describe_element(id),
            controlled(cx, &assets),
        );
        hits.push(cx.flow_hit(&flow, assets, explanation).resting_on([flow.fact("integrity", flow.integrity())]));
    }
}
/// What forged code puts at stake: the firmware reaching the component (carried in by its flows)
/// and the safety-relevant assets it acts on.
fn at_stake(cx: &RuleContext<'_>, id: ElementId) -> Vec<AssetId> {
    cx.of_kinds(&cx.component_assets(id), SAFETY_KINDS)
}

/// ", so forged code would control `x` (catastrophic)", naming what the code acts on (not the
/// firmware itself); empty when it acts on nothing the model names.
fn controlled(cx: &RuleContext<'_>, assets: &[AssetId]) -> String {
    let acted_on: Vec<AssetId> =
        assets.iter().copied().filter(|asset| !cx.asset(*asset).has_kind(AssetKind::Firmware)).collect();
    if acted_on.is_empty() {
        String::new()
    } else {
        format!(", so forged code would control {}", cx.describe_assets(&acted_on))
    }
}
