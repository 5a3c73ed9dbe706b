//! Pass 2: each declaration's attributes become typed values, with defaults (and warnings where
//! the analysis depends on a value that was left out).

use medtm_syntax::ast::{Declaration, Header, Keyword, ValueKind};
use medtm_syntax::{Code, Diagnostic, Span};

use super::values::Attributes;
use super::{Builder, FlowEnds, Pending};
use crate::model::{
    Actor, Asset, Assumption, Attr, Boundary, BoundaryId, Component, Control, Decision, DecisionKind, EffectEntry,
    Element, ElementId, ElementKind, Flow, Meta, Origin, RiskMatrix, Software, SoftwareId, Store, Subject, Symbol,
    System, Update,
};
use crate::schema::{self, UPDATE_FLAGS};
use crate::vocab::{
    ActorAuth, ActorRole, AssetKind, Authn, BoundaryKind, ComponentKind, ControlCategory, ControlStatus, DebugPort,
    Encryption, Environment, Function, Harm, Integrity, Logging, Medium, Os, Party, PortState, Protocol, Replay,
    RiskLevel, Support, SystemFunction, UNKNOWN, Vocabulary,
};

/// Component kinds that are medical devices, whose update mechanism the analysis must know.
const DEVICE_KINDS: &[ComponentKind] = &[
    ComponentKind::Implant,
    ComponentKind::Wearable,
    ComponentKind::Bedside,
    ComponentKind::Controller,
    ComponentKind::Modality,
];

impl<'a> Builder<'a> {
    pub(super) fn lower_all(&mut self) {
        for pending in std::mem::take(&mut self.pending) {
            match pending {
                Pending::System(declaration) => self.lower_system(declaration),
                Pending::Asset(declaration) => self.lower_asset(declaration),
                Pending::Boundary(declaration, parent) => self.lower_boundary(declaration, parent),
                Pending::Element(declaration, keyword, boundary) => self.lower_element(declaration, keyword, boundary),
                Pending::Flow(declaration, ends) => self.lower_flow(declaration, Some(&ends)),
                Pending::BrokenFlow(declaration) => self.lower_flow(declaration, None),
                Pending::Software(declaration) => self.lower_software(declaration),
                Pending::Control(declaration) => self.lower_control(declaration),
                Pending::Decision(declaration) => self.lower_decision(declaration),
                Pending::Assumption(declaration) => self.lower_assumption(declaration),
                Pending::RiskMatrix(declaration) => self.lower_risk_matrix(declaration),
            }
        }
    }

    /// The attributes and meta data of an element-like declaration.
    fn open(&mut self, declaration: &'a Declaration, keyword: Keyword) -> (Meta, Attributes<'a>) {
        let meta = meta(declaration);
        let attrs = self.attributes(declaration, keyword, &meta.id, meta.id_span);
        (meta, attrs)
    }

    /// `value`, or the default when it was not given; warns with `assumed` only if it was left
    /// out (not when it was given but invalid, which is already an error).
    fn or_default<T>(
        &mut self,
        attrs: &Attributes<'_>,
        name: &str,
        value: Option<Attr<T>>,
        default: T,
        assumed: Option<&str>,
    ) -> Attr<T> {
        if let Some(value) = value {
            return value;
        }
        if let Some(assumed) = assumed
            && !attrs.has(name)
        {
            self.missing(attrs, name, assumed);
        }
        Attr::default_value(default)
    }

    fn lower_system(&mut self, declaration: &'a Declaration) {
        let (meta, attrs) = self.open(declaration, Keyword::System);
        let version = self.text(&attrs, "version");
        let function = self.word(&attrs, "function");
        let function = self.or_default(
            &attrs,
            "function",
            function,
            SystemFunction::WORST,
            Some("`life_sustaining` (the worst case)"),
        );
        let environment = self.word(&attrs, "environment");
        let environment =
            self.or_default(&attrs, "environment", environment, Environment::WORST, Some("`home` (the worst case)"));
        let device_class = self.text(&attrs, "device_class");
        self.model.system = Some(System { meta, version, function, environment, device_class });
    }

    fn lower_asset(&mut self, declaration: &'a Declaration) {
        let (meta, attrs) = self.open(declaration, Keyword::Asset);
        let kinds = self.words(&attrs, "kind");
        let kinds = self.or_default(&attrs, "kind", kinds, vec![AssetKind::WORST], Some("`therapy` (the worst case)"));
        let safety = kinds.value.iter().any(|kind| {
            matches!(
                kind,
                AssetKind::Therapy
                    | AssetKind::Monitoring
                    | AssetKind::Diagnostic
                    | AssetKind::Alarm
                    | AssetKind::Firmware
                    | AssetKind::Config
            )
        });
        let harm = self.word(&attrs, "harm");
        let harm = if safety && kinds.is_stated() {
            self.or_default(
                &attrs,
                "harm",
                harm,
                Harm::WORST,
                Some("`catastrophic` (the worst case) for a safety-relevant asset"),
            )
        } else {
            self.or_default(&attrs, "harm", harm, Harm::Negligible, None)
        };
        let personal = kinds.value.iter().any(|kind| matches!(kind, AssetKind::Phi | AssetKind::Pii));
        let patients = self.count(&attrs, "patients", 0).map(|attr| Attr {
            value: Some(attr.value),
            origin: attr.origin,
            span: attr.span,
        });
        let patients = self.or_default(
            &attrs,
            "patients",
            patients,
            None,
            personal.then_some("many patients (confidentiality impact High)"),
        );
        self.model.assets.push(Asset { meta, kinds, harm, patients });
    }

    fn lower_boundary(&mut self, declaration: &'a Declaration, parent: Option<BoundaryId>) {
        let (meta, attrs) = self.open(declaration, Keyword::Boundary);
        let kind = self.word(&attrs, "kind");
        let kind = self.or_default(&attrs, "kind", kind, BoundaryKind::WORST, Some("`internet` (the worst case)"));
        let hostile = self.boolean(&attrs, "hostile");
        let hostile = self.or_default(&attrs, "hostile", hostile, kind.value.hostile_by_default(), None);
        self.model.boundaries.push(Boundary { meta, kind, hostile, parent });
    }

    fn lower_element(&mut self, declaration: &'a Declaration, keyword: Keyword, boundary: Option<BoundaryId>) {
        let (meta, attrs) = self.open(declaration, keyword);
        let kind = match keyword {
            Keyword::Actor => ElementKind::Actor(self.actor(&attrs)),
            Keyword::Store => ElementKind::Store(self.store(&attrs)),
            _ => ElementKind::Component(self.component(&attrs)),
        };
        self.model.elements.push(Element { meta, boundary, kind });
    }

    fn actor(&mut self, attrs: &Attributes<'_>) -> Actor {
        let role = self.word(attrs, "role");
        let role = self.or_default(attrs, "role", role, ActorRole::WORST, Some("`attacker` (the worst case)"));
        let auth = self.word(attrs, "auth");
        let auth = self.or_default(attrs, "auth", auth, ActorAuth::None, None);
        Actor { role, auth }
    }

    fn store(&mut self, attrs: &Attributes<'_>) -> Store {
        let holds =
            self.references(attrs, "holds").into_iter().map(|symbol| crate::model::AssetId(symbol.index)).collect();
        let encrypted = self.boolean(attrs, "encrypted");
        let encrypted = self.or_default(attrs, "encrypted", encrypted, false, None);
        Store { holds, encrypted, host: None }
    }

    fn component(&mut self, attrs: &Attributes<'_>) -> Component {
        let kind = self.word(attrs, "kind");
        let kind = self.or_default(attrs, "kind", kind, ComponentKind::WORST, Some("`controller`"));
        let os = self.words(attrs, "os");
        let os = if matches!(kind.value, ComponentKind::Workstation | ComponentKind::OnpremServer) {
            self.or_default(
                attrs,
                "os",
                os,
                vec![Os::Windows],
                Some("`windows` (the worst case) for a workstation or server"),
            )
        } else {
            self.or_default(attrs, "os", os, vec![Os::None], None)
        };
        let functions = self.words(attrs, "functions");
        let functions = self.or_default(attrs, "functions", functions, Vec::<Function>::new(), None);
        let update = self.update(attrs, &kind);
        let debug_ports = self.word_map::<DebugPort, PortState>(attrs, "debug_ports");
        let logging = self.word(attrs, "logging");
        let logging = self.or_default(attrs, "logging", logging, Logging::None, None);
        let antimalware = self.boolean(attrs, "antimalware");
        let antimalware = self.or_default(attrs, "antimalware", antimalware, false, None);
        let stores = self.references(attrs, "stores").into_iter().map(|symbol| ElementId(symbol.index)).collect();
        let software = self.references(attrs, "software").into_iter().map(|symbol| SoftwareId(symbol.index)).collect();
        let count = self.count(attrs, "count", 1);
        let count = self.or_default(attrs, "count", count, 1, None);
        Component { kind, os, functions, update, debug_ports, logging, antimalware, stores, software, count }
    }

    fn update(&mut self, attrs: &Attributes<'_>, kind: &Attr<ComponentKind>) -> Update {
        let flags = self.flags(attrs, "update", UPDATE_FLAGS);
        let described = flags.is_some();
        if !described && !attrs.has("update") && kind.is_stated() && DEVICE_KINDS.contains(&kind.value) {
            self.missing(attrs, "update", "updates are supported but unsigned, without anti-rollback or secure boot");
        }
        let mut flags = flags.unwrap_or_default();
        let mut take = |name: &str| {
            let default = UPDATE_FLAGS.iter().find(|flag| flag.name == name).is_some_and(|flag| flag.default);
            flags.remove(name).unwrap_or_else(|| Attr::default_value(default))
        };
        Update {
            described,
            supported: take("supported"),
            signed: take("signed"),
            anti_rollback: take("anti_rollback"),
            secure_boot: take("secure_boot"),
        }
    }

    /// Lowers a flow; with `ends` of `None` (its endpoints did not resolve) its attributes are
    /// still checked, so every problem is reported in one run, but it joins no model.
    fn lower_flow(&mut self, declaration: &'a Declaration, ends: Option<&FlowEnds>) {
        let Header::Flow { name, direction, from, to, .. } = &declaration.header else { return };
        let (id, id_span) = match &ends {
            Some(ends) => (ends.id.clone(), ends.id_span),
            None => (
                name.as_ref().map_or_else(|| super::declare::derived_flow_id(&from.name, &to.name), |n| n.name.clone()),
                from.span,
            ),
        };
        let meta = Meta {
            label: declaration.label.as_ref().map_or_else(|| id.clone(), |label| label.value.clone()),
            id,
            doc: declaration.doc.clone(),
            span: declaration.span,
            id_span,
        };
        let mut attrs = self.attributes(declaration, Keyword::Flow, &meta.id, meta.id_span);
        attrs.quiet |= ends.is_none();
        let media = self.words(&attrs, "medium");
        let media = self.or_default(&attrs, "medium", media, vec![Medium::Network], Some("`network`"));
        let protocols = self.words(&attrs, "protocol");
        let protocols = self.or_default(&attrs, "protocol", protocols, Vec::<Protocol>::new(), None);
        let carries =
            self.references(&attrs, "carries").into_iter().map(|symbol| crate::model::AssetId(symbol.index)).collect();
        let authn = self.word(&attrs, "authn");
        let authn = self.or_default(&attrs, "authn", authn, Authn::None, None);
        let encryption = self.word(&attrs, "encryption");
        let encryption = self.or_default(&attrs, "encryption", encryption, Encryption::None, None);
        let integrity = self.word(&attrs, "integrity");
        let integrity = self.or_default(&attrs, "integrity", integrity, Integrity::None, None);
        let replay = self.word(&attrs, "replay");
        let replay = self.or_default(&attrs, "replay", replay, Replay::None, None);
        let Some(&FlowEnds { from, to, .. }) = ends else { return };
        self.model.flows.push(Flow {
            meta,
            named: name.is_some(),
            from,
            to,
            direction: *direction,
            media,
            protocols,
            carries,
            authn,
            encryption,
            integrity,
            replay,
        });
    }

    fn lower_software(&mut self, declaration: &'a Declaration) {
        let (meta, attrs) = self.open(declaration, Keyword::Software);
        let version = self.text(&attrs, "version");
        let purl = self.text(&attrs, "purl");
        let cpe = self.text(&attrs, "cpe");
        let supplier = self.text(&attrs, "supplier");
        let license = self.text(&attrs, "license");
        let support = self.word(&attrs, "support");
        let support = self.or_default(&attrs, "support", support, Support::WORST, Some("`abandoned` (the worst case)"));
        let end_of_support = self.date(&attrs, "end_of_support");
        self.model.software.push(Software { meta, version, purl, cpe, supplier, license, support, end_of_support });
    }

    fn lower_control(&mut self, declaration: &'a Declaration) {
        let (meta, attrs) = self.open(declaration, Keyword::Control);
        let category = self.word::<ControlCategory>(&attrs, "category").map(|attr| Attr {
            value: (attr.origin == Origin::Stated).then_some(attr.value),
            origin: attr.origin,
            span: attr.span,
        });
        let category = self.or_default(&attrs, "category", category, None, None);
        let covers = self.references(&attrs, "covers").into_iter().filter_map(Symbol::subject).collect();
        let mitigates = self.rules(&attrs, "mitigates");
        let status = self.word(&attrs, "status");
        let status = self.or_default(&attrs, "status", status, ControlStatus::Implemented, None);
        let effect = self.effect(&attrs);
        let verified_by = self.texts(&attrs, "verified_by");
        self.model.controls.push(Control { meta, category, covers, mitigates, status, effect, verified_by });
    }

    fn effect(&mut self, attrs: &Attributes<'_>) -> Vec<EffectEntry> {
        let Some(attribute) = attrs.get("effect") else { return Vec::new() };
        let Some(entries) = self.map_entries(&attribute.value, "effect") else { return Vec::new() };
        let mut effect = Vec::new();
        for entry in entries {
            let ValueKind::Word(value) = &entry.value.kind else {
                self.push(
                    Diagnostic::new(Code::WrongType, entry.value.span, "expected a CVSS metric value, such as `H`")
                        .with_label(format!("found {}", entry.value.kind.describe()))
                        .with_help("write the value's letter without quotes, as in a CVSS vector: `PR: H`"),
                );
                continue;
            };
            match medtm_cvss::validate(&entry.key.name, value) {
                Ok(()) => {
                    effect.push(EffectEntry { metric: entry.key.name.clone(), value: value.clone(), span: entry.span });
                }
                Err(error) => {
                    let (span, label, suggestion) = match &error {
                        medtm_cvss::EffectError::UnknownMetric { .. } => {
                            let names = medtm_cvss::METRICS.iter().map(|metric| metric.abbreviation);
                            (entry.key.span, "unknown metric", super::closest(&entry.key.name, names))
                        }
                        medtm_cvss::EffectError::BadValue { metric, .. } => {
                            let letters = metric.values.iter().map(|(letter, _)| *letter);
                            (entry.value.span, "invalid value", super::closest(value, letters))
                        }
                    };
                    let mut diagnostic = Diagnostic::new(Code::InvalidEffect, span, error.to_string())
                        .with_label(label)
                        .with_help(error.help());
                    if let Some(suggestion) = suggestion {
                        diagnostic = diagnostic.with_fix(format!("Change to `{suggestion}`"), span, suggestion);
                    }
                    self.push(diagnostic);
                }
            }
        }
        effect
    }

    fn lower_decision(&mut self, declaration: &'a Declaration) {
        let Header::Decision { keyword, rule, target, party, .. } = &declaration.header else { return };
        let rule = self.rule(&rule.name, rule.span);
        let target_symbol = self.resolve(&target.name, target.span, schema::SUBJECT_KINDS, &format!("`{keyword}`"));
        let party = match party {
            Some(party) if party.name == UNKNOWN => Some(Party::WORST),
            Some(party) => {
                let parsed = Party::from_word(&party.name);
                if parsed.is_none() {
                    self.unknown_word(Party::INFO, &party.name, party.span);
                }
                parsed
            }
            None => None,
        };
        let owner_id = format!("{}@{}", rule.as_ref().map_or("?", |r| r.name.as_str()), target.name);
        let attrs = self.attributes(declaration, *keyword, &owner_id, target.span);
        let (reason, labeling) = if *keyword == Keyword::Accept {
            let reason = self.text(&attrs, "reason");
            if reason.is_none() && !attrs.has("reason") {
                self.missing(&attrs, "reason", "no reason, which the report shows as such");
            }
            (reason, None)
        } else {
            let labeling = self.text(&attrs, "labeling");
            if labeling.is_none() && !attrs.has("labeling") {
                self.missing(&attrs, "labeling", "no labeling, which the report shows as such");
            }
            (None, labeling)
        };
        let owner = self.text(&attrs, "owner");
        if *keyword == Keyword::Accept && owner.is_none() && !attrs.has("owner") {
            self.missing(&attrs, "owner", "no owner, which the report shows as such");
        }
        let review_by = self.date(&attrs, "review_by");
        if let (Some(review_by), Some(today), Some(attribute)) = (review_by, self.options.today, attrs.get("review_by"))
            && review_by < today
        {
            self.push(
                Diagnostic::new(
                    Code::ExpiredAcceptance,
                    attribute.value.span,
                    format!(
                        "this {} was due for review on {review_by}",
                        if *keyword == Keyword::Accept { "acceptance" } else { "transfer" }
                    ),
                )
                .with_label(format!("{} days overdue", (today - review_by).get_days()))
                .with_help("review the decision with its owner and set a new `review_by` date"),
            );
        }
        let (Some(rule), Some(target_symbol)) = (rule, target_symbol) else { return };
        let Some(target) = target_symbol.subject() else { return };
        let kind = match keyword {
            Keyword::Transfer => DecisionKind::Transfer { to: party.unwrap_or(Party::WORST) },
            _ => DecisionKind::Accept,
        };
        self.model.decisions.push(Decision {
            kind,
            rule,
            target,
            reason,
            labeling,
            owner,
            review_by,
            span: declaration.span,
        });
    }

    fn lower_assumption(&mut self, declaration: &'a Declaration) {
        let (meta, attrs) = self.open(declaration, Keyword::Assumption);
        let text = self.text(&attrs, "text").or_else(|| declaration.label.as_ref().map(|label| label.value.clone()));
        let text = text.unwrap_or_else(|| {
            if !attrs.has("text") {
                self.missing(&attrs, "text", "an empty assumption");
            }
            String::new()
        });
        self.model.assumptions.push(Assumption { meta, text });
    }

    fn lower_risk_matrix(&mut self, declaration: &'a Declaration) {
        let (meta, attrs) = self.open(declaration, Keyword::RiskMatrix);
        let mut cells = RiskMatrix::DEFAULT_CELLS;
        for (row, band) in ["high", "medium", "low"].into_iter().enumerate() {
            if !attrs.has(band) {
                self.missing(&attrs, band, "the default row");
                continue;
            }
            let levels = self.word_map::<Harm, RiskLevel>(&attrs, band);
            let mut missing = Vec::new();
            for (column, harm) in Harm::ALL.iter().enumerate() {
                match levels.iter().find(|(h, _)| h == harm) {
                    Some((_, level)) => cells[row][column] = level.value,
                    None => missing.push(harm.as_str()),
                }
            }
            if !missing.is_empty() && levels.len() + missing.len() == Harm::ALL.len() {
                let span = attrs.get(band).map_or(meta.id_span, |attribute| attribute.value.span);
                self.push(
                    Diagnostic::new(
                        Code::MissingAttribute,
                        span,
                        format!("the `{band}` row has no level for {}; the default applies", missing.join(", ")),
                    )
                    .with_label("incomplete row")
                    .with_help("give a level (acceptable, review, unacceptable) for every harm: negligible, minor, serious, critical, catastrophic"),
                );
            }
        }
        self.model.risk_matrix = Some(RiskMatrix { meta, cells });
    }

    /// Whole-model checks and the data-flow graph.
    pub(super) fn finish(&mut self) {
        self.assign_store_hosts();
        if !self.recovered {
            self.report_unused();
        }
        self.report_conflicting_decisions();
        if self.model.system.is_none() && !self.recovered {
            self.push(
                Diagnostic::new(Code::MissingSystem, Span::at(0), "the model has no `system` declaration")
                    .with_label("no system")
                    .with_help("start the model with `system id \"Name\" { function: ..., environment: ... }`"),
            );
        }
        let flows = self.model.flows.iter().enumerate().map(|(index, flow)| {
            (
                crate::model::FlowId(index as u32),
                flow.from,
                flow.to,
                flow.direction == medtm_syntax::ast::Direction::BothWays,
            )
        });
        self.model.graph = crate::graph::DataFlowGraph::new(self.model.elements.len(), flows.collect::<Vec<_>>());
    }

    fn assign_store_hosts(&mut self) {
        let mut hosts = Vec::new();
        for (index, element) in self.model.elements.iter().enumerate() {
            if let Some(component) = element.as_component() {
                hosts.extend(component.stores.iter().map(|store| (*store, ElementId(index as u32))));
            }
        }
        for (store, host) in hosts {
            if let ElementKind::Store(store) = &mut self.model.elements[store.index()].kind {
                store.host.get_or_insert(host);
            }
        }
    }

    /// Warns about assets and software that nothing refers to (any reference counts, including
    /// one from a flow that has errors of its own, so one mistake is not reported twice).
    fn report_unused(&mut self) {
        let referenced: std::collections::BTreeSet<&str> = self
            .model
            .references
            .iter()
            .map(|reference| reference.target.as_str())
            .chain(self.suggested.iter().map(String::as_str))
            .collect();
        let unused: Vec<(String, Span, &str, &str)> = self
            .model
            .assets
            .iter()
            .filter(|asset| !referenced.contains(asset.meta.id.as_str()))
            .map(|asset| {
                (
                    asset.meta.id.clone(),
                    asset.meta.id_span,
                    "asset",
                    "carry it in a flow's `carries` or hold it in a store's `holds`",
                )
            })
            .chain(self.model.software.iter().filter(|software| !referenced.contains(software.meta.id.as_str())).map(
                |software| {
                    (software.meta.id.clone(), software.meta.id_span, "software", "list it in a component's `software`")
                },
            ))
            .collect();
        for (id, span, kind, help) in unused {
            self.push(
                Diagnostic::new(Code::UnusedDeclaration, span, format!("{kind} `{id}` is never used"))
                    .with_label("declared but never referred to")
                    .with_help(format!("{help}, or remove it")),
            );
        }
    }

    fn report_conflicting_decisions(&mut self) {
        let mut seen: std::collections::BTreeMap<(String, Subject), Span> = std::collections::BTreeMap::new();
        let mut conflicts = Vec::new();
        for decision in &self.model.decisions {
            let key = (decision.rule.name.clone(), decision.target);
            if let Some(first) = seen.get(&key) {
                conflicts.push((decision.rule.span, *first, key.0));
            } else {
                seen.insert(key, decision.rule.span);
            }
        }
        for (span, first, rule) in conflicts {
            self.push(
                Diagnostic::new(Code::ConflictingDecision, span, format!("`{rule}` on this target is decided twice"))
                    .with_label("second decision")
                    .with_related(first, "first decision")
                    .with_help("keep one decision per risk: accept it or transfer it"),
            );
        }
    }
}

fn meta(declaration: &Declaration) -> Meta {
    let (id, id_span) = match &declaration.header {
        Header::Element { id, .. } => (id.name.clone(), id.span),
        _ => (String::new(), declaration.span),
    };
    Meta {
        label: declaration.label.as_ref().map_or_else(|| id.clone(), |label| label.value.clone()),
        id,
        doc: declaration.doc.clone(),
        span: declaration.span,
        id_span,
    }
}
