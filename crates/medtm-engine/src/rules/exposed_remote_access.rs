//! MTM022 `exposed-remote-access`: remote administration or file sharing reachable from a
//! hostile network with weak authentication.

use crate::context::{DirectedFlow, FILE_SHARING_PROTOCOLS, REMOTE_ADMIN_PROTOCOLS, RuleContext, is_network};
use crate::rule::{Docs, Fact, Family, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{Authn, Medium, Protocol, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM022",
    name: "exposed-remote-access",
    title: "Remote administration reachable from a hostile network",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[1390, 284],
    capec: &[555],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow in RDP, VNC, SSH, Telnet, SNMP, SMB, FTP or SFTP whose sender is an actor or \
                  sits in a hostile boundary, with `authn` of none, implicit or password; and such a service a component lists in \
                  `services` with that authentication, where a hostile network reaches the \
                  component (it sits in a hostile boundary, or a hostile sender reaches it over \
                  IP) and no flow in that protocol is drawn to it.",
        why: "Remote desktop, shells, device management and file sharing give control of the host they reach. Exposed to \
              a hostile network behind a password, they are what ransomware crews scan for and \
              brute-force first, and the host they open is often the one that programs the \
              devices.",
        mitigate: "Put remote access behind a gateway with multi-factor authentication and \
                   per-session approval, restrict it to named hosts, and log every session off the \
                   host. Record it as a control with `category: authorization` covering the flow.",
        example: "flow vendor_vpn -> pump_server {\n  medium: internet\n  protocol: rdp\n  authn: password\n}",
    },
    check,
};

/// Whether a protocol administers or shares the files of the host it reaches.
fn is_remote(protocol: Protocol) -> bool {
    REMOTE_ADMIN_PROTOCOLS.contains(&protocol) || FILE_SHARING_PROTOCOLS.contains(&protocol)
}

/// Whether an attacker can get past this authentication without holding anything unique.
fn is_weak(authn: Authn) -> bool {
    matches!(authn, Authn::None | Authn::Implicit | Authn::Password)
}

/// How a finding names the authentication the attacker faces.
fn described(authn: Authn) -> String {
    match authn {
        Authn::None => "no authentication".to_owned(),
        Authn::Implicit => "implicit trust alone".to_owned(),
        other => format!("{} authentication", other.as_str()),
    }
}

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    drawn_flows(cx, hits);
    listening_services(cx, hits);
}

/// Drawn flows in a remote-administration or file-sharing protocol from a hostile sender.
fn drawn_flows(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        let Some(protocol) = flow.protocols().iter().copied().find(|protocol| is_remote(*protocol)) else {
            continue;
        };
        // The remote session is opened by the client: the request leg, into the host.
        let sender_hostile = cx.element(flow.from).as_actor().is_some() || cx.model.in_hostile_boundary(flow.from);
        if flow.reverse || !is_weak(flow.authn().value) || !sender_hostile || hits.has_subject(flow.subject()) {
            continue;
        }
        let from = if cx.element(flow.from).as_actor().is_some() {
            format!("from actor {}", cx.describe_element(flow.from))
        } else {
            format!("from hostile {}", cx.describe_boundary_of(flow.from))
        };
        let explanation = format!(
            "{} opens {} on {} {from} with {}",
            cx.describe_flow(&flow),
            protocol.as_str(),
            cx.describe_element(flow.to),
            described(flow.authn().value),
        );
        let assets =
            if cx.component(flow.to).is_some() { cx.component_assets(flow.to) } else { flow.carries().to_vec() };
        hits.push(cx.flow_hit(&flow, assets, explanation).resting_on([flow.authn_fact()]));
    }
}

/// Services a component listens on (`services`) with weak authentication, where a hostile
/// network reaches it: it sits in a hostile boundary, or a hostile sender reaches it over IP. A
/// service with a flow drawn in its protocol is judged as that flow.
fn listening_services(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, component) in cx.components() {
        if component.services.is_empty() {
            continue;
        }
        let hostile_over_ip = |leg: &DirectedFlow<'_>| {
            let sender_hostile = cx.element(leg.from).as_actor().is_some() || cx.model.in_hostile_boundary(leg.from);
            sender_hostile && leg.media().iter().any(|medium| is_network(*medium))
        };
        if !cx.model.in_hostile_boundary(id) && !cx.arriving(id).any(|leg| hostile_over_ip(&leg)) {
            continue;
        }
        for (protocol, authn) in &component.services {
            let drawn = cx.arriving(id).any(|leg| leg.protocols().contains(protocol));
            if !is_remote(*protocol) || !is_weak(authn.value) || drawn {
                continue;
            }
            let explanation = format!(
                "{} listens for {} with {}, and a hostile network reaches it",
                cx.describe_element(id),
                protocol.as_str(),
                described(authn.value),
            );
            let mut hit = cx.element_hit(id, cx.component_assets(id), explanation);
            // The service is on the network whatever the drawn flows use, and the attacker faces
            // its own authentication.
            if !hit.exposure.media.iter().any(|medium| is_network(*medium)) {
                hit.exposure.media.push(Medium::Network);
            }
            hit.exposure.authn = Some(authn.value);
            hits.push(hit.resting_on([Fact::of(Subject::Element(id), "services", authn)]));
        }
    }
}
