//! MTM001 `unauthenticated-command`: a device accepts therapy, alarm or configuration commands
//! from a sender it cannot identify.

use crate::context::{COMMAND_KINDS, RuleContext};
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template, Touches};
use medtm_model::vocab::{Authn, Medium, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM001",
    name: "unauthenticated-command",
    title: "Command accepted from a controller the device cannot identify",
    stride: &[Stride::Spoofing],
    cwe: &[306, 287],
    capec: &[151, 115],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    // A forged command changes what the device does, and can stop it: integrity and
    // availability.
    template: Template { touches: Some(Touches::INTEGRITY_AVAILABILITY), ..Template::FROM_MODEL },
    docs: Docs {
        detects: "A flow that carries therapy, alarm or configuration assets into a component whose \
                  authentication (`authn`) is `none`, `implicit`, `shared_secret` or `fleet_key`: \
                  none of them tells the receiving device which controller sent the command. Input \
                  through the device's own user interface (`medium: ui`) is left to \
                  `single-factor-therapy-access`. On the response leg of a `<->` flow (`returns`), \
                  only a client with `functions` counts: one that fetches its commands acts on \
                  them, one that reads settings back does not. On the request leg, what a stated \
                  response carries is handed to whoever sent the command: its confidentiality \
                  counts in the score.",
        why: "Anyone who can reach the link can pose as the app, programmer or server and command \
              the device: start a bolus, change a rate, silence an alarm. The harm is the harm of the \
              command, up to the patient's death, and needs no access to the legitimate controller.",
        mitigate: "Authenticate every command with a key unique to each paired controller \
                   (`authn: per_device_key` or `mtls`), or require a confirmation on the device \
                   itself. Record it as a control with `category: authentication` covering the flow; \
                   a confirmation that an attacker cannot give remotely can set `effect: { AV: P }`.",
        example: "flow bolus: app -> pump {\n  medium: ble\n  carries: [bolus_command]\n  authn: shared_secret\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        let authn = flow.authn();
        let weak = matches!(authn.value, Authn::None | Authn::Implicit | Authn::SharedSecret | Authn::FleetKey);
        let through_ui_only = flow.media().iter().all(|medium| *medium == Medium::Ui);
        let Some(receiver) = cx.component(flow.to) else { continue };
        if !weak || through_ui_only {
            continue;
        }
        // A response answers what its client asked for: it commands the client only when the
        // client does something with it (a pump that fetches its orders); a programmer or a
        // relay reading a device's settings back acts on nothing.
        if flow.reverse && receiver.functions.value.is_empty() {
            continue;
        }
        let commands = cx.of_kinds(flow.carries(), COMMAND_KINDS);
        if commands.is_empty() {
            continue;
        }
        let why = match authn.value {
            Authn::None => "no authentication".to_owned(),
            Authn::Implicit => "implicit trust and no proof of the sender".to_owned(),
            other => format!("{} authentication, which does not identify the sending controller", other.as_str()),
        };
        // Whoever sends a request the device cannot attribute also gets its answer: what the
        // stated response of a `<->` flow carries is disclosed to them (a response assumed to
        // mirror the request tells them only what they sent).
        let answer = match (&flow.flow.response, flow.reverse) {
            (Some(response), false) if response.stated => response.carries.as_slice(),
            _ => &[],
        };
        let answered = if answer.is_empty() {
            String::new()
        } else {
            format!(", and answers whoever sends it with {}", cx.describe_assets(answer))
        };
        let explanation = format!(
            "{} carries {} over {} with {why}{answered}",
            cx.describe_flow(&flow),
            cx.describe_assets(&commands),
            cx.describe_media(&flow),
        );
        hits.push(cx.flow_hit(&flow, commands, explanation).resting_on([flow.authn_fact()]).disclosing(answer));
    }
}
