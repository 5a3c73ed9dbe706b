//! Hospital-scale model generator: wards of bedside devices behind clinical VLANs, ward gateways
//! and central stations, a data centre with EHR, PACS and interface engines, vendor links and an
//! update server, fleets with `count`, and the flows between them. Deterministic for a seed.
//!
//! The output is a valid model (it checks without errors) whose size is close to the requested
//! number of elements (actors, components and stores); flows number about 1.6 per element.

use std::fmt::Write as _;

/// SplitMix64: a tiny generator whose sequence never changes, so a seed reproduces a model
/// byte for byte on every platform and every version (a library RNG gives no such promise).
#[derive(Debug, Clone)]
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Elements in one ward: a gateway, a central station, a nurse, and bedside devices.
const DEVICES_PER_WARD: usize = 20;

/// Generates a model with about `elements` elements.
pub fn hospital(elements: usize, seed: u64) -> String {
    let mut rng = SplitMix(seed);
    let mut out = String::with_capacity(elements * 420);
    let wards = (elements.saturating_sub(12) / (DEVICES_PER_WARD + 3)).max(1);
    let _ = writeln!(out, "/// A generated hospital with {wards} wards (seed {seed}).");
    out.push_str(HEADER);
    // Elements nest in their ward's boundary; flows follow at the top level.
    let mut flows = String::with_capacity(elements * 200);
    for ward in 0..wards {
        ward_block(&mut out, &mut flows, ward, &mut rng);
    }
    out.push_str("}\n\n");
    out.push_str(&flows);
    out.push_str(FOOTER);
    out
}

const HEADER: &str = r#"system hospital "Generated hospital" {
  version: "1.0"
  function: therapeutic
  environment: hospital
  device_class: "II"
}

asset infusion_order "Infusion order" { kind: therapy, harm: catastrophic }
asset drug_library "Drug library" { kind: config, harm: catastrophic }
asset alarm_limits "Alarm limits" { kind: config, harm: critical }
asset vitals "Vital signs" { kind: monitoring, harm: critical }
asset alarm "Physiological alarm" { kind: alarm, harm: catastrophic }
asset patient_data "Patient demographics" { kind: phi, patients: 400000 }
asset images "Diagnostic images" { kind: [diagnostic, phi], harm: serious, patients: 400000 }
asset device_firmware "Device firmware" { kind: firmware, harm: catastrophic }
asset service_password "Service password" { kind: credential }
asset event_log "Device event log" { kind: audit_log }

software rtos "Device RTOS" { version: "10.4.3", purl: "pkg:generic/freertos@10.4.3", support: maintained }
software tls_library "TLS library" { version: "2.16.12", purl: "pkg:generic/mbedtls@2.16.12", support: unmaintained, end_of_support: 2021-12-31 }
software windows "Windows 10 IoT LTSC" { version: "1809", cpe: "cpe:2.3:o:microsoft:windows_10:1809", support: maintained, end_of_support: 2029-01-09 }

actor vendor_engineer "Vendor support engineer" { role: vendor_support, auth: mfa }
actor pharmacist "Pharmacist" { role: pharmacist, auth: password }

boundary vendor "Vendor network" {
  kind: vendor_network
  component vendor_vpn "Vendor VPN" { kind: gateway, logging: off_device }
  component update_server "Update server" { kind: update_server, logging: off_device }
}

boundary hospital_net "Hospital network" {
  kind: hospital_network

  boundary datacenter "Data centre" {
    kind: clinical_vlan
    component ehr "EHR" { kind: ehr, logging: off_device }
    component hl7_engine "HL7 interface engine" { kind: gateway, os: windows, antimalware: true, software: [windows] }
    component pump_server "Infusion server" { kind: onprem_server, os: windows, antimalware: true, software: [windows], logging: off_device }
    component pacs "PACS" { kind: pacs, os: linux, logging: off_device, stores: [archive] }
    store archive "Image archive" { holds: [images, patient_data], encrypted: true }
  }
"#;

const FOOTER: &str = r#"
flow ehr -> hl7_engine "Orders" { medium: ethernet, protocol: hl7v2_mllp, carries: [infusion_order, patient_data], authn: none, encryption: none }
flow hl7_engine -> pump_server "Auto-programming" { medium: ethernet, protocol: hl7v2_mllp, carries: [infusion_order], authn: none, encryption: none }
flow pharmacist -> pump_server "Edit drug library" { medium: network, protocol: https, carries: [drug_library], authn: password, encryption: tls1_2 }
flow vendor_engineer -> vendor_vpn "Remote session" { medium: internet, protocol: https, carries: [service_password], authn: mfa, encryption: tls1_3 }
flow vendor_vpn -> pump_server "Remote maintenance" { medium: internet, protocol: rdp, carries: [event_log], authn: password, encryption: tls1_2 }
flow update_server -> pump_server "Firmware download" { medium: internet, protocol: https, carries: [device_firmware], authn: mtls, encryption: tls1_3, integrity: signature }

control network_segmentation "Clinical VLANs reachable only from the data centre" {
  category: authorization
  covers: [hospital_net]
  verified_by: ["NET-1"]
}

assumption hostile_network "An attacker can reach every segment of the hospital network."
"#;

fn ward_block(out: &mut String, flows: &mut String, ward: usize, rng: &mut SplitMix) {
    let w = ward;
    let _ = writeln!(out, "\n  boundary ward_{w} \"Ward {w}\" {{\n    kind: clinical_vlan");
    let _ = writeln!(out, "    actor nurse_{w} \"Nurse, ward {w}\" {{ role: nurse, auth: smartcard }}");
    let _ = writeln!(
        out,
        "    component gateway_{w} \"Ward gateway {w}\" {{ kind: gateway, os: embedded_linux, logging: off_device, software: [tls_library] }}"
    );
    let _ = writeln!(
        out,
        "    component central_{w} \"Central station {w}\" {{ kind: workstation, os: windows, antimalware: true, functions: [monitoring, alarm], logging: off_device, software: [windows] }}"
    );
    for device in 0..DEVICES_PER_WARD {
        let id = format!("bed_{w}_{device}");
        let pump = rng.below(2) == 0;
        let signed = rng.pick(&["true", "true", "false"]);
        let rollback = rng.pick(&["true", "false"]);
        let count = 20 + rng.below(400);
        if pump {
            let _ = writeln!(
                out,
                "    component {id} \"Infusion pump {w}-{device}\" {{\n      kind: bedside\n      os: rtos\n      functions: [therapy_delivery, alarm]\n      update: {{ signed: {signed}, anti_rollback: {rollback}, secure_boot: true }}\n      debug_ports: {{ uart: {} }}\n      logging: local\n      software: [rtos]\n      count: {count}\n    }}",
                rng.pick(&["locked", "removed", "open"])
            );
            let authn = rng.pick(&["fleet_key", "per_device_key", "mtls"]);
            let _ = writeln!(
                *flows,
                "flow pump_server -> {id} \"Orders and library\" {{ medium: wifi, protocol: proprietary, carries: [infusion_order, drug_library], authn: {authn}, encryption: tls1_2, integrity: mac, replay: counter }}"
            );
            let _ = writeln!(
                *flows,
                "flow nurse_{w} -> {id} \"Confirm infusion\" {{ medium: ui, carries: [infusion_order], authn: smartcard }}"
            );
        } else {
            let _ = writeln!(
                out,
                "    component {id} \"Patient monitor {w}-{device}\" {{\n      kind: bedside\n      os: embedded_linux\n      functions: [monitoring, alarm]\n      update: {{ signed: {signed}, anti_rollback: {rollback}, secure_boot: true }}\n      debug_ports: {{ usb_service: authenticated }}\n      logging: local\n      count: {count}\n    }}"
            );
            let _ = writeln!(
                *flows,
                "flow central_{w} -> {id} \"Alarm limits\" {{ medium: ethernet, protocol: proprietary, carries: [alarm_limits], authn: {}, encryption: none, replay: none }}",
                rng.pick(&["none", "shared_secret", "mtls"])
            );
        }
        let _ = writeln!(
            flows,
            "flow {id} -> central_{w} \"Vitals and alarms\" {{ medium: ethernet, protocol: proprietary, carries: [vitals, alarm, event_log], authn: mtls, encryption: tls1_2, integrity: mac }}"
        );
    }
    out.push_str("  }\n");
    let _ = writeln!(
        flows,
        "flow central_{w} -> gateway_{w} \"Forward alarms\" {{ medium: ethernet, protocol: hl7v2_mllp, carries: [alarm], authn: none, encryption: none }}"
    );
    let _ = writeln!(
        flows,
        "flow gateway_{w} -> nurse_{w} \"Page nurse\" {{ medium: wifi, carries: [alarm], authn: none, encryption: link }}"
    );
    let _ = writeln!(
        flows,
        "flow results_{w}: central_{w} -> ehr \"Send numerics\" {{ medium: ethernet, protocol: hl7v2_mllp, carries: [vitals, patient_data], authn: none, encryption: none }}"
    );
}
