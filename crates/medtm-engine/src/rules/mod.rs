//! The rule catalogue: one file per rule, registered here in code order.

mod cleartext_clinical_protocol;
mod cleartext_sensitive_data;
mod credential_leaves_custody;
mod exposed_remote_access;
mod firmware_downgrade;
mod fleet_shared_secret;
mod hardcoded_credential;
mod internet_path_to_therapy;
mod malformed_input_to_safety_function;
mod missing_secure_boot;
mod multi_patient_push;
mod open_debug_port;
mod password_brute_force;
mod phi_to_third_party;
mod removable_media_malware;
mod replayable_command;
mod safety_link_flooding;
mod service_interface_takeover;
mod single_factor_therapy_access;
mod software_near_end_of_support;
mod tamperable_safety_data;
mod unauthenticated_command;
mod unencrypted_data_at_rest;
mod unpatchable_device;
mod unprotected_windows;
mod unsigned_firmware;
mod unsupported_software;
mod untraceable_phi_access;
mod untraceable_safety_actions;
mod weak_ble_pairing;
mod writable_safety_store;

use crate::rule::Rule;

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &unauthenticated_command::RULE,
    &replayable_command::RULE,
    &cleartext_sensitive_data::RULE,
    &tamperable_safety_data::RULE,
    &fleet_shared_secret::RULE,
    &password_brute_force::RULE,
    &unsigned_firmware::RULE,
    &firmware_downgrade::RULE,
    &open_debug_port::RULE,
    &unsupported_software::RULE,
    &unprotected_windows::RULE,
    &unpatchable_device::RULE,
    &malformed_input_to_safety_function::RULE,
    &safety_link_flooding::RULE,
    &untraceable_safety_actions::RULE,
    &cleartext_clinical_protocol::RULE,
    &multi_patient_push::RULE,
    &unencrypted_data_at_rest::RULE,
    &internet_path_to_therapy::RULE,
    &missing_secure_boot::RULE,
    &weak_ble_pairing::RULE,
    &exposed_remote_access::RULE,
    &service_interface_takeover::RULE,
    &single_factor_therapy_access::RULE,
    &writable_safety_store::RULE,
    &phi_to_third_party::RULE,
    &untraceable_phi_access::RULE,
    &removable_media_malware::RULE,
    &software_near_end_of_support::RULE,
    &hardcoded_credential::RULE,
    &credential_leaves_custody::RULE,
];
