//! Pass 2: each declaration's attributes become typed values, with defaults (and warnings where
//! the analysis depends on a value that was left out).

use std::borrow::Cow;

use medtm_syntax::ast::{Declaration, Header, Keyword, ValueKind};
use medtm_syntax::{Code, Diagnostic, Span};

use super::values::Attributes;
use super::{Builder, FlowEnds, Pending};
use crate::model::{
    Actor, AppliedDefault, Asset, Assumption, Attr, Boundary, BoundaryId, Component, Control, Decision, DecisionKind,
    EffectEntry, Element, ElementId, ElementKind, Flow, FlowId, Meta, Origin, RESPONSE_SUFFIX, Response, RiskMatrix,
    Software, SoftwareId, Store, Subject, Symbol, SymbolKind, System, Update,
};
use crate::schema::{self, RESPONSE, UPDATE_FLAGS};
use crate::vocab::{
    ActorAuth, ActorRole, AssetKind, Authn, BoundaryKind, ComponentKind, ControlCategory, ControlStatus, Custody,
    DebugPort, Encryption, Environment, Function, Harm, Integrity, Logging, Medium, Os, Party, PortState, Protocol,
    Provisioning, Replay, RiskLevel, Support, SystemFunction, UNKNOWN, Vocabulary,
};

/// Whether a default is listed in the model (and so in the report's assumptions), and whether
/// it is also warned about.
#[derive(Debug, Clone, Copy)]
enum Listed<'s> {
    /// The analysis does not read the attribute here: nothing to list.
    No,
    /// Listed as an assumption with the value assumed, as a reader would write it.
    Yes(&'static str),
    /// Listed, and a warning says what is assumed (for defaults that decide much).
    Warn { shown: &'static str, assumed: &'s str },
}

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
        // Elements and flows are a few hundred bytes each: sized once, the arenas are not copied
        // as they grow (on a hospital-scale model, a tenth of the checker's memory traffic).
        let (elements, flows) = self.pending.iter().fold((0, 0), |(elements, flows), pending| match pending {
            Pending::Element(..) => (elements + 1, flows),
            Pending::Flow(..) | Pending::BrokenFlow(..) => (elements, flows + 1),
            _ => (elements, flows),
        });
        self.model.elements.reserve(elements);
        self.model.flows.reserve(flows);
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
        self.settle_fan_out();
    }

    /// Checks each stated `fan_out` against its receiver's stated `count`, which needs every
    /// element lowered first. Against a count left out (one unit assumed), the fan-out stands.
    fn settle_fan_out(&mut self) {
        let mut diagnostics = Vec::new();
        for flow in &self.model.flows {
            let Some(fan_out) = &flow.fan_out else { continue };
            let Some(receiver) = self.model.element(flow.to).as_component() else { continue };
            let units = receiver.count.value;
            if fan_out.value > units && receiver.count.is_stated() {
                let receiver = &self.model.element(flow.to).meta.id;
                diagnostics.push(
                    Diagnostic::new(
                        Code::WrongType,
                        fan_out.span.unwrap_or(flow.meta.id_span),
                        format!(
                            "`{}` reaches {} units of `{receiver}`, which has {units}",
                            flow.meta.id, fan_out.value
                        ),
                    )
                    .with_label(format!("at most {units}"))
                    .with_help(format!(
                        "lower `fan_out` to {units} or fewer, or raise `{receiver}`'s `count` to the units deployed"
                    )),
                );
            }
        }
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }

    /// The attributes and meta data of an element-like declaration.
    fn open(&mut self, declaration: &'a Declaration, keyword: Keyword) -> (Meta, Attributes<'a>) {
        let meta = meta(declaration);
        let attrs = self.attributes(declaration, keyword, &meta.id, meta.id_span);
        (meta, attrs)
    }

    /// `value`, or the default when it was not given. Only an attribute that was left out (not
    /// one given with an invalid value, which is already an error) is listed among the model's
    /// defaults and, for `Listed::Warn`, warned about.
    fn or_default<T>(
        &mut self,
        attrs: &Attributes<'_>,
        name: &str,
        value: Option<Attr<T>>,
        default: T,
        listed: Listed<'_>,
    ) -> Attr<T> {
        if let Some(value) = value {
            return value;
        }
        if !attrs.has(name) {
            match listed {
                Listed::No => {}
                Listed::Yes(shown) => self.assume(attrs, name, shown),
                Listed::Warn { shown, assumed } => {
                    self.assume(attrs, name, shown);
                    self.missing(attrs, name, assumed);
                }
            }
        }
        Attr::default_value(default)
    }

    /// Lists a default applied to an attribute the analysis reads.
    fn assume(&mut self, attrs: &Attributes<'_>, name: &str, shown: impl Into<Cow<'static, str>>) {
        if !attrs.record {
            return;
        }
        debug_assert!(attrs.spec(name).is_some_and(|spec| spec.assumed), "leaving out {name} assumes nothing");
        self.model.defaults.push(AppliedDefault {
            keyword: attrs.keyword.as_str(),
            subject: attrs.owner.clone(),
            attribute: attrs.qualified(name),
            value: shown.into(),
            span: attrs.owner_span,
        });
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
            Listed::Warn { shown: SystemFunction::WORST.word(), assumed: "`life_sustaining` (the worst case)" },
        );
        let environment = self.word(&attrs, "environment");
        let environment = self.or_default(
            &attrs,
            "environment",
            environment,
            Environment::WORST,
            Listed::Warn { shown: Environment::WORST.word(), assumed: "`home` (the worst case)" },
        );
        let device_class = self.text(&attrs, "device_class");
        self.model.system = Some(System { meta, version, function, environment, device_class });
    }

    fn lower_asset(&mut self, declaration: &'a Declaration) {
        let (meta, attrs) = self.open(declaration, Keyword::Asset);
        let kinds = self.words(&attrs, "kind");
        let kinds = self.or_default(
            &attrs,
            "kind",
            kinds,
            vec![AssetKind::WORST],
            Listed::Warn { shown: AssetKind::WORST.word(), assumed: "`therapy` (the worst case)" },
        );
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
                Listed::Warn {
                    shown: Harm::WORST.word(),
                    assumed: "`catastrophic` (the worst case) for a safety-relevant asset",
                },
            )
        } else {
            let listed = if safety { Listed::Yes(Harm::WORST.word()) } else { Listed::No };
            self.or_default(&attrs, "harm", harm, if safety { Harm::WORST } else { Harm::Negligible }, listed)
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
            if personal {
                Listed::Warn { shown: "many", assumed: "many patients (confidentiality impact High)" }
            } else {
                Listed::No
            },
        );
        let secret = kinds.value.iter().any(|kind| matches!(kind, AssetKind::Credential | AssetKind::CryptoKey));
        let opens: Vec<Subject> = self.references(&attrs, "opens").into_iter().filter_map(Symbol::subject).collect();
        if secret && !attrs.has("opens") {
            self.assume(&attrs, "opens", "the flows that carry it with a password, token or shared secret");
        }
        let provisioning = self.word(&attrs, "provisioning");
        let provisioning = self.or_default(
            &attrs,
            "provisioning",
            provisioning,
            Provisioning::Unique,
            if secret { Listed::Yes(Provisioning::Unique.word()) } else { Listed::No },
        );
        self.model.assets.push(Asset { meta, kinds, harm, patients, opens, provisioning });
    }

    fn lower_boundary(&mut self, declaration: &'a Declaration, parent: Option<BoundaryId>) {
        let (meta, attrs) = self.open(declaration, Keyword::Boundary);
        let kind = self.word(&attrs, "kind");
        let kind = self.or_default(
            &attrs,
            "kind",
            kind,
            BoundaryKind::WORST,
            Listed::Warn { shown: BoundaryKind::WORST.word(), assumed: "`internet` (the worst case)" },
        );
        let hostile = self.boolean(&attrs, "hostile");
        let by_kind = kind.value.hostile_by_default();
        let hostile = self.or_default(
            &attrs,
            "hostile",
            hostile,
            by_kind,
            Listed::Yes(if by_kind { "true (from its kind)" } else { "false (from its kind)" }),
        );
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
        let role = self.or_default(
            attrs,
            "role",
            role,
            ActorRole::WORST,
            Listed::Warn { shown: ActorRole::WORST.word(), assumed: "`attacker` (the worst case)" },
        );
        let auth = self.word(attrs, "auth");
        let auth = self.or_default(attrs, "auth", auth, ActorAuth::None, Listed::Yes(ActorAuth::None.word()));
        Actor { role, auth }
    }

    fn store(&mut self, attrs: &Attributes<'_>) -> Store {
        let holds =
            self.references(attrs, "holds").into_iter().map(|symbol| crate::model::AssetId(symbol.index)).collect();
        let encrypted = self.boolean(attrs, "encrypted");
        if !attrs.has("holds") {
            self.assume(attrs, "holds", "nothing");
        }
        let encrypted = self.or_default(attrs, "encrypted", encrypted, false, Listed::Yes("false"));
        Store { holds, encrypted, host: None }
    }

    fn component(&mut self, attrs: &Attributes<'_>) -> Component {
        let kind = self.word(attrs, "kind");
        let kind = self.or_default(
            attrs,
            "kind",
            kind,
            ComponentKind::WORST,
            Listed::Warn { shown: ComponentKind::WORST.word(), assumed: "`controller`" },
        );
        let os = self.words(attrs, "os");
        let os = if matches!(kind.value, ComponentKind::Workstation | ComponentKind::OnpremServer) {
            self.or_default(
                attrs,
                "os",
                os,
                vec![Os::Windows],
                Listed::Warn {
                    shown: Os::Windows.word(),
                    assumed: "`windows` (the worst case) for a workstation or server",
                },
            )
        } else {
            self.or_default(attrs, "os", os, vec![Os::None], Listed::Yes(Os::None.word()))
        };
        let functions = self.words(attrs, "functions");
        let functions = self.or_default(attrs, "functions", functions, Vec::<Function>::new(), Listed::Yes("none"));
        let update = self.update(attrs, &kind);
        let debug_ports = self.word_map::<DebugPort, PortState>(attrs, "debug_ports");
        let services = self.word_map::<Protocol, Authn>(attrs, "services");
        if !attrs.has("debug_ports") && DEVICE_KINDS.contains(&kind.value) {
            self.assume(attrs, "debug_ports", "none");
        }
        let logging = self.word(attrs, "logging");
        let logging = self.or_default(attrs, "logging", logging, Logging::None, Listed::Yes(Logging::None.word()));
        let antimalware = self.boolean(attrs, "antimalware");
        let windows = os.value.contains(&Os::Windows);
        let antimalware = self.or_default(
            attrs,
            "antimalware",
            antimalware,
            false,
            if windows { Listed::Yes("false") } else { Listed::No },
        );
        let stores = self.references(attrs, "stores").into_iter().map(|symbol| ElementId(symbol.index)).collect();
        let software = self.references(attrs, "software").into_iter().map(|symbol| SoftwareId(symbol.index)).collect();
        let count = self.count(attrs, "count", 1);
        let count = self.or_default(attrs, "count", count, 1, Listed::Yes("1"));
        // Listed once the model knows whether the component holds a secret (see `finish`).
        let custody = self.word(attrs, "custody");
        let custody = self.or_default(attrs, "custody", custody, default_custody(kind.value), Listed::No);
        Component {
            kind,
            os,
            functions,
            update,
            debug_ports,
            services,
            logging,
            antimalware,
            stores,
            software,
            count,
            custody,
        }
    }

    fn update(&mut self, attrs: &Attributes<'_>, kind: &Attr<ComponentKind>) -> Update {
        let flags = self.flags(attrs, "update", UPDATE_FLAGS);
        let described = flags.is_some();
        let device = DEVICE_KINDS.contains(&kind.value);
        if !described && !attrs.has("update") && device {
            self.assume(
                attrs,
                "update",
                "{ supported: true, signed: false, anti_rollback: false, secure_boot: false }",
            );
            if kind.is_stated() {
                self.missing(
                    attrs,
                    "update",
                    "updates are supported but unsigned, without anti-rollback or secure boot",
                );
            }
        }
        let mut flags = flags.unwrap_or_default();
        let mut defaulted = Vec::new();
        let mut take = |name: &'static str| {
            let attr = flags.remove(name).unwrap_or_else(|| {
                let default = UPDATE_FLAGS.iter().find(|flag| flag.name == name).is_some_and(|flag| flag.default);
                Attr::default_value(default)
            });
            if described && attr.origin == Origin::Default {
                defaulted.push((name, attr.value));
            }
            attr
        };
        let update = Update {
            described,
            supported: take("supported"),
            signed: take("signed"),
            anti_rollback: take("anti_rollback"),
            secure_boot: take("secure_boot"),
        };
        // A described update map that leaves a flag out takes the flag's default: listed as
        // `update.signed: false`.
        for (flag, value) in defaulted {
            if attrs.record {
                self.model.defaults.push(AppliedDefault {
                    keyword: attrs.keyword.as_str(),
                    subject: attrs.owner.clone(),
                    attribute: format!("update.{flag}").into(),
                    value: if value { "true" } else { "false" }.into(),
                    span: attrs.owner_span,
                });
            }
        }
        update
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
        attrs.record = ends.is_some();
        let media = self.words(&attrs, "medium");
        let media = self.or_default(
            &attrs,
            "medium",
            media,
            vec![Medium::Network],
            Listed::Warn { shown: Medium::Network.word(), assumed: "`network`" },
        );
        let protocols = self.words(&attrs, "protocol");
        let protocols = self.or_default(&attrs, "protocol", protocols, Vec::<Protocol>::new(), Listed::Yes("none"));
        if !attrs.has("carries") {
            self.assume(&attrs, "carries", "nothing");
        }
        let carries =
            self.references(&attrs, "carries").into_iter().map(|symbol| crate::model::AssetId(symbol.index)).collect();
        let authn = self.word(&attrs, "authn");
        let authn = self.or_default(&attrs, "authn", authn, Authn::None, Listed::Yes(Authn::None.word()));
        let encryption = self.word(&attrs, "encryption");
        let encryption =
            self.or_default(&attrs, "encryption", encryption, Encryption::None, Listed::Yes(Encryption::None.word()));
        let integrity = self.word(&attrs, "integrity");
        let integrity =
            self.or_default(&attrs, "integrity", integrity, Integrity::None, Listed::Yes(Integrity::None.word()));
        let replay = self.word(&attrs, "replay");
        let replay = self.or_default(&attrs, "replay", replay, Replay::None, Listed::Yes(Replay::None.word()));
        // Left out, every unit of the receiver; checked against its count in `settle_fan_out`.
        let fan_out = self.count(&attrs, "fan_out", 1);
        let mut flow = Flow {
            meta,
            named: name.is_some(),
            from: ElementId(0),
            to: ElementId(0),
            direction: *direction,
            media,
            protocols,
            carries,
            authn,
            encryption,
            integrity,
            replay,
            fan_out,
            response: None,
        };
        flow.response = self.response(&attrs, &flow).map(Box::new);
        let Some(&FlowEnds { from, to, .. }) = ends else { return };
        flow.from = from;
        flow.to = to;
        self.model.flows.push(flow);
    }

    /// The response leg of a `<->` flow: from `returns`, or (left out) a mirror of the request,
    /// listed as an assumption and warned about. `returns` on a one-way flow is an error.
    fn response(&mut self, attrs: &Attributes<'a>, request: &Flow) -> Option<Response> {
        let field = attrs.get("returns");
        if request.direction != medtm_syntax::ast::Direction::BothWays {
            if let Some(field) = field {
                self.push(
                    Diagnostic::new(
                        Code::WrongType,
                        field.name.span,
                        format!("`{}` is one-way (`->`), so it has no response to describe", request.meta.id),
                    )
                    .with_label("only for `<->` flows")
                    .with_help("write the flow with `<->` if it is a request and its response, or remove `returns`"),
                );
            }
            return None;
        }
        let meta = Meta {
            id: Flow::response_id(&request.meta.id),
            label: format!("{} (response)", request.meta.label),
            doc: None,
            span: request.meta.span,
            id_span: request.meta.id_span,
        };
        let Some(field) = field else {
            self.assume(attrs, "returns", "the request's assets and protections, mirrored");
            self.missing(
                attrs,
                "returns",
                "the response carries the request's assets with the request's authentication and protections",
            );
            return Some(Response {
                meta,
                stated: false,
                carries: request.carries.clone(),
                authn: mirrored(&request.authn),
                encryption: mirrored(&request.encryption),
                integrity: mirrored(&request.integrity),
                replay: mirrored(&request.replay),
            });
        };
        let nested = self.nested_attributes(attrs, field, RESPONSE, "returns.")?;
        if !nested.has("carries") {
            self.assume(&nested, "carries", "nothing");
        }
        let carries =
            self.references(&nested, "carries").into_iter().map(|symbol| crate::model::AssetId(symbol.index)).collect();
        let authn = self.word(&nested, "authn");
        let authn = self.or_default(&nested, "authn", authn, Authn::None, Listed::Yes(Authn::None.word()));
        // Encryption, integrity and replay protection usually belong to the channel, which
        // serves both directions: left out, they are the request's (listed all the same).
        let encryption = self.word_or_request(&nested, "encryption", &request.encryption);
        let integrity = self.word_or_request(&nested, "integrity", &request.integrity);
        let replay = self.word_or_request(&nested, "replay", &request.replay);
        Some(Response { meta, stated: true, carries, authn, encryption, integrity, replay })
    }

    /// A response attribute as stated, or (left out) the request's, listed as an assumption.
    fn word_or_request<T: Vocabulary + Clone>(
        &mut self,
        nested: &Attributes<'_>,
        name: &str,
        request: &Attr<T>,
    ) -> Attr<T> {
        if let Some(stated) = self.word(nested, name) {
            return stated;
        }
        if !nested.has(name) {
            self.assume(nested, name, format!("{} (the request's)", request.value.as_str()));
        }
        request.clone()
    }

    fn lower_software(&mut self, declaration: &'a Declaration) {
        let (meta, attrs) = self.open(declaration, Keyword::Software);
        let version = self.text(&attrs, "version");
        let purl = self.text(&attrs, "purl");
        let cpe = self.text(&attrs, "cpe");
        let supplier = self.text(&attrs, "supplier");
        let license = self.text(&attrs, "license");
        let support = self.word(&attrs, "support");
        let support = self.or_default(
            &attrs,
            "support",
            support,
            Support::WORST,
            Listed::Warn { shown: Support::WORST.word(), assumed: "`abandoned` (the worst case)" },
        );
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
        let category = self.or_default(
            &attrs,
            "category",
            category,
            None,
            Listed::Yes("none: it answers only the rules it names in `mitigates`"),
        );
        let covers = self.references(&attrs, "covers").into_iter().filter_map(Symbol::subject).collect();
        let mitigates = self.rules(&attrs, "mitigates");
        if !attrs.has("mitigates") && category.value.is_some() {
            self.assume(&attrs, "mitigates", "every rule its category protects against");
        }
        let status = self.word(&attrs, "status");
        let status = self.or_default(
            &attrs,
            "status",
            status,
            ControlStatus::Implemented,
            Listed::Yes(ControlStatus::Implemented.word()),
        );
        if !attrs.has("effect") && category.value.is_some() {
            self.assume(&attrs, "effect", "its category's default");
        }
        let effect = self.effect(&attrs);
        let verified_by = self.texts(&attrs, "verified_by");
        self.model.controls.push(Control { meta, category, covers, mitigates, status, effect, verified_by });
    }

    fn effect(&mut self, attrs: &Attributes<'_>) -> Vec<EffectEntry> {
        let Some(attribute) = attrs.get("effect") else { return Vec::new() };
        let Some(entries) = self.map_entries(attribute.value, "effect") else { return Vec::new() };
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
        let target_subject = self.decision_target(target, *keyword);
        let target_ident_span = target.span;
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
        let (Some(rule), Some(target)) = (rule, target_subject) else { return };
        let kind = match keyword {
            Keyword::Transfer => DecisionKind::Transfer { to: party.unwrap_or(Party::WORST) },
            _ => DecisionKind::Accept,
        };
        self.model.decisions.push(Decision {
            kind,
            rule,
            target,
            target_span: target_ident_span,
            reason,
            labeling,
            owner,
            review_by,
            span: declaration.span,
        });
    }

    /// What a decision is about: an id, or `flow.response` for the response leg of a `<->` flow.
    fn decision_target(&mut self, target: &medtm_syntax::ast::Ident, keyword: Keyword) -> Option<Subject> {
        let context = format!("`{keyword}`");
        let Some((base, leg)) = target.name.split_once('.') else {
            return self.resolve(&target.name, target.span, schema::SUBJECT_KINDS, &context).and_then(Symbol::subject);
        };
        let base_span = Span::new(target.span.start, target.span.start + base.len());
        let leg_span = Span::new(base_span.end + 1, target.span.end);
        let symbol = self.resolve(base, base_span, &[SymbolKind::Flow], &context)?;
        let flow = FlowId(symbol.index);
        if leg != RESPONSE_SUFFIX {
            let mut diagnostic = Diagnostic::new(
                Code::UnresolvedReference,
                leg_span,
                format!(
                    "`{leg}` is not a part of a flow; a decision can be about `{base}` or `{base}.{RESPONSE_SUFFIX}`"
                ),
            )
            .with_label("unknown part");
            if super::closest(leg, [RESPONSE_SUFFIX]).is_some() {
                diagnostic = diagnostic.with_help(format!("did you mean `{RESPONSE_SUFFIX}`?")).with_fix(
                    format!("Change to `{RESPONSE_SUFFIX}`"),
                    leg_span,
                    RESPONSE_SUFFIX,
                );
            } else {
                diagnostic = diagnostic.with_help(format!(
                    "write `{base}` for the flow (or a `<->` flow's request) and `{base}.{RESPONSE_SUFFIX}` for a `<->` flow's response"
                ));
            }
            self.push(diagnostic);
            return None;
        }
        // Flows are lowered before decisions, in declaration order of the pending list; the
        // flow's direction is known from its declaration either way.
        let both_ways = self.flow_is_both_ways(flow);
        if both_ways == Some(false) {
            self.push(
                Diagnostic::new(
                    Code::WrongReferenceKind,
                    leg_span,
                    format!("`{base}` is one-way (`->`), so it has no response"),
                )
                .with_label("no response leg")
                .with_related(symbol.span, format!("`{base}` is declared here"))
                .with_help(format!("decide about `{base}` itself, or write the flow with `<->`")),
            );
            return None;
        }
        // A `returns` that did not lower leaves the flow without a response (its error says why).
        if self.model.flows.get(flow.index()).is_some_and(|lowered| lowered.response.is_none()) {
            return None;
        }
        Some(Subject::Response(flow))
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
                self.assume(&attrs, band, "the default row");
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
        self.list_custody_of_secrets();
        self.model.defaults.sort_by_key(|default| default.span.start);
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
        // A response leg exists where the response lowered: a `<->` flow whose `returns` has an
        // error is analysed (by the editors) as its request alone.
        let flows = self
            .model
            .flows
            .iter()
            .enumerate()
            .map(|(index, flow)| (FlowId(index as u32), flow.from, flow.to, flow.response.is_some()));
        self.model.graph = crate::graph::DataFlowGraph::new(self.model.elements.len(), flows.collect::<Vec<_>>());
    }

    /// A component's custody matters where it holds a credential or key: lists the default
    /// custody of those components.
    fn list_custody_of_secrets(&mut self) {
        let model = &self.model;
        let holds_secret = |component: &Component| {
            component.stores.iter().filter_map(|store| model.element(*store).as_store()).any(|store| {
                store.holds.iter().any(|asset| {
                    let asset = model.asset(*asset);
                    asset.has_kind(AssetKind::Credential) || asset.has_kind(AssetKind::CryptoKey)
                })
            })
        };
        let listed: Vec<AppliedDefault> = model
            .elements
            .iter()
            .filter_map(|element| element.as_component().map(|component| (element, component)))
            .filter(|(_, component)| component.custody.origin == Origin::Default && holds_secret(component))
            .map(|(element, component)| AppliedDefault {
                keyword: Keyword::Component.as_str(),
                subject: element.meta.id.as_str().into(),
                attribute: "custody".into(),
                value: component.custody.value.word().into(),
                span: element.meta.id_span,
            })
            .collect();
        self.model.defaults.extend(listed);
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
            // A secret that says what it opens is used: it matters without being carried.
            .filter(|asset| !referenced.contains(asset.meta.id.as_str()) && asset.opens.is_empty())
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

/// A request's attribute taken for the response that `returns` does not describe: a default.
fn mirrored<T: Copy>(attr: &Attr<T>) -> Attr<T> {
    Attr { value: attr.value, origin: Origin::Default, span: None }
}

/// Who holds a component of this kind when the model does not say: the patient for what goes
/// home or on the body, the operator for everything else.
fn default_custody(kind: ComponentKind) -> Custody {
    match kind {
        ComponentKind::Implant | ComponentKind::Wearable | ComponentKind::MobileApp => Custody::Patient,
        _ => Custody::Operator,
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
