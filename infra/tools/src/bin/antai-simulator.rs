//! ANTAI SIMULATOR (not ANTAI): writes exchange-format files for local tests.
//!
//!   antai-simulator notices --plates AB-123-CD,123ABC75 [--count 50] [--seed 1] [--out DIR]
//!   antai-simulator acknowledge --answers FILE [--errors 0.1] [--seed 1] [--out DIR]

use anyhow::{bail, Context, Result};
use chrono::{Days, Utc};
use designa::domain::time::paris_date;
use designa::domain::Plate;
use designa_tools::cli::parse_flags;
use designa_tools::simulator::{
    acknowledge, generate_notices, notice_file, NoticeBatch, SimulatedVehicle,
};
use std::path::PathBuf;

fn usage() -> &'static str {
    "usage:\n  antai-simulator notices --plates PLATE[,PLATE...] [--country FRA] [--count N] [--seed S] [--out DIR]\n  antai-simulator acknowledge --answers FILE [--errors SHARE] [--seed S] [--out DIR]"
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        bail!(usage())
    };
    let options = parse_flags(rest, usage())?;
    let out = PathBuf::from(options.get("out").map(String::as_str).unwrap_or("."));
    let seed: u64 = options
        .get("seed")
        .map(|s| s.parse())
        .transpose()
        .context("--seed must be a number")?
        .unwrap_or(1);
    let file = match command.as_str() {
        "notices" => {
            let country = options.get("country").map(String::as_str).unwrap_or("FRA");
            let plates = options
                .get("plates")
                .with_context(|| format!("--plates is required\n{}", usage()))?;
            let fleet = plates
                .split(',')
                .map(|p| {
                    Ok(SimulatedVehicle {
                        plate: Plate::parse(p, country).with_context(|| format!("plate '{p}'"))?,
                        make: "RENAULT".into(),
                        model: "CLIO".into(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let count: usize = options
                .get("count")
                .map(|s| s.parse())
                .transpose()
                .context("--count must be a number")?
                .unwrap_or(50);
            let today = paris_date(Utc::now());
            let batch = NoticeBatch {
                count,
                offence_window_days: 30,
                issued_on: today - Days::new(1),
                first_number: 5_000_000_000 + seed * 100_000,
                seed,
            };
            notice_file(
                &format!("SIM-{seed}"),
                Utc::now(),
                &generate_notices(&fleet, &batch),
            )
        }
        "acknowledge" => {
            let path = options
                .get("answers")
                .with_context(|| format!("--answers is required\n{}", usage()))?;
            let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
            let share: f64 = options
                .get("errors")
                .map(|s| s.parse())
                .transpose()
                .context("--errors must be a share like 0.1")?
                .unwrap_or(0.1);
            acknowledge(&bytes, share, Utc::now(), seed)
                .with_context(|| format!("{path} is not a valid answers file"))?
        }
        other => bail!("unknown command '{other}'\n{}", usage()),
    };
    let path = out.join(&file.name);
    std::fs::write(&path, &file.bytes).with_context(|| format!("writing {}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}
