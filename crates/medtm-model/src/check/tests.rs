//! Checker tests: what each semantic diagnostic reports and what the model holds.

use super::*;
use crate::model::{ElementId, ElementKind, FlowId, Origin, Subject};
use crate::vocab::{AssetKind, Authn, Harm, Medium};

struct TestRules;

impl RuleCatalog for TestRules {
    fn resolve(&self, name: &str) -> Option<&'static str> {
        ["unauthenticated-command", "replayable-command"].into_iter().find(|rule| *rule == name).or(match name {
            "MTM001" => Some("unauthenticated-command"),
            _ => None,
        })
    }

    fn names(&self) -> Vec<&'static str> {
        vec!["unauthenticated-command", "replayable-command"]
    }
}

const SYSTEM: &str = "system s { function: therapeutic, environment: home }\n";

fn check_text(text: &str) -> (Model, Vec<Diagnostic>) {
    let parsed = medtm_syntax::parse(text);
    assert!(parsed.diagnostics.is_empty(), "syntax errors: {:#?}", parsed.diagnostics);
    let today = jiff::civil::date(2026, 11, 28);
    check(&parsed.file, &TestRules, CheckOptions { today: Some(today) })
}

/// Codes and messages of the diagnostics for a model (with a system prepended).
fn diagnostics(body: &str) -> Vec<String> {
    let (_, diagnostics) = check_text(&format!("{SYSTEM}{body}"));
    diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect()
}

#[test]
fn builds_the_model_with_resolved_references() {
    let (model, diagnostics) = check_text(&format!(
        "{SYSTEM}
asset cmd {{ kind: therapy, harm: catastrophic }}
boundary body {{ kind: enclosure
  component pump {{ kind: wearable, update: {{ signed: true }}, count: 40 }}
}}
component app {{ kind: mobile_app, os: [ios, android] }}
flow bolus: app -> pump {{ medium: ble, carries: [cmd], authn: shared_secret }}
flow app <-> pump {{ medium: ble_lesc, carries: cmd, returns: {{ carries: [cmd] }} }}
control c {{ category: authentication, covers: [bolus, pump], mitigates: [MTM001] }}
accept replayable-command on bolus {{ reason: \"r\", owner: \"o\" }}
"
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert_eq!(model.elements.len(), 2);
    let pump = model.lookup("pump").unwrap();
    let ElementKind::Component(component) = &model.elements[pump.index as usize].kind else {
        panic!("pump is a component")
    };
    assert!(component.update.signed.value);
    assert!(!component.update.anti_rollback.value);
    assert_eq!(component.count.value, 40);
    assert_eq!(model.element(model.flows[0].to).meta.id, "pump");
    assert_eq!(model.flows[0].authn.value, Authn::SharedSecret);
    assert_eq!(model.flows[1].meta.id, "app_to_pump");
    assert_eq!(model.flows[1].media.value, vec![Medium::BleLesc]);
    assert_eq!(model.graph.edge_count(), 3, "the <-> flow is two edges");
    assert_eq!(model.controls[0].mitigates[0].name, "unauthenticated-command", "codes resolve to names");
    assert_eq!(model.controls[0].covers, vec![Subject::Flow(FlowId(0)), Subject::Element(ElementId(pump.index))]);
    assert_eq!(model.decisions[0].rule.name, "replayable-command");
    assert!(!model.boundaries[0].hostile.value, "an enclosure is not hostile");
    assert!(model.element(ElementId(pump.index)).boundary.is_some());
}

#[test]
fn unknown_values_take_the_worst_case_and_become_open_questions() {
    let (model, diagnostics) =
        check_text(&format!("{SYSTEM}asset a {{ kind: therapy, harm: unknown }}\nstore vault {{ holds: [a] }}"));
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert_eq!(model.assets[0].harm.value, Harm::Catastrophic);
    assert_eq!(model.assets[0].harm.origin, Origin::Unknown);
    assert_eq!(model.open_questions[0].attribute, "harm");
}

#[test]
fn an_unknown_update_flag_takes_its_worst_case_and_becomes_an_open_question() {
    let (model, found) = check_text(&format!(
        "{SYSTEM}component pump {{ kind: wearable, functions: [therapy_delivery], \
         update: {{ supported: unknown, signed: unknown, anti_rollback: true }} }}"
    ));
    assert!(found.is_empty(), "{found:#?}");
    let update = &model.elements[0].as_component().expect("a component").update;
    // Supported (an update path to attack) and unsigned: the threats that leaves open.
    assert_eq!((update.supported.value, update.supported.origin), (true, Origin::Unknown));
    assert_eq!((update.signed.value, update.signed.origin), (false, Origin::Unknown));
    assert_eq!((update.anti_rollback.value, update.anti_rollback.origin), (true, Origin::Stated));
    assert_eq!(update.secure_boot.origin, Origin::Default);
    let questions: Vec<_> = model.open_questions.iter().map(|q| (q.subject.as_str(), q.attribute.as_str())).collect();
    assert_eq!(questions, [("pump", "update.supported"), ("pump", "update.signed")]);
    let wrong = diagnostics("component pump { kind: wearable, update: { signed: maybe } }");
    assert!(wrong.iter().any(|d| d.contains("`true`, `false` or `unknown`")), "{wrong:?}");
}

#[test]
fn several_values_are_kept() {
    let (model, _) = check_text(&format!("{SYSTEM}asset a {{ kind: [diagnostic, phi], harm: serious, patients: 10 }}"));
    assert_eq!(model.assets[0].kinds.value, vec![AssetKind::Diagnostic, AssetKind::Phi]);
}

#[test]
fn reports_unknown_keywords_and_attributes_with_suggestions() {
    assert_eq!(diagnostics("compnent pump { kind: wearable }"), vec!["E0201 unknown keyword `compnent`"]);
    assert_eq!(
        diagnostics("component pump { knd: wearable, update: { sigend: true } }"),
        vec!["E0203 `component` has no attribute `knd`", "E0203 `update` has no key `sigend`"]
    );
    assert_eq!(diagnostics("component pump { kind wearable, update: {} }"), vec!["E0205 missing `:` after `kind`"]);
}

#[test]
fn reports_words_outside_vocabularies() {
    let (_, diagnostics) = check_text(&format!("{SYSTEM}component c {{ kind: wearble, update: {{}} }}"));
    assert_eq!(diagnostics[0].code.as_str(), "E0301");
    assert_eq!(diagnostics[0].help.as_deref().unwrap().split('?').next(), Some("did you mean `wearable`"));
    assert_eq!(diagnostics[0].fix.as_ref().unwrap().replacement, "wearable");
}

#[test]
fn reports_wrong_types() {
    assert_eq!(
        diagnostics("component c { kind: \"gateway\", count: 0, antimalware: yes }"),
        vec![
            "E0302 expected a component kind word, found a string",
            "E0302 expected `true` or `false`, found a word",
            "E0302 `count` must be at least 1",
        ]
    );
}

#[test]
fn reports_unresolved_and_wrong_kind_references() {
    let found = diagnostics(
        "asset cmd { kind: config, harm: minor }\ncomponent pump { kind: bedside, update: {} }\nflow pmp -> pump { medium: usb, carries: [pump, cmnd] }",
    );
    assert_eq!(
        found,
        vec![
            "E0303 `pmp` is not declared",
            "E0304 `pump` is a component, but `carries` takes an asset",
            "E0303 `cmnd` is not declared",
        ],
        "`cmd` is not reported unused: it is the suggested fix for `cmnd`"
    );
}

#[test]
fn reports_duplicates_at_both_places() {
    let (_, diagnostics) =
        check_text(&format!("{SYSTEM}asset pump {{ kind: audit_log }}\ncomponent pump {{ kind: ehr }}"));
    let duplicate = diagnostics.iter().find(|d| d.code.as_str() == "E0206").expect("duplicate reported");
    assert_eq!(duplicate.related.len(), 1);
    assert!(duplicate.related[0].span.start < duplicate.span.start);
}

#[test]
fn reports_flows_to_themselves_and_clashing_unnamed_flows() {
    assert_eq!(
        diagnostics(
            "component a { kind: ehr }\ncomponent b { kind: ehr }\nflow a -> a { medium: ipc }\nflow a -> b { medium: ipc }\nflow a -> b { medium: network }"
        ),
        vec!["E0305 flow from `a` to itself", "E0306 this flow's id `a_to_b` is already taken by another unnamed flow"]
    );
}

#[test]
fn reports_unknown_rules_and_targets_in_decisions() {
    assert_eq!(
        diagnostics("accept unauthenticated-comand on nothing { reason: \"r\", owner: \"o\" }"),
        vec!["E0307 no rule is called `unauthenticated-comand`", "E0303 `nothing` is not declared"]
    );
}

#[test]
fn warns_about_missing_attributes_the_analysis_needs() {
    assert_eq!(
        diagnostics(
            "asset a { kind: therapy }\ncomponent c { kind: bedside, update: {} }\nflow c -> c2 { carries: [a] }\ncomponent c2 { kind: ehr }"
        ),
        vec![
            "W0401 asset `a` has no `harm`; assuming `catastrophic` (the worst case) for a safety-relevant asset",
            "W0401 flow `c_to_c2` has no `medium`; assuming `network`",
        ]
    );
    let (_, no_system) = check_text("asset a { kind: audit_log }\nstore s { holds: [a] }");
    assert_eq!(no_system[0].code.as_str(), "W0402");
}

#[test]
fn warns_about_expired_acceptances_and_rejects_conflicting_decisions() {
    let found = diagnostics(
        "component c { kind: ehr }\naccept replayable-command on c { reason: \"r\", owner: \"o\", review_by: 2026-01-01 }\ntransfer replayable-command on c to hdo { labeling: \"l\" }",
    );
    assert_eq!(
        found,
        vec![
            "W0404 this acceptance was due for review on 2026-01-01",
            "E0309 `replayable-command` on this target is decided twice"
        ]
    );
}

#[test]
fn rejects_misplaced_declarations_and_invalid_ids() {
    assert_eq!(
        diagnostics("boundary b { kind: enclosure\n flow x -> y {}\n}\ncomponent PumpServer { kind: ehr }"),
        vec![
            "E0202 a flow cannot be declared inside a boundary",
            "E0207 `PumpServer` is not a snake_case id",
            "E0303 `x` is not declared",
            "E0303 `y` is not declared",
        ]
    );
    assert_eq!(diagnostics("system t {}"), vec!["E0208 a model has one system"]);
}

#[test]
fn one_broken_declaration_is_reported_once() {
    // `pump` is declared with a misspelt keyword: references to it are not errors of their own.
    assert_eq!(
        diagnostics(
            "compnent pump { kind: wearable }\ncomponent app { kind: mobile_app }\nflow app -> pump { medium: ble }"
        ),
        vec!["E0201 unknown keyword `compnent`"]
    );
}

#[test]
fn custom_risk_matrix_overrides_cells() {
    let (model, diagnostics) = check_text(&format!(
        "{SYSTEM}risk_matrix policy {{
  high: {{ negligible: acceptable, minor: review, serious: review, critical: unacceptable, catastrophic: unacceptable }}
  medium: {{ negligible: acceptable, minor: acceptable, serious: review, critical: review, catastrophic: unacceptable }}
  low: {{ negligible: acceptable, minor: acceptable, serious: acceptable, critical: review, catastrophic: review }}
}}"
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let cells = model.risk_matrix.unwrap().cells;
    assert_eq!(cells[0][0], crate::vocab::RiskLevel::Acceptable);
    assert_eq!(cells[2][4], crate::vocab::RiskLevel::Review);
}

#[test]
fn fan_out_narrows_a_flow_to_the_units_one_sender_reaches() {
    let (model, diagnostics) = check_text(&format!(
        "{SYSTEM}
asset cfg {{ kind: config, harm: serious }}
component module {{ kind: controller, update: {{ signed: true }}, count: 400 }}
component pump {{ kind: bedside, update: {{ signed: true }}, count: 400 }}
component server {{ kind: onprem_server, os: linux }}
component unsized {{ kind: bedside, update: {{ signed: true }} }}
flow paired: module -> pump {{ medium: serial, carries: [cfg], fan_out: 1 }}
flow push: server -> pump {{ medium: wifi, carries: [cfg] }}
flow over: server -> unsized {{ medium: wifi, carries: [cfg], fan_out: 12 }}
"
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let fan_out = |id: &str| model.fan_out(FlowId(model.lookup(id).unwrap().index));
    assert_eq!(fan_out("paired"), 1, "stated");
    assert_eq!(fan_out("push"), 400, "left out: every unit of the receiver");
    assert_eq!(fan_out("over"), 12, "against a count left out, the stated fan-out stands");
    assert!(
        !model.defaults.iter().any(|default| default.attribute == "fan_out"),
        "a flow reaching every unit is the model as drawn, not an assumption"
    );
}

#[test]
fn a_fan_out_above_the_receivers_count_is_an_error_at_the_value() {
    let text = format!(
        "{SYSTEM}
asset cfg {{ kind: config, harm: serious }}
component server {{ kind: onprem_server, os: linux }}
component pump {{ kind: bedside, update: {{ signed: true }}, count: 40 }}
flow push: server -> pump {{ medium: wifi, carries: [cfg], fan_out: 400 }}
"
    );
    let (_, diagnostics) = check_text(&text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic.code, Code::WrongType);
    assert_eq!(diagnostic.span.slice(&text), "400");
    assert!(diagnostic.message.contains("reaches 400 units of `pump`, which has 40"), "{}", diagnostic.message);
    assert!(diagnostic.help.as_deref().is_some_and(|help| help.contains("lower `fan_out` to 40")));
}
