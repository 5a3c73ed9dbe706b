//! MTM019 `internet-path-to-therapy`: a chain of flows leads from the internet to a component
//! that delivers therapy.

use std::collections::VecDeque;

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::model::{ElementId, FlowId};
use medtm_model::vocab::{ActorRole, BoundaryKind, ControlCategory, Function, Medium};

pub static RULE: Rule = Rule {
    code: "MTM019",
    name: "internet-path-to-therapy",
    title: "Internet-facing component can reach a therapy component",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[923],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Authorization],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A component with the therapy_delivery function that the data-flow graph connects \
                  (following flows, both ways for `<->`) to an internet-facing element through at \
                  least one other element. Internet-facing means: in a hostile boundary of kind \
                  internet, vendor_network or third_party; an actor with role attacker; or the \
                  receiver of a flow over `internet` or `cellular`.",
        why: "Every flow on the way is a place where one flaw lets the attack continue. A path from \
              the internet to therapy means that a remote attacker, with no access to the patient or \
              the hospital, is a chain of compromises away from delivering therapy, and those \
              chains get found.",
        mitigate: "Break the path or make each hop a real barrier: the therapy component accepts \
                   only commands it can authenticate and bound itself (dose limits, confirmation on \
                   the device), and internet-facing services cannot command therapy directly. \
                   Record it as a control with `category: authorization` covering the therapy \
                   component.",
        example: "component api { kind: cloud_service }\ncomponent app { kind: mobile_app }\ncomponent pump { kind: wearable, functions: [therapy_delivery] }\nflow sync: app <-> api { medium: internet }\nflow app -> pump { medium: ble }",
    },
    check,
};

/// How an element was first reached by the search.
#[derive(Debug, Clone, Copy)]
enum Via {
    Unseen,
    /// An internet-facing element, possibly through the internet flow that exposes it.
    Entry(Option<FlowId>),
    Hop(ElementId, FlowId),
}

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const OUTSIDE: &[BoundaryKind] = &[BoundaryKind::Internet, BoundaryKind::VendorNetwork, BoundaryKind::ThirdParty];
    let model = cx.model;
    let mut via = vec![Via::Unseen; model.elements.len()];
    let mut queue = VecDeque::new();
    for (id, element) in cx.elements() {
        let hostile_outside = cx.in_boundary_of(id, OUTSIDE) && model.in_hostile_boundary(id);
        let attacker = element.as_actor().is_some_and(|actor| actor.role.value == ActorRole::Attacker);
        if hostile_outside || attacker {
            via[id.index()] = Via::Entry(None);
            queue.push_back(id);
        }
    }
    for flow in cx.directed_flows() {
        let internet = flow.flow.media.value.iter().any(|medium| matches!(medium, Medium::Internet | Medium::Cellular));
        if internet && matches!(via[flow.to.index()], Via::Unseen) {
            via[flow.to.index()] = Via::Entry(Some(flow.id));
            queue.push_back(flow.to);
        }
    }
    while let Some(element) = queue.pop_front() {
        for flow in cx.outgoing(element) {
            let data = model.flow(*flow);
            let next = if data.from == element { data.to } else { data.from };
            if matches!(via[next.index()], Via::Unseen) {
                via[next.index()] = Via::Hop(element, *flow);
                queue.push_back(next);
            }
        }
    }
    for (id, _, component) in cx.components() {
        if !component.has_function(Function::TherapyDelivery) || !matches!(via[id.index()], Via::Hop(..)) {
            continue;
        }
        let mut steps = Vec::new();
        let mut current = id;
        // The search tree is acyclic; the bound only guards against a broken invariant.
        for _ in 0..model.elements.len() {
            match via[current.index()] {
                Via::Hop(from, flow) => {
                    steps.push(format!("{} (via `{}`)", cx.describe_element(current), model.flow(flow).meta.id));
                    current = from;
                }
                Via::Entry(Some(flow)) => {
                    steps.push(format!("{} (via `{}`)", cx.describe_element(current), model.flow(flow).meta.id));
                    steps.push("the internet".to_owned());
                    break;
                }
                Via::Entry(None) => {
                    steps.push(cx.describe_element(current));
                    let start = if cx.element(current).as_actor().is_some() {
                        "an attacker".to_owned()
                    } else {
                        format!("hostile {}", cx.describe_boundary_of(current))
                    };
                    steps.push(start);
                    break;
                }
                Via::Unseen => break,
            }
        }
        steps.reverse();
        let explanation = format!("{} can be reached from outside: {}", cx.describe_element(id), steps.join(" → "));
        hits.push(cx.element_hit(id, cx.component_assets(id), explanation));
    }
}
