//! MTM019 `internet-path-to-therapy`: a chain of flows leads from the internet to a component
//! that delivers therapy.

use std::collections::VecDeque;

use crate::context::{RuleContext, most_exposed_first};
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::Model;
use medtm_model::model::{ElementId, FlowId};
use medtm_model::vocab::{ActorRole, BoundaryKind, Function, Medium};

pub static RULE: Rule = Rule {
    code: "MTM019",
    name: "internet-path-to-therapy",
    title: "Internet-facing component can reach a therapy component",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[923],
    capec: &[],
    attack_techniques: &[],
    family: Family::Takeover,
    when_named: &[],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A component with the therapy_delivery function that data flows lead to from \
                  outside (following each flow's direction, both ways for `<->`) through at least \
                  one other element on the way. Outside means an element in a hostile boundary of \
                  kind internet, vendor_network or third_party, an actor with role attacker, or the \
                  internet itself, which reaches whatever receives a flow over `internet` or \
                  `cellular`. A therapy component that the outside reaches directly is left to the \
                  rules about that interface.",
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

/// How a search state was reached. A state is an element plus whether the path to it already
/// passes through an intermediate element (state `2 * element + 1`) or not yet (`2 * element`).
#[derive(Debug, Clone, Copy)]
enum Via {
    Unseen,
    /// Where an attack starts: a hostile element or an attacker, which is not an intermediate.
    Source,
    /// The receiver of a flow over the internet or a cellular network; the internet is the source.
    Internet(FlowId),
    /// From the element and state before, over a flow.
    Hop(ElementId, bool, FlowId),
}

impl Via {
    /// Whether this is a better way into a state than `current`, which is as short: over a more
    /// exposed flow (see [`most_exposed_first`]), or over the same flow from its sender's state
    /// without an intermediate (fewer elements to compromise on the way). So of the shortest
    /// paths, the one an explanation names takes the most exposed flow at every hop, whatever
    /// the order of the declarations.
    fn better_than(self, current: Via, model: &Model) -> bool {
        let key = |via: Via| match via {
            Via::Internet(flow) => Some((flow, false)),
            Via::Hop(_, intermediate, flow) => Some((flow, intermediate)),
            Via::Unseen | Via::Source => None,
        };
        match (key(self), key(current)) {
            (Some((flow, intermediate)), Some((current, current_intermediate))) => {
                let forward = |id| crate::context::DirectedFlow {
                    id,
                    flow: model.flow(id),
                    from: model.flow(id).from,
                    to: model.flow(id).to,
                    reverse: false,
                };
                most_exposed_first(&forward(flow), &forward(current))
                    .then(intermediate.cmp(&current_intermediate))
                    .is_lt()
            }
            (Some(_), None) => matches!(current, Via::Unseen),
            (None, _) => false,
        }
    }
}

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const OUTSIDE: &[BoundaryKind] = &[BoundaryKind::Internet, BoundaryKind::VendorNetwork, BoundaryKind::ThirdParty];
    let model = cx.model;
    let state = |element: ElementId, intermediate: bool| 2 * element.index() + usize::from(intermediate);
    let mut via = vec![Via::Unseen; 2 * model.elements.len()];
    // The number of hops from the outside to each state, for telling shortest paths apart.
    let mut depth = vec![usize::MAX; 2 * model.elements.len()];
    let mut queue = VecDeque::new();
    for (id, element) in cx.elements() {
        let hostile_outside = cx.in_boundary_of(id, OUTSIDE) && model.in_hostile_boundary(id);
        let attacker = element.as_actor().is_some_and(|actor| actor.role.value == ActorRole::Attacker);
        if hostile_outside || attacker {
            via[state(id, false)] = Via::Source;
            depth[state(id, false)] = 0;
            queue.push_back((id, false));
        }
    }
    for flow in cx.directed_flows() {
        let internet = flow.flow.media.value.iter().any(|medium| matches!(medium, Medium::Internet | Medium::Cellular));
        let reached = state(flow.to, false);
        if !internet || matches!(via[reached], Via::Source) {
            continue;
        }
        if matches!(via[reached], Via::Unseen) {
            depth[reached] = 0;
            queue.push_back((flow.to, false));
        }
        if Via::Internet(flow.id).better_than(via[reached], model) {
            via[reached] = Via::Internet(flow.id);
        }
    }
    // Breadth first over (element, has an intermediate): each state is queued once, so the
    // search is linear in the size of the graph. A state is reached from the whole of the level
    // before it before it leaves the queue, so the way in it keeps is the best of them.
    while let Some((element, intermediate)) = queue.pop_front() {
        let here = state(element, intermediate);
        // Leaving an element makes it an intermediate, unless the attack starts there.
        let onward = intermediate || !matches!(via[here], Via::Source);
        for leg in cx.leaving(element) {
            let next = leg.to;
            let reached = state(next, onward);
            let hop = Via::Hop(element, intermediate, leg.id);
            if matches!(via[reached], Via::Unseen) {
                via[reached] = hop;
                depth[reached] = depth[here] + 1;
                queue.push_back((next, onward));
            } else if depth[reached] == depth[here] + 1 && hop.better_than(via[reached], model) {
                via[reached] = hop;
            }
        }
    }
    for (id, _, component) in cx.components() {
        // Reached only through an intermediate: a component the outside reaches directly is
        // judged by the rules about that interface.
        let through = matches!(via[state(id, true)], Via::Hop(..)) && matches!(via[state(id, false)], Via::Unseen);
        if !component.has_function(Function::TherapyDelivery) || !through {
            continue;
        }
        let mut steps = Vec::new();
        let (mut element, mut intermediate) = (id, true);
        // The search tree is acyclic; the bound only guards against a broken invariant.
        for _ in 0..via.len() {
            match via[state(element, intermediate)] {
                Via::Hop(from, from_intermediate, flow) => {
                    steps.push(format!("{} (via `{}`)", cx.describe_element(element), model.flow(flow).meta.id));
                    (element, intermediate) = (from, from_intermediate);
                }
                Via::Internet(flow) => {
                    steps.push(format!("{} (via `{}`)", cx.describe_element(element), model.flow(flow).meta.id));
                    steps.push("the internet".to_owned());
                    break;
                }
                Via::Source => {
                    if cx.element(element).as_actor().is_some() {
                        steps.push(format!("attacker {}", cx.describe_element(element)));
                    } else {
                        steps.push(format!(
                            "{} in hostile {}",
                            cx.describe_element(element),
                            cx.describe_boundary_of(element)
                        ));
                    }
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
