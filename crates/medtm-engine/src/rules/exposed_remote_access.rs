//! MTM022 `exposed-remote-access`: remote administration or file sharing reachable from a
//! hostile network with weak authentication.

use crate::context::{FILE_SHARING_PROTOCOLS, REMOTE_ADMIN_PROTOCOLS, RuleContext};
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::vocab::{Authn, Protocol, Vocabulary as _};

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
                  sits in a hostile boundary, with `authn` of none, implicit or password.",
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

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        let remote = |protocol: &&Protocol| {
            REMOTE_ADMIN_PROTOCOLS.contains(protocol) || FILE_SHARING_PROTOCOLS.contains(protocol)
        };
        let Some(protocol) = flow.protocols().iter().find(remote) else {
            continue;
        };
        // The remote session is opened by the client: the request leg, into the host.
        let weak = matches!(flow.authn().value, Authn::None | Authn::Implicit | Authn::Password);
        let sender_hostile = cx.element(flow.from).as_actor().is_some() || cx.model.in_hostile_boundary(flow.from);
        if flow.reverse || !weak || !sender_hostile || hits.has_subject(flow.subject()) {
            continue;
        }
        let from = if cx.element(flow.from).as_actor().is_some() {
            format!("from actor {}", cx.describe_element(flow.from))
        } else {
            format!("from hostile {}", cx.describe_boundary_of(flow.from))
        };
        let authentication = match flow.authn().value {
            Authn::None => "no authentication".to_owned(),
            Authn::Implicit => "implicit trust alone".to_owned(),
            other => format!("{} authentication", other.as_str()),
        };
        let explanation = format!(
            "{} opens {} on {} {from} with {authentication}",
            cx.describe_flow(&flow),
            protocol.as_str(),
            cx.describe_element(flow.to),
        );
        let assets =
            if cx.component(flow.to).is_some() { cx.component_assets(flow.to) } else { flow.carries().to_vec() };
        hits.push(cx.flow_hit(&flow, assets, explanation).resting_on([flow.authn_fact()]));
    }
}
