//! Fuzz target `pipeline`: see `medtm_tests::fuzz_checks::pipeline` for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| medtm_tests::fuzz_checks::pipeline(bytes));
