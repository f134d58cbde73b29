#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| designa_fuzz::api_body::api_body(data));
