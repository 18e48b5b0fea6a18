//! QR decoder comparison on the generated corpus (bench/qr/gen_corpus.py).
//!
//! ```text
//! cargo run --release -- [--corpus DIR] [--json OUT] [--only name,name] [--damage NAME]
//!                         [--repeat N]
//! ```
//! Each decoder runs `N` times (default 3) per image and the fastest run counts; times are CPU
//! time (thread CPU clock, or the `zbarimg` child's user+system time), because other processes
//! share this machine's cores and inflate wall time.
//! Prints Markdown tables (success overall and per damage type, time per image and per
//! 1280×720 frame) and writes per-image results as JSON.

mod candidates;
mod stats;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use candidates::{ALL, Candidate};
use kiln_qr::Gray;
use serde_json::{Value, json};
use stats::Record;

struct Args {
    corpus: PathBuf,
    json: PathBuf,
    only: Vec<Candidate>,
    damage: Option<String>,
    repeat: usize,
}

fn parse_args() -> Result<Args, String> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = here.join("../../out/qr");
    let mut args = Args {
        corpus: out.join("corpus"),
        json: out.join("results.json"),
        only: ALL.to_vec(),
        damage: None,
        repeat: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--corpus" => args.corpus = value()?.into(),
            "--json" => args.json = value()?.into(),
            "--damage" => args.damage = Some(value()?),
            "--repeat" => args.repeat = value()?.parse().map_err(|e| format!("--repeat: {e}"))?,
            "--only" => {
                args.only = value()?
                    .split(',')
                    .map(|n| Candidate::from_name(n).ok_or(format!("unknown candidate {n}")))
                    .collect::<Result<_, _>>()?
            }
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    Ok(args)
}

fn main() -> Result<(), String> {
    let args = parse_args()?;
    let manifest_text = std::fs::read_to_string(args.corpus.join("manifest.json"))
        .map_err(|e| format!("reading manifest: {e} (run bench/qr/gen_corpus.py first)"))?;
    let manifest: Value = serde_json::from_str(&manifest_text).map_err(|e| e.to_string())?;
    let images = manifest["images"]
        .as_array()
        .ok_or("manifest has no images")?;

    let mut records: Vec<Record> = Vec::new();
    let mut per_image = Vec::new();
    for entry in images {
        let damage = entry["damage"].as_str().unwrap_or("?").to_owned();
        if args.damage.as_ref().is_some_and(|d| *d != damage) {
            continue;
        }
        let file = entry["file"].as_str().unwrap_or_default().to_owned();
        let expected = entry["payload"].as_str().map(str::to_owned);
        let path = args.corpus.join(&file);
        let loaded = image::open(&path).map_err(|e| format!("{file}: {e}"))?;
        let rgba = loaded.to_rgba8();
        let (w, h) = rgba.dimensions();
        let img = Gray::from_rgba(w as usize, h as usize, rgba.as_raw()).ok_or("empty image")?;
        let mut row = BTreeMap::new();
        for &candidate in &args.only {
            // Fastest of `repeat` runs: other processes share this machine's cores. CPU time
            // (this thread, or the zbarimg child) is what the tables report; wall time is kept
            // in the JSON.
            let mut ms = f64::INFINITY;
            let mut wall_ms = f64::INFINITY;
            let mut result = Err(Box::new(()) as Box<dyn std::any::Any + Send>);
            for _ in 0..args.repeat.max(1) {
                if candidate == Candidate::ZxingCpp {
                    let start = Instant::now();
                    let (decoded, cpu) = candidates::zxing(&path).ok_or(
                        "zxing-cpp server failed (pip install -r bench/qr/requirements.txt)",
                    )?;
                    wall_ms = wall_ms.min(start.elapsed().as_secs_f64() * 1e3);
                    ms = ms.min(cpu);
                    result = Ok(decoded);
                    continue;
                }
                let external = candidate.is_external();
                let cpu_start = cpu_ms(external);
                let start = Instant::now();
                result = if external {
                    Ok(candidates::zbar(
                        &path,
                        candidate == Candidate::ZbarInverted,
                    ))
                } else {
                    catch_unwind(AssertUnwindSafe(|| {
                        candidates::run(candidate, &img, rgba.as_raw())
                    }))
                };
                wall_ms = wall_ms.min(start.elapsed().as_secs_f64() * 1e3);
                ms = ms.min(cpu_ms(external) - cpu_start);
            }
            let (texts, attempt, panicked) = match result {
                Ok(d) => (d.texts, d.attempt, false),
                Err(_) => (Vec::new(), None, true),
            };
            let ok = match &expected {
                Some(p) => texts.iter().any(|t| t == p),
                None => texts.is_empty(),
            };
            let wrong = !ok && !texts.is_empty();
            row.insert(
                candidate.name(),
                json!({"ok": ok, "wrong": wrong, "cpu_ms": ms, "wall_ms": wall_ms,
                       "attempt": attempt, "panicked": panicked}),
            );
            records.push(Record {
                candidate,
                damage: damage.clone(),
                negative: expected.is_none(),
                frame720: (w, h) == (1280, 720),
                ok,
                wrong,
                panicked,
                ms,
                attempt,
            });
        }
        eprintln!("{file}: {}", summary_line(&row));
        per_image
            .push(json!({"file": file, "damage": damage, "width": w, "height": h, "results": row}));
    }

    let report = stats::markdown(&records, &args.only);
    println!("{report}");
    if let Some(dir) = args.json.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let out = json!({"corpus": args.corpus, "images": per_image});
    std::fs::write(
        &args.json,
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    eprintln!("per-image results: {}", args.json.display());
    Ok(())
}

/// CPU time in ms of this thread, or of all waited-for child processes (`zbarimg`).
fn cpu_ms(children: bool) -> f64 {
    if children {
        // SAFETY: getrusage only writes the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
        let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
        ms(usage.ru_utime) + ms(usage.ru_stime)
    } else {
        // SAFETY: clock_gettime only writes the struct it is given.
        let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6
    }
}

fn summary_line(row: &BTreeMap<&str, Value>) -> String {
    row.iter()
        .map(|(name, v)| format!("{name}={}", if v["ok"] == true { "ok" } else { "-" }))
        .collect::<Vec<_>>()
        .join(" ")
}
