//! Debug aid: what quircs sees in one image under each clean-up (found codes, decode errors).
//! `cargo run --release --bin probe -- FILE...`

use kiln_qr::{Gray, preprocess as p};

fn report(name: &str, img: &Gray) {
    let mut q = quircs::Quirc::default();
    let codes: Vec<String> = q
        .identify(img.width(), img.height(), img.pixels())
        .map(|c| match c {
            Err(e) => format!("extract:{e:?}"),
            Ok(code) => match code.decode() {
                Ok(d) => format!("OK v{}", d.version),
                Err(e) => format!("decode:{e:?} size{}", code.size),
            },
        })
        .collect();
    println!(
        "  {name:<14} regions={} capstones={} codes={codes:?}",
        q.num_regions(),
        q.num_capstones()
    );
}

fn main() {
    for path in std::env::args().skip(1) {
        let rgba = image::open(&path).expect("open").to_rgba8();
        let (w, h) = rgba.dimensions();
        let img = Gray::from_rgba(w as usize, h as usize, rgba.as_raw()).expect("size");
        println!("{path} {w}x{h}");
        let c = p::autocontrast(&img).unwrap_or_else(|| img.clone());
        report("plain", &img);
        report("autocontrast", &c);
        report("blur1", &p::box_blur(&c, 1));
        report("blur2", &p::box_blur(&c, 2));
        if let Some(u) = p::upscale2(&c) {
            report("upscale2", &u);
            report("up2+thr", &p::threshold_local(&u, 16));
        }
        if let Some(d) = p::downscale(&c, 2) {
            report("downscale2", &d);
        }
        for f in [2, 3] {
            if let Some(u) = p::upscale_nearest(&c, f) {
                report(&format!("up{f}n"), &u);
                report(&format!("up{f}n+thr4"), &p::threshold_local(&u, 4));
                report(
                    &format!("up{f}n+thr{}", 3 * f),
                    &p::threshold_local(&u, 3 * f),
                );
            }
        }
        if let Some(u) = p::upscale2(&c) {
            for r in [2, 4, 6, 8] {
                report(&format!("up2+thr{r}"), &p::threshold_local(&u, r));
            }
        }
        report("blur1+thr3", &p::threshold_local(&p::box_blur(&c, 1), 3));
        for r in [2, 3, 4, 5, 6, 8, 16, 32] {
            report(&format!("thr{r}"), &p::threshold_local(&c, r));
        }
    }
}
