//! What `Analysis` gives beyond the shared feature table: the findings' marks of a model with
//! and without errors, rename, quick fixes and formatting, in byte offsets.

use medtm_ide::{Analysis, Level};
use medtm_model::CheckOptions;

const PUMP: &str = "component app \"Pump app 📱\" { kind: mobile_app }\ncomponent pump \"🫀\" { kind: wearable }\n\
    asset cmd { kind: therapy }\nflow app -> pump { medium: ble, carries: [cmd] }\n";

fn analyse(text: &str) -> Analysis {
    Analysis::analyse(text, CheckOptions::default())
}

#[test]
fn marks_rank_every_finding_on_its_subject() {
    let analysis = analyse(PUMP);
    let marks = analysis.marks();
    assert!(!marks.is_empty());
    for (index, mark) in marks.iter().enumerate() {
        assert_eq!(mark.rank, index + 1, "rank order");
        assert_eq!(mark.total, Some(marks.len()));
        assert!(!mark.despite_errors);
        let subject = mark.finding.split('@').nth(1).unwrap_or_default();
        let marked = mark.span.slice(analysis.text());
        assert!(marked == subject || marked == "app -> pump", "{} marks `{marked}`", mark.finding);
    }
    assert!(marks.iter().any(|mark| mark.level == Level::Warning), "an unmitigated command to a pump is loud");
}

#[test]
fn marks_survive_errors_elsewhere_and_say_so() {
    let broken = format!("{PUMP}component toaster {{ kind: toaster }}\n");
    let analysis = analyse(&broken);
    assert!(analysis.diagnostics().iter().any(|d| d.level == Level::Error && d.code == "E0301"));
    let marks = analysis.marks();
    assert!(!marks.is_empty(), "the flow's findings are untouched by the error");
    for mark in &marks {
        assert!(mark.despite_errors && mark.total.is_none(), "{mark:?}");
        assert!(mark.message.contains("so far: the model has errors"), "{}", mark.message);
        assert!(!mark.finding.ends_with("@toaster"), "nothing on the broken declaration");
    }
    assert!(Analysis::check(broken.as_str(), CheckOptions::default()).marks().is_empty(), "checking scores nothing");
}

#[test]
fn renames_every_occurrence_and_refuses_keywords() {
    let analysis = analyse(PUMP);
    let at = PUMP.find("pump {").unwrap_or_default();
    let mut renamed = PUMP.to_owned();
    for edit in analysis.rename(at, "patch").expect("a rename").iter().rev() {
        renamed.replace_range(edit.span.start..edit.span.end, &edit.text);
    }
    assert!(renamed.contains("component patch \"🫀\"") && renamed.contains("flow app -> patch"), "{renamed}");
    let error = analysis.rename(0, "x").expect_err("a keyword");
    assert!(error.contains("part of the language"), "{error}");
}

#[test]
fn quick_fixes_replace_a_misspelt_word() {
    let text = "component pump { kind: wearabel }\n";
    let analysis = analyse(text);
    let at = text.find("wearabel").unwrap_or_default();
    let fixes = analysis.quick_fixes(medtm_ide::Span::at(at));
    let fix = fixes.first().expect("a fix");
    assert_eq!((fix.edit.span.slice(text), fix.edit.text.as_str()), ("wearabel", "wearable"));
}

#[test]
fn formats_and_says_why_not() {
    assert_eq!(
        analyse("component   pump {kind:wearable}\n").format().as_deref(),
        Ok("component pump { kind: wearable }\n")
    );
    let error = analyse("component pump {\n").format().expect_err("a syntax error");
    assert!(error.contains("line 1"), "{error}");
}
