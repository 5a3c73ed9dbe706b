//! MTM009 `open-debug-port`: a debug port is usable on production units.

use crate::context::{RuleContext, join_and};
use crate::rule::{Docs, Exposure, Fact, Family, Hit, Hits, Rule, Stride, Template};
use medtm_cvss::AttackVector;
use medtm_model::model::{Origin, Subject};
use medtm_model::vocab::{AssetKind, DebugPort, PortState, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM009",
    name: "open-debug-port",
    title: "Debug port open on production units",
    stride: &[Stride::Tampering, Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &[1191, 489],
    capec: &[121],
    attack_techniques: &[],
    family: Family::Takeover,
    when_named: &[],
    template: Template { attack_vector: Some(AttackVector::Physical), ..Template::FROM_MODEL },
    docs: Docs {
        detects: "A component with a jtag, swd, uart or usb_service port in state `open` (or \
                  `unknown`, taken as open) in its `debug_ports`. An open usb_host port is not \
                  reported here: it lets media in rather than giving control of the unit, and \
                  `removable-media-malware` judges it on components with safety functions.",
        why: "A JTAG or SWD probe reads out the firmware and every key in it, and writes new code; \
              a serial console often drops straight into a root shell. Devices are returned, resold, \
              stolen and left unattended in wards, so physical access is not rare, and the keys read \
              from one unit often open the fleet.",
        mitigate: "Remove or permanently disable debug interfaces on production units (readout \
                   protection, blown fuses), or gate them behind cryptographic authentication. Set \
                   the port to `removed`, `locked` or `authenticated` once done, or record a \
                   control with `category: integrity` covering the component.",
        example: "component pump {\n  kind: bedside\n  debug_ports: { uart: open, swd: locked }\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, component) in cx.components() {
        let open: Vec<(DebugPort, bool)> = component
            .debug_ports
            .iter()
            .filter(|(port, state)| *port != DebugPort::UsbHost && state.value == PortState::Open)
            .map(|(port, state)| (*port, state.origin == Origin::Unknown))
            .collect();
        if open.is_empty() {
            continue;
        }
        let names: Vec<String> = open.iter().map(|(port, _)| port.as_str().to_owned()).collect();
        let ports =
            if names.len() == 1 { format!("its {} port", names[0]) } else { format!("its {} ports", join_and(&names)) };
        let unknown: Vec<String> =
            open.iter().filter(|(_, unknown)| *unknown).map(|(port, _)| port.as_str().to_owned()).collect();
        let unknown_text = match unknown.len() {
            0 => String::new(),
            1 => format!(" (the state of {} is unknown, taken as open)", unknown[0]),
            _ => format!(" (the states of {} are unknown, taken as open)", join_and(&unknown)),
        };
        let assets = cx.component_assets(id);
        // The firmware is named anyway: list what else the unit gives away.
        let others: Vec<_> =
            assets.iter().copied().filter(|asset| !cx.asset(*asset).has_kind(AssetKind::Firmware)).collect();
        let explanation = if others.is_empty() {
            format!(
                "{} has {ports} open on production units{unknown_text}, giving whoever holds it its firmware",
                cx.describe_element(id)
            )
        } else {
            format!(
                "{} has {ports} open on production units{unknown_text}, giving whoever holds it its firmware and {}",
                cx.describe_element(id),
                cx.describe_assets(&others)
            )
        };
        let owner = Subject::Element(id);
        let facts = component
            .debug_ports
            .iter()
            .filter(|(port, state)| *port != DebugPort::UsbHost && state.value == PortState::Open)
            .map(|(port, state)| Fact::of(owner, port_attribute(*port), state));
        hits.push(Hit::new(owner, assets, explanation, Exposure::default()).resting_on(facts));
    }
}

/// The attribute a debug port's state is written in, for facts.
fn port_attribute(port: DebugPort) -> &'static str {
    match port {
        DebugPort::Jtag => "debug_ports.jtag",
        DebugPort::Swd => "debug_ports.swd",
        DebugPort::Uart => "debug_ports.uart",
        DebugPort::UsbService => "debug_ports.usb_service",
        DebugPort::UsbHost => "debug_ports.usb_host",
    }
}
