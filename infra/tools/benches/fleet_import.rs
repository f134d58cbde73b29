//! Fleet-matrix benchmark (a bench binary, not a test): writes a
//! 5,000-vehicle workbook, then prints how long reading and checking it takes.
//! Run with `make bench`.

use chrono::NaiveDate;
use designa::excel::fleet::{read_fleet, write_fleet, FleetRow};
use designa_tools::simulator::synthetic_fleet;
use std::time::Instant;

const VEHICLES: usize = 5_000;
const ROUNDS: usize = 5;

fn main() {
    let entry_on = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    let rows: Vec<FleetRow> = synthetic_fleet(VEHICLES, 11)
        .into_iter()
        .enumerate()
        .map(|(i, v)| FleetRow {
            row: i + 2,
            plate: v.plate,
            make: v.make,
            model: v.model,
            entity: "Siège".into(),
            entry_on,
            exit_on: None,
        })
        .collect();
    let bytes = write_fleet(&rows).expect("workbook");
    println!(
        "workbook: {VEHICLES} vehicles, {:.0} KiB",
        bytes.len() as f64 / 1024.0
    );
    let mut best = f64::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let import = read_fleet(&bytes, |e| e == "Siège").expect("readable");
        best = best.min(start.elapsed().as_secs_f64());
        assert_eq!(import.rows.len(), VEHICLES);
    }
    println!(
        "import + checks:          {:>10.1} ms (best of {ROUNDS}), {:.0} rows/s",
        best * 1000.0,
        VEHICLES as f64 / best
    );
}
