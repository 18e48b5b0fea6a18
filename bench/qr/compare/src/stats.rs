//! Success rates and timings as Markdown tables.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::candidates::Candidate;

pub struct Record {
    pub candidate: Candidate,
    pub damage: String,
    pub negative: bool,
    pub frame720: bool,
    pub ok: bool,
    pub wrong: bool,
    pub panicked: bool,
    pub ms: f64,
    pub attempt: Option<&'static str>,
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[((s.len() - 1) as f64 * q).round() as usize]
}

pub fn markdown(records: &[Record], order: &[Candidate]) -> String {
    let mut out = String::new();
    let of = |c: Candidate| records.iter().filter(move |r| r.candidate == c);
    let positives = |c: Candidate| of(c).filter(|r| !r.negative);

    let _ = writeln!(
        out,
        "Times are CPU ms per image (fastest of the repeats).\n\n\
         | decoder | decoded | % | wrong payload | panics | mean ms | median ms | p95 ms | max ms | \
         mean ms 1280×720 | median ms 1280×720 |\n|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for &c in order {
        let pos: Vec<&Record> = positives(c).collect();
        let ok = pos.iter().filter(|r| r.ok).count();
        let ms: Vec<f64> = pos.iter().map(|r| r.ms).collect();
        let ms720: Vec<f64> = pos.iter().filter(|r| r.frame720).map(|r| r.ms).collect();
        let _ = writeln!(
            out,
            "| {} | {}/{} | {:.1} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            c.name(),
            ok,
            pos.len(),
            100.0 * ok as f64 / pos.len().max(1) as f64,
            pos.iter().filter(|r| r.wrong).count(),
            of(c).filter(|r| r.panicked).count(),
            mean(&ms),
            quantile(&ms, 0.5),
            quantile(&ms, 0.95),
            quantile(&ms, 1.0),
            mean(&ms720),
            quantile(&ms720, 0.5),
        );
    }

    let negatives: Vec<&Record> = records.iter().filter(|r| r.negative).collect();
    if !negatives.is_empty() {
        let _ = writeln!(
            out,
            "\nImages without a QR code (camera frames and screenshots): false positives and time.\n\n\
             | decoder | false positives | mean ms | max ms |\n|---|---|---|---|"
        );
        for &c in order {
            let neg: Vec<&Record> = of(c).filter(|r| r.negative).collect();
            let ms: Vec<f64> = neg.iter().map(|r| r.ms).collect();
            let _ = writeln!(
                out,
                "| {} | {}/{} | {:.1} | {:.1} |",
                c.name(),
                neg.iter().filter(|r| !r.ok).count(),
                neg.len(),
                mean(&ms),
                quantile(&ms, 1.0)
            );
        }
    }

    let mut damages: Vec<&str> = Vec::new();
    for r in records.iter().filter(|r| !r.negative) {
        if !damages.contains(&r.damage.as_str()) {
            damages.push(&r.damage);
        }
    }
    let _ = write!(out, "\nDecoded per damage type:\n\n| damage |");
    for &c in order {
        let _ = write!(out, " {} |", c.name());
    }
    let _ = write!(out, "\n|---|");
    for _ in order {
        let _ = write!(out, "---|");
    }
    let _ = writeln!(out);
    for d in &damages {
        let _ = write!(out, "| {d} |");
        for &c in order {
            let rows: Vec<&Record> = positives(c).filter(|r| r.damage == *d).collect();
            let _ = write!(
                out,
                " {}/{} |",
                rows.iter().filter(|r| r.ok).count(),
                rows.len()
            );
        }
        let _ = writeln!(out);
    }

    for &c in order {
        let mut hist: BTreeMap<&str, usize> = BTreeMap::new();
        for r in positives(c).filter(|r| r.ok) {
            if let Some(a) = r.attempt {
                *hist.entry(a).or_default() += 1;
            }
        }
        if !hist.is_empty() {
            let list: Vec<String> = hist.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let _ = writeln!(
                out,
                "\n{}: successful attempt — {}",
                c.name(),
                list.join(", ")
            );
        }
    }
    out
}
