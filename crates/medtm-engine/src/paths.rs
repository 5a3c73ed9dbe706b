//! Attack paths: the cheapest way from where an attacker can start to each element, by one
//! multi-source Dijkstra over the data-flow graph (O((V + E) log V) for the whole model).
//!
//! Where an attacker starts, and what it costs to start there:
//! - an actor with role `attacker`: 0;
//! - inside a hostile boundary (every element in it is within reach): 1;
//! - on the internet, for a flow over `internet` or `cellular`: 1 before the hop;
//! - in radio range, for a flow over a wireless medium: 2 before the hop;
//! - holding the device: 4, at a component with an open debug port, or before the hop of a flow
//!   over `usb`, `serial`, `removable_media` or `ui`.
//!
//! Moving along a flow from a compromised sender to its receiver costs what the receiver's
//! authentication asks: 1 with none or implicit trust, 3 with shared, guessable or replayable
//! secrets (password, shared_secret, fleet_key, token), 6 with per-device keys, mutual TLS, MFA or
//! smartcards.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fmt::Write as _;

use medtm_model::Model;
use medtm_model::model::{ElementId, FlowId, Subject};
use medtm_model::vocab::{ActorRole, Authn, Medium, PortState, Vocabulary as _};
use serde::Serialize;

use crate::context::RuleContext;

/// Where an attack path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// An actor with role attacker.
    Attacker { actor: ElementId },
    /// Inside a hostile boundary, at this element.
    HostileNetwork { element: ElementId },
    /// On the internet, injecting into a flow.
    Internet,
    /// In radio range of a wireless flow.
    RadioRange,
    /// Holding the device.
    Physical,
}

impl Entry {
    /// The kinds in a fixed order, for settling ties.
    const fn kind_order(self) -> u8 {
        match self {
            Entry::Attacker { .. } => 0,
            Entry::HostileNetwork { .. } => 1,
            Entry::Internet => 2,
            Entry::RadioRange => 3,
            Entry::Physical => 4,
        }
    }

    const fn cost(self) -> u32 {
        match self {
            Entry::Attacker { .. } => 0,
            Entry::HostileNetwork { .. } | Entry::Internet => 1,
            Entry::RadioRange => 2,
            Entry::Physical => 4,
        }
    }
}

/// One step along a path: into `to` over `flow` (in the flow's direction, or back along a `<->`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub flow: FlowId,
    pub to: ElementId,
    pub cost: u32,
}

/// The cheapest attack path to a finding's subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttackPath {
    pub entry: Entry,
    pub hops: Vec<Hop>,
    /// The total cost: the entry's plus every hop's.
    pub cost: u32,
}

/// What it costs to pass a flow's authentication.
pub fn hop_cost(authn: Authn) -> u32 {
    match crate::context::authn_strength(authn) {
        0 => 1,
        1 => 3,
        _ => 6,
    }
}

/// How an attacker can reach a flow's receiver without first owning its sender.
fn flow_entry(flow: &medtm_model::model::Flow) -> Option<Entry> {
    flow.media
        .value
        .iter()
        .filter_map(|medium| match medium {
            Medium::Internet | Medium::Cellular => Some(Entry::Internet),
            Medium::Ble
            | Medium::BleLesc
            | Medium::BtClassic
            | Medium::ProprietaryRf
            | Medium::Nfc
            | Medium::Inductive
            | Medium::Wifi => Some(Entry::RadioRange),
            Medium::Usb | Medium::Serial | Medium::RemovableMedia | Medium::Ui => Some(Entry::Physical),
            Medium::Ethernet | Medium::Network | Medium::Ipc => None,
        })
        .min_by_key(|entry| entry.cost())
}

/// How each element was reached most cheaply.
#[derive(Debug, Clone, Copy)]
enum Reached {
    Unreached,
    /// Directly from an entry point, possibly over a first flow (radio, internet, cable).
    Entry {
        entry: Entry,
        first_hop: Option<Hop>,
        total: u32,
    },
    /// Over a flow from another element.
    Hop {
        from: ElementId,
        hop: Hop,
        total: u32,
    },
}

/// Which of two ways to reach an element at the same cost comes first: an entry before a hop;
/// entries by kind, then by the id of the flow they cross first; hops by the id of the element
/// they leave, then by the flow's id. Ids, not positions, so that the paths do not depend on the
/// order of declarations (the element left was itself settled the same way, at a lower cost).
fn tie_break(model: &Model, a: &Reached, b: &Reached) -> Ordering {
    let flow_id = |hop: Option<Hop>| hop.map(|hop| model.flow(hop.flow).meta.id.as_str());
    match (a, b) {
        (Reached::Entry { entry: a, first_hop: a_hop, .. }, Reached::Entry { entry: b, first_hop: b_hop, .. }) => {
            a.kind_order().cmp(&b.kind_order()).then_with(|| flow_id(*a_hop).cmp(&flow_id(*b_hop)))
        }
        (Reached::Entry { .. }, _) => Ordering::Less,
        (_, Reached::Entry { .. }) => Ordering::Greater,
        (Reached::Hop { from: a_from, hop: a_hop, .. }, Reached::Hop { from: b_from, hop: b_hop, .. }) => model
            .element(*a_from)
            .meta
            .id
            .cmp(&model.element(*b_from).meta.id)
            .then_with(|| flow_id(Some(*a_hop)).cmp(&flow_id(Some(*b_hop)))),
        _ => Ordering::Equal,
    }
}

impl Reached {
    fn total(self) -> Option<u32> {
        match self {
            Reached::Unreached => None,
            Reached::Entry { total, .. } | Reached::Hop { total, .. } => Some(total),
        }
    }
}

/// The cheapest paths to every element of a model.
#[derive(Debug)]
pub struct AttackPaths {
    reached: Vec<Reached>,
}

impl AttackPaths {
    pub fn compute(cx: &RuleContext<'_>) -> Self {
        let model = cx.model;
        let mut reached = vec![Reached::Unreached; model.elements.len()];
        let mut queue = BinaryHeap::new();
        let offer = |reached: &mut Vec<Reached>, queue: &mut BinaryHeap<_>, element: ElementId, how: Reached| {
            let total = how.total().unwrap_or(u32::MAX);
            let settled = reached[element.index()];
            match settled.total() {
                Some(current) if total > current => {}
                // Every way to an element at its final cost is offered before the element is
                // taken from the queue (hops cost at least 1), so a tie can still be settled;
                // the element is already queued at this cost.
                Some(current) if total == current => {
                    if tie_break(model, &how, &settled) == Ordering::Less {
                        reached[element.index()] = how;
                    }
                }
                _ => {
                    reached[element.index()] = how;
                    queue.push(Reverse((total, element)));
                }
            }
        };
        for (id, element) in cx.elements() {
            if element.as_actor().is_some_and(|actor| actor.role.value == ActorRole::Attacker) {
                let entry = Entry::Attacker { actor: id };
                offer(&mut reached, &mut queue, id, Reached::Entry { entry, first_hop: None, total: entry.cost() });
            } else if model.in_hostile_boundary(id) {
                let entry = Entry::HostileNetwork { element: id };
                offer(&mut reached, &mut queue, id, Reached::Entry { entry, first_hop: None, total: entry.cost() });
            }
            let open_port = element
                .as_component()
                .is_some_and(|component| component.debug_ports.iter().any(|(_, state)| state.value == PortState::Open));
            if open_port {
                let how = Reached::Entry { entry: Entry::Physical, first_hop: None, total: Entry::Physical.cost() };
                offer(&mut reached, &mut queue, id, how);
            }
        }
        for flow in cx.directed_flows() {
            if let Some(entry) = flow_entry(flow.flow) {
                let cost = hop_cost(flow.authn().value);
                let first_hop = Some(Hop { flow: flow.id, to: flow.to, cost });
                offer(
                    &mut reached,
                    &mut queue,
                    flow.to,
                    Reached::Entry { entry, first_hop, total: entry.cost() + cost },
                );
            }
        }
        while let Some(Reverse((total, element))) = queue.pop() {
            if reached[element.index()].total() != Some(total) {
                continue;
            }
            for leg in cx.leaving(element) {
                let (to, cost) = (leg.to, hop_cost(leg.authn().value));
                let how = Reached::Hop { from: element, hop: Hop { flow: leg.id, to, cost }, total: total + cost };
                offer(&mut reached, &mut queue, to, how);
            }
        }
        Self { reached }
    }

    /// The cheapest path to an element, if any entry point reaches it.
    pub fn to_element(&self, element: ElementId) -> Option<AttackPath> {
        let cost = self.reached[element.index()].total()?;
        let mut hops = Vec::new();
        let mut current = element;
        // The predecessor chain is a shortest-path tree, so it ends at an entry within V steps.
        for _ in 0..=self.reached.len() {
            match self.reached[current.index()] {
                Reached::Unreached => return None,
                Reached::Entry { entry, first_hop, .. } => {
                    hops.extend(first_hop);
                    hops.reverse();
                    return Some(AttackPath { entry, hops, cost });
                }
                Reached::Hop { from, hop, .. } => {
                    hops.push(hop);
                    current = from;
                }
            }
        }
        None
    }

    /// The cheapest path to a finding's subject. For a flow, the path ends with the flow itself:
    /// reaching its sender and crossing it, or reaching it directly (radio, internet, cable).
    pub fn to_subject(&self, cx: &RuleContext<'_>, subject: Subject) -> Option<AttackPath> {
        let model = cx.model;
        match subject {
            Subject::Element(element) => self.to_element(element),
            Subject::Flow(_) | Subject::Response(_) => {
                let leg = cx.subject_leg(subject)?;
                let flow_id = leg.id;
                let cost = hop_cost(leg.authn().value);
                let through_sender = self.to_element(leg.from).map(|mut path| {
                    path.hops.push(Hop { flow: flow_id, to: leg.to, cost });
                    path.cost += cost;
                    path
                });
                let direct = flow_entry(leg.flow).map(|entry| AttackPath {
                    entry,
                    hops: vec![Hop { flow: flow_id, to: leg.to, cost }],
                    cost: entry.cost() + cost,
                });
                match (through_sender, direct) {
                    (Some(a), Some(b)) => Some(if b.cost <= a.cost { b } else { a }),
                    (a, b) => a.or(b),
                }
            }
            // The cheapest over the components that run it; between equals, the first by id.
            Subject::Software(software) => cx
                .software_users(software)
                .iter()
                .filter_map(|user| self.to_element(*user).map(|path| (path, &model.element(*user).meta.id)))
                .min_by(|(a, a_user), (b, b_user)| a.cost.cmp(&b.cost).then_with(|| a_user.cmp(b_user)))
                .map(|(path, _)| path),
            Subject::Boundary(_) | Subject::Asset(_) => None,
        }
    }
}

/// A path in words: "radio range → `pump` via `bolus` (shared_secret)".
pub fn describe(model: &Model, path: &AttackPath) -> String {
    // Written into one string: reports describe every finding's path.
    let mut text = String::with_capacity(64 * (path.hops.len() + 1));
    let _ = match path.entry {
        Entry::Attacker { actor } => write!(text, "attacker `{}`", model.element(actor).meta.id),
        Entry::HostileNetwork { element } => match model.element(element).boundary.map(|b| model.boundary(b)) {
            Some(boundary) => write!(text, "hostile `{}`", boundary.meta.id),
            None => write!(text, "a hostile network"),
        }
        .and_then(|()| write!(text, " at `{}`", model.element(element).meta.id)),
        Entry::Internet => write!(text, "the internet"),
        Entry::RadioRange => write!(text, "radio range"),
        Entry::Physical => write!(text, "physical access"),
    };
    for hop in &path.hops {
        let flow = model.flow(hop.flow);
        let _ = write!(
            text,
            " → `{}` via `{}` ({})",
            model.element(hop.to).meta.id,
            flow.meta.id,
            flow.authn.value.as_str()
        );
    }
    text
}
