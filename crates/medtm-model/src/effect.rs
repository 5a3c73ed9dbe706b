//! Validation of a control's `effect` entries (CVSS metric abbreviation and value).
//! PROVISIONAL: delegates to medtm-cvss once that crate lands.

/// Why an effect entry is invalid, in the words a diagnostic needs.
#[derive(Debug)]
pub(crate) struct EffectProblem {
    /// Whether the metric (rather than its value) is wrong.
    pub bad_metric: bool,
    pub message: String,
    pub label: String,
    pub help: String,
    /// A close match and its replacement text.
    pub suggestion: Option<(String, String)>,
}

#[allow(clippy::result_large_err, reason = "provisional")]
pub(crate) fn validate(metric: &str, value: &str) -> Result<(), EffectProblem> {
    const METRICS: &[(&str, &[&str])] = &[
        ("AV", &["N", "A", "L", "P"]),
        ("AC", &["L", "H"]),
        ("AT", &["N", "P"]),
        ("PR", &["N", "L", "H"]),
        ("UI", &["N", "R", "P", "A"]),
        ("S", &["U", "C"]),
        ("C", &["N", "L", "H"]),
        ("I", &["N", "L", "H"]),
        ("A", &["N", "L", "H"]),
    ];
    match METRICS.iter().find(|(name, _)| *name == metric) {
        None => Err(EffectProblem {
            bad_metric: true,
            message: format!("`{metric}` is not a CVSS metric"),
            label: "unknown metric".to_owned(),
            help: "metrics: AV, AC, AT, PR, UI, S, C, I, A".to_owned(),
            suggestion: None,
        }),
        Some((_, values)) if !values.contains(&value) => Err(EffectProblem {
            bad_metric: false,
            message: format!("`{value}` is not a value of {metric}"),
            label: "invalid value".to_owned(),
            help: format!("{metric} takes {}", values.join(", ")),
            suggestion: None,
        }),
        Some(_) => Ok(()),
    }
}
