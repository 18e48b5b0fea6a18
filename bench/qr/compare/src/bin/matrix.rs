//! Tuning aid: runs quircs on every single clean-up (not chained) for every corpus image and
//! prints which clean-ups decode which images and what each costs, then a greedy order.
//! `cargo run --release --bin matrix -- [CORPUS_DIR]`

use std::time::Instant;

use kiln_qr::{Gray, preprocess as p};

type Variant = (&'static str, fn(&Gray) -> Option<Gray>);

fn variants() -> Vec<Variant> {
    fn ac(g: &Gray) -> Gray {
        p::autocontrast(g).unwrap_or_else(|| g.clone())
    }
    vec![
        ("plain", |g| Some(g.clone())),
        ("autocontrast", |g| p::autocontrast(g)),
        ("inverted", |g| Some(p::invert(&ac(g)))),
        ("blur1", |g| Some(p::box_blur(&ac(g), 1))),
        ("blur2", |g| Some(p::box_blur(&ac(g), 2))),
        ("upscale2", |g| p::upscale2(&ac(g))),
        ("up2_thr3", |g| {
            p::upscale2(&ac(g)).map(|u| p::threshold_local(&u, 3))
        }),
        ("up2_thr6", |g| {
            p::upscale2(&ac(g)).map(|u| p::threshold_local(&u, 6))
        }),
        ("downscale2", |g| p::downscale(&ac(g), 2)),
        ("thr2", |g| Some(p::threshold_local(&ac(g), 2))),
        ("thr3", |g| Some(p::threshold_local(&ac(g), 3))),
        ("thr4", |g| Some(p::threshold_local(&ac(g), 4))),
        ("thr6", |g| Some(p::threshold_local(&ac(g), 6))),
        ("thr8", |g| Some(p::threshold_local(&ac(g), 8))),
        ("thr12", |g| Some(p::threshold_local(&ac(g), 12))),
        ("blur1_thr4", |g| {
            Some(p::threshold_local(&p::box_blur(&ac(g), 1), 4))
        }),
        ("inv_thr4", |g| {
            Some(p::threshold_local(&p::invert(&ac(g)), 4))
        }),
        ("up2_nearest", |g| p::upscale_nearest(&ac(g), 2)),
        ("up3_nearest", |g| p::upscale_nearest(&ac(g), 3)),
        ("up3n_thr4", |g| {
            p::upscale_nearest(&ac(g), 3).map(|u| p::threshold_local(&u, 4))
        }),
        ("down2_thr3", |g| {
            p::downscale(&ac(g), 2).map(|d| p::threshold_local(&d, 3))
        }),
    ]
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../out/qr/corpus").into());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/manifest.json")).unwrap())
            .unwrap();
    let vs = variants();
    let mut hits: Vec<Vec<bool>> = Vec::new(); // per image, per variant
    let mut cost = vec![0f64; vs.len()];
    let mut names = Vec::new();
    for e in manifest["images"].as_array().unwrap() {
        let Some(expected) = e["payload"].as_str() else {
            continue;
        };
        let file = e["file"].as_str().unwrap();
        let rgba = image::open(format!("{dir}/{file}")).unwrap().to_rgba8();
        let (w, h) = rgba.dimensions();
        let img = Gray::from_rgba(w as usize, h as usize, rgba.as_raw()).unwrap();
        let mut row = Vec::new();
        let mut q = quircs::Quirc::default();
        for (i, (_, f)) in vs.iter().enumerate() {
            let t = Instant::now();
            let ok = f(&img).is_some_and(|g| {
                q.identify(g.width(), g.height(), g.pixels())
                    .filter_map(|c| c.ok()?.decode().ok())
                    .any(|d| d.payload == expected.as_bytes())
            });
            cost[i] += t.elapsed().as_secs_f64() * 1e3;
            row.push(ok);
        }
        names.push(format!("{} {}", e["damage"].as_str().unwrap(), file));
        hits.push(row);
    }
    let n = hits.len() as f64;
    println!("variant: solo hits, mean ms");
    for (i, (name, _)) in vs.iter().enumerate() {
        let solo = hits.iter().filter(|r| r[i]).count();
        println!("  {name:<12} {solo:>4}  {:.1}", cost[i] / n);
    }
    let any = hits.iter().filter(|r| r.iter().any(|&b| b)).count();
    println!("decoded by any variant: {any}/{}", hits.len());
    // greedy: most new images per ms
    let mut covered = vec![false; hits.len()];
    let mut used = vec![false; vs.len()];
    loop {
        let best = (0..vs.len())
            .filter(|&i| !used[i])
            .map(|i| {
                let gain = hits
                    .iter()
                    .zip(&covered)
                    .filter(|(r, c)| r[i] && !**c)
                    .count();
                (i, gain, gain as f64 / (cost[i] / n).max(0.1))
            })
            .filter(|x| x.1 > 0)
            .max_by(|a, b| a.2.total_cmp(&b.2));
        let Some((i, gain, _)) = best else { break };
        used[i] = true;
        for (r, c) in hits.iter().zip(covered.iter_mut()) {
            if r[i] {
                *c = true;
            }
        }
        println!("greedy: +{gain:<3} {}", vs[i].0);
    }
    for (name, (r, c)) in names.iter().zip(hits.iter().zip(&covered)) {
        if !c {
            let _ = r;
            println!("never: {name}");
        }
    }
}
