//! Fuzz target `format_roundtrip`: see `medtm_tests::fuzz_checks::format_roundtrip` for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| medtm_tests::fuzz_checks::format_roundtrip(bytes));
