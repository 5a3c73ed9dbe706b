//! The model's software as a CycloneDX 1.5 JSON SBOM: the system as the BOM's subject, one
//! component per `software` declaration (with its purl, CPE, supplier and licence, and its support
//! status and end of support as `medtm:` properties), and the system's dependency on each.
//!
//! The document is deterministic: it has no `serialNumber` and no `timestamp`, both optional in
//! CycloneDX. A serial number must differ between any two BOMs, even of unchanged contents, so
//! one derived from the model would break the standard's promise, and a random one would break
//! medtm's (the same model gives the same bytes). Whoever publishes the SBOM can add both.
//!
//! The types are written here rather than taken from `cyclonedx-bom`: that crate's `Bom` draws a
//! random serial number by default and brings in UUID generation (which needs extra setup on the
//! WASM target this crate also serves), date-time, XML and URL crates for the dozen fields used
//! here. The test suite validates the output against the official CycloneDX 1.5 schema.

use serde::Serialize;

use medtm_model::Model;
use medtm_model::model::{Software, SoftwareId};
use medtm_model::vocab::{SystemFunction, Vocabulary as _};

/// The schema the document declares.
const SCHEMA: &str = "http://cyclonedx.org/schema/bom-1.5.schema.json";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[serde(rename = "$schema")]
    schema: &'static str,
    bom_format: &'static str,
    spec_version: &'static str,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dependencies: Vec<Dependency>,
}

#[derive(Debug, Serialize)]
struct Metadata {
    tools: Tools,
    #[serde(skip_serializing_if = "Option::is_none")]
    component: Option<Component>,
}

#[derive(Debug, Serialize)]
struct Tools {
    components: Vec<Component>,
}

#[derive(Debug, Default, Serialize)]
struct Component {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<Organization>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpe: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

#[derive(Debug, Serialize)]
struct Organization {
    name: String,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum LicenseChoice {
    License { license: License },
    Expression { expression: String },
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase")]
enum License {
    /// An SPDX license identifier.
    Id(String),
    /// Any other licence, by name.
    Name(String),
}

#[derive(Debug, Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    depends_on: Vec<String>,
}

/// Writes the SBOM as pretty JSON (with a trailing newline).
pub fn write(model: &Model, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(model))?;
    out.write_all(b"\n")
}

/// The SBOM as pretty JSON.
pub fn render(model: &Model) -> String {
    crate::format::to_string(|out| write(model, out))
}

fn document(model: &Model) -> Document {
    let system = model.system.as_ref().map(|system| {
        let mut properties = vec![
            property("medtm:function", system.function.value.as_str()),
            property("medtm:environment", system.environment.value.as_str()),
        ];
        if let Some(class) = &system.device_class {
            properties.push(property("medtm:device_class", class));
        }
        Component {
            // A health-IT system is software; everything else medtm models is a medical device.
            kind: if system.function.value == SystemFunction::HealthIt { "application" } else { "device" },
            bom_ref: Some(system.meta.id.clone()),
            name: system.meta.label.clone(),
            version: system.version.clone(),
            description: system.meta.doc.clone(),
            properties,
            ..Component::default()
        }
    });
    let dependencies = system
        .iter()
        .filter(|_| !model.software.is_empty())
        .map(|system| Dependency {
            reference: system.bom_ref.clone().unwrap_or_default(),
            depends_on: model.software.iter().map(|software| software.meta.id.clone()).collect(),
        })
        .collect();
    let medtm = Component {
        kind: "application",
        name: "medtm".to_owned(),
        version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        ..Component::default()
    };
    Document {
        schema: SCHEMA,
        bom_format: "CycloneDX",
        spec_version: "1.5",
        version: 1,
        metadata: Metadata { tools: Tools { components: vec![medtm] }, component: system },
        components: model
            .software
            .iter()
            .enumerate()
            .map(|(index, software)| component(model, index, software))
            .collect(),
        dependencies,
    }
}

fn component(model: &Model, index: usize, software: &Software) -> Component {
    let id = SoftwareId(index as u32);
    let mut properties = vec![property("medtm:support", software.support.value.as_str())];
    if let Some(date) = software.end_of_support {
        properties.push(property("medtm:end_of_support", &date.to_string()));
    }
    let users: Vec<&str> = model
        .elements
        .iter()
        .filter(|element| element.as_component().is_some_and(|component| component.software.contains(&id)))
        .map(|element| element.meta.id.as_str())
        .collect();
    if !users.is_empty() {
        properties.push(property("medtm:used_by", &users.join(", ")));
    }
    Component {
        kind: software.cpe.as_deref().map_or("library", cpe_kind),
        bom_ref: Some(software.meta.id.clone()),
        supplier: software.supplier.clone().map(|name| Organization { name }),
        name: software.meta.label.clone(),
        version: software.version.clone(),
        description: software.meta.doc.clone(),
        licenses: software.license.as_deref().map(license).into_iter().collect(),
        cpe: software.cpe.clone(),
        purl: software.purl.clone(),
        properties,
    }
}

/// The component type a CPE's part names: an application, an operating system (NVD files
/// firmware as one) or hardware; software without a CPE is taken as a library.
fn cpe_kind(cpe: &str) -> &'static str {
    let part = cpe.strip_prefix("cpe:2.3:").or_else(|| cpe.strip_prefix("cpe:/")).and_then(|rest| rest.chars().next());
    match part {
        Some('a') => "application",
        Some('o') => "operating-system",
        Some('h') => "device",
        _ => "library",
    }
}

/// A licence as CycloneDX wants it: an SPDX identifier as `id`, an SPDX expression as
/// `expression`, and anything else (`"proprietary"`) by name.
fn license(text: &str) -> LicenseChoice {
    if let Some(id) = spdx::license_id(text) {
        LicenseChoice::License { license: License::Id(id.name.to_owned()) }
    } else if spdx::Expression::parse(text).is_ok() {
        LicenseChoice::Expression { expression: text.to_owned() }
    } else {
        LicenseChoice::License { license: License::Name(text.to_owned()) }
    }
}

fn property(name: &'static str, value: &str) -> Property {
    Property { name, value: value.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::{cpe_kind, license};

    #[test]
    fn licences_are_spdx_ids_expressions_or_names() {
        let json = |text| serde_json::to_value(license(text)).expect("serialisable");
        assert_eq!(json("Apache-2.0"), serde_json::json!({ "license": { "id": "Apache-2.0" } }));
        assert_eq!(json("MIT OR Apache-2.0"), serde_json::json!({ "expression": "MIT OR Apache-2.0" }));
        assert_eq!(json("Acme proprietary"), serde_json::json!({ "license": { "name": "Acme proprietary" } }));
    }

    #[test]
    fn cpe_parts_give_component_types() {
        assert_eq!(cpe_kind("cpe:2.3:o:microsoft:windows_server_2019:-:*:*:*:*:*:*:*"), "operating-system");
        assert_eq!(cpe_kind("cpe:2.3:a:openssl:openssl:3.5.4:*:*:*:*:*:*:*"), "application");
        assert_eq!(cpe_kind("cpe:/h:acme:pump"), "device");
        assert_eq!(cpe_kind("not a cpe"), "library");
    }
}
