#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| streetpress::fuzz_entry::slug(data));
