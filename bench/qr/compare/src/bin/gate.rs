//! Tuning aid for the early exit: for every corpus image, how many finder patterns
//! (capstones) quircs sees in the cheap probes, and which attempt of the full pipeline reads
//! the code. Shows which probes must find something for every code the fallbacks rescue.
//! `cargo run --release --bin gate -- [CORPUS_DIR]`

use kiln_qr::{Gray, pipeline, preprocess as p};

fn capstones(q: &mut quircs::Quirc, g: Option<&Gray>) -> usize {
    let Some(g) = g else { return 99 };
    kiln_qr::quircs_pass(q, g).finder_patterns.unwrap_or(99)
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../out/qr/corpus").into());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/manifest.json")).unwrap())
            .unwrap();
    println!("file damage full_chain gated plain down2 inv_down2 thr_down2 inv_plain thr4");
    for e in manifest["images"].as_array().unwrap() {
        let file = e["file"].as_str().unwrap();
        let expected = e["payload"].as_str();
        let rgba = image::open(format!("{dir}/{file}")).unwrap().to_rgba8();
        let (w, h) = rgba.dimensions();
        let img = Gray::from_rgba(w as usize, h as usize, rgba.as_raw()).unwrap();
        let mut q = quircs::Quirc::default();
        // `count_finders: false` = no early exit (the full chain, as before the gate).
        let mut run = |count_finders: bool| {
            let outcome = pipeline::search(&img, |g| {
                let pass = kiln_qr::quircs_pass(&mut q, g);
                if count_finders {
                    pass
                } else {
                    pipeline::Pass {
                        finder_patterns: None,
                        finder_area: None,
                        ..pass
                    }
                }
            });
            let ok = expected.is_some_and(|x| outcome.payloads.iter().any(|p| p == x.as_bytes()));
            if ok {
                outcome.attempt.unwrap_or("?")
            } else if expected.is_none() && outcome.payloads.is_empty() {
                if outcome.stopped_early {
                    "neg-early"
                } else {
                    "neg-full"
                }
            } else if outcome.stopped_early {
                "FAIL-early"
            } else {
                "FAIL"
            }
        };
        let full_chain = run(false);
        let gated = run(true);
        let base = p::autocontrast(&img).unwrap_or_else(|| img.clone());
        let down = p::downscale(&base, 2);
        let c = [
            capstones(&mut q, Some(&img)),
            capstones(&mut q, down.as_ref()),
            capstones(&mut q, down.as_ref().map(p::invert).as_ref()),
            capstones(
                &mut q,
                down.as_ref().map(|d| p::threshold_local(d, 2)).as_ref(),
            ),
            capstones(&mut q, Some(&p::invert(&base))),
            capstones(&mut q, Some(&p::threshold_local(&base, 4))),
        ];
        println!(
            "{file} {} {full_chain} {gated} {}",
            e["damage"].as_str().unwrap(),
            c.map(|n| n.to_string()).join(" ")
        );
    }
}
