//! The ranked risks as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they
//! hold a comma, a quote or a line break), one row per finding in rank order (each risk's
//! findings together, the root cause first), for spreadsheets.
//!
//! Spreadsheet formula injection is guarded against: a model's labels end up in cells, and a
//! spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return,
//! which some read past) as a formula. Such a cell is written with a single quote in front
//! (`'=cmd|...`), which spreadsheets show as text. No medtm-generated value starts with one of
//! these characters, so only model text is ever changed.

use std::borrow::Cow;

use crate::dto::{Report, Vector};

/// The header row.
const HEADER: [&str; 28] = [
    "rank",
    "risk rank",
    "risk",
    "id",
    "rule",
    "rule name",
    "title",
    "subject",
    "subject label",
    "STRIDE",
    "CVSS 3.1 vector",
    "CVSS 3.1 score",
    "CVSS 4.0 vector",
    "CVSS 4.0 score",
    "harm",
    "level",
    "residual level",
    "status",
    "multi-patient",
    "residual CVSS 3.1 vector",
    "residual CVSS 3.1 score",
    "residual CVSS 4.0 vector",
    "residual CVSS 4.0 score",
    "controls applied",
    "controls not applied",
    "assumes",
    "still missing",
    "attack path",
];

/// Writes the ranked risks as CSV: the inherent CVSS vectors and scores (as in the report's
/// table), the levels and status, how many devices one compromise reaches (empty for one), and
/// the residual vectors and scores after controls.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    writer.write_record(HEADER)?;
    for finding in &report.findings {
        let (v31, v31_score) = vector(&finding.inherent.cvss_v31);
        let (v40, v40_score) = vector(&finding.inherent.cvss_v40);
        let (residual_v31, residual_v31_score) = vector(&finding.residual.cvss_v31);
        let (residual_v40, residual_v40_score) = vector(&finding.residual.cvss_v40);
        let applied: Vec<String> =
            finding.controls.iter().map(|c| format!("{} ({}): {}", c.id, c.status, c.basis)).collect();
        let mut unapplied: Vec<String> =
            finding.unapplied_controls.iter().map(|c| format!("{}: {}", c.id, c.reason)).collect();
        if finding.unapplied_more > 0 {
            unapplied.push(format!("and {} more", finding.unapplied_more));
        }
        let row: [Cow<'_, str>; 28] = [
            finding.rank.to_string().into(),
            finding.risk_rank.to_string().into(),
            finding.risk.into(),
            finding.id.into(),
            finding.rule.code.into(),
            finding.rule.name.into(),
            finding.rule.title.into(),
            finding.subject.id.into(),
            finding.subject.label.into(),
            finding.stride.as_str().into(),
            v31,
            v31_score,
            v40,
            v40_score,
            finding.harm.unwrap_or_default().into(),
            finding.inherent.level.into(),
            finding.residual.level.into(),
            finding.status.into(),
            finding.multi_patient_reach.map(|reach| reach.to_string()).unwrap_or_default().into(),
            residual_v31,
            residual_v31_score,
            residual_v40,
            residual_v40_score,
            applied.join("; ").into(),
            unapplied.join("; ").into(),
            crate::text::assumed_line(&finding).into(),
            finding.still_missing.clone().unwrap_or_default().into(),
            finding.attack_path.as_ref().map(|path| path.text.clone()).unwrap_or_default().into(),
        ];
        writer.write_record(row.map(guard).iter().map(|cell| cell.as_bytes()))?;
    }
    writer.flush()?;
    Ok(())
}

fn vector<'a>(vector: &Vector<'a>) -> (Cow<'a, str>, Cow<'a, str>) {
    (vector.vector.into(), format!("{:.1}", vector.score).into())
}

/// A cell a spreadsheet will not run as a formula: one that starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a single quote in front.
fn guard(cell: Cow<'_, str>) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell }
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn cells_that_would_run_as_formulas_are_quoted() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(guard(cell.into()), format!("'{cell}"));
        }
        for cell in ["Patch pump", "1+1", "", "CVSS:3.1/AV:N"] {
            assert_eq!(guard(cell.into()), cell);
        }
    }
}
