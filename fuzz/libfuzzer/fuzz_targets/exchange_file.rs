#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| designa_fuzz::exchange::exchange_file(data));
