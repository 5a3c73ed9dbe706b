//! MTM006 `password-brute-force`: a component accepts a password that can be guessed, nothing limiting attempts.

use crate::context::RuleContext;
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template, Touches};
use medtm_cvss::PrivilegesRequired;
use medtm_model::vocab::{ActorAuth, Authn, Medium};

pub static RULE: Rule = Rule {
    code: "MTM006",
    name: "password-brute-force",
    title: "Password can be guessed without lockout",
    stride: &[Stride::Spoofing],
    cwe: &[307],
    capec: &[49, 112],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    // A guessed login reads what the user can read as well as changing what they can change.
    // Guessing needs no privilege of the attacker's own.
    template: Template {
        touches: Some(Touches { confidentiality: true, integrity: true, availability: false }),
        privileges_required: Some(PrivilegesRequired::None),
        ..Template::FROM_MODEL
    },
    docs: Docs {
        detects: "A flow into a component with `authn: password`, or from an actor with `auth: \
                  password` into a component, when the flow states no authentication of its own or \
                  a token (one obtained by signing in with that password). The rule reports the \
                  flow whatever controls exist: a control of category authentication covering the \
                  flow, such as a lockout, then marks the finding mitigated.",
        why: "Passwords on devices and clinical portals are short, shared between staff and rarely \
              changed. Without a limit on attempts, an attacker who can reach the login tries them \
              until one works, and then acts with that user's rights: reads the patients' data, \
              changes settings or therapy.",
        mitigate: "Lock the account or slow down sign-in after repeated failures, alert on bursts \
                   of failures, and prefer multi-factor or smartcard sign-in for clinical and \
                   service roles (`authn: mfa` or `smartcard`). Record a lockout or rate limit as \
                   a control with `category: authentication` covering the flow (its default \
                   effect is `PR: H`: the attacker needs the real password, not a guess).",
        example: "flow clinician -> portal {\n  medium: internet\n  authn: password\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        if cx.component(flow.to).is_none() || hits.has_subject(flow.subject()) {
            continue;
        }
        let authn = flow.authn();
        let person = cx.element(flow.from).as_actor().filter(|actor| actor.auth.value == ActorAuth::Password);
        let by_password = match authn.value {
            Authn::Password => true,
            Authn::Token => person.is_some(),
            _ => person.is_some() && !authn.is_stated(),
        };
        if !by_password {
            continue;
        }
        let at_screen = flow.media().iter().all(|medium| *medium == Medium::Ui);
        let place =
            if at_screen { " at its own screen".to_owned() } else { format!(" over {}", cx.describe_media(&flow)) };
        let (sender, receiver) = (cx.describe_element(flow.from), cx.describe_element(flow.to));
        let how = match (person, authn.value) {
            (Some(_), Authn::Token) => format!("{sender} gets the token {receiver} accepts{place} by signing in with"),
            (Some(_), _) => format!("{sender} signs in to {receiver}{place} with"),
            (None, _) => format!("{} authenticates{place} with", cx.describe_flow(&flow)),
        };
        // A guessed password gives the session's rights on the receiver: everything it handles.
        let at_stake = cx.component_assets(flow.to);
        let explanation = format!("{how} a password that can be guessed unless {receiver} limits attempts");
        let mut hit = cx.flow_hit(&flow, at_stake, explanation).resting_on([flow.authn_fact()]);
        hit.exposure.authn = Some(Authn::Password);
        hits.push(hit);
    }
}
