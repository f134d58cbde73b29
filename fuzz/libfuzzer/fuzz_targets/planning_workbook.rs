#![no_main]

libfuzzer_sys::fuzz_target!(
    init: designa_fuzz::contain_workbook_reader_panics(),
    |data: &[u8]| designa_fuzz::workbook::planning_workbook(data)
);
