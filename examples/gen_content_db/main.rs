//! `cargo run --release --example gen_content_db -- --size-mb 100 --seed 1 -o bench-100.db`:
//! writes a realistic ContentEngine database at revision f17b8d2e4c90 for the benchmarks
//! (see BENCHMARKS.md). The same size and seed always give the same bytes.

mod generate;

use std::process::ExitCode;

/// The options: `--size-mb N` (default 10), `--seed S` (default 1), `-o PATH` (required).
fn parse(args: &[String]) -> Result<(generate::Spec, String), String> {
    let mut size_mb: u64 = 10;
    let mut seed: u64 = 1;
    let mut out = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--size-mb" => size_mb = value()?.parse().map_err(|e| format!("--size-mb: {e}"))?,
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "-o" | "--output" => out = Some(value()?.clone()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let out = out.ok_or("-o PATH is required")?;
    let spec = generate::Spec {
        target_bytes: size_mb * 1024 * 1024,
        seed,
    };
    Ok((spec, out))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (spec, out) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!(
                "gen_content_db: {message}\nusage: gen_content_db [--size-mb N] [--seed S] -o PATH"
            );
            return ExitCode::FAILURE;
        }
    };
    let (bytes, counts) = match generate::generate(spec) {
        Ok(made) => made,
        Err(error) => {
            eprintln!("gen_content_db: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = std::fs::write(&out, &bytes) {
        eprintln!("gen_content_db: cannot write {out}: {error}");
        return ExitCode::FAILURE;
    }
    println!(
        "{out}: {} bytes at {}; {counts:?}",
        bytes.len(),
        generate::REVISION
    );
    ExitCode::SUCCESS
}
