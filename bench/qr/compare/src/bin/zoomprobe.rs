//! Tuning aid for the zoom: for the given corpus files, the finder area of the plain pass and
//! which enlargements of that area quircs reads. `cargo run --release --bin zoomprobe -- FILE...`
use kiln_qr::{Gray, preprocess as p};

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../out/qr/corpus");
    for file in std::env::args().skip(1) {
        let rgba = image::open(format!("{dir}/{file}")).unwrap().to_rgba8();
        let (w, h) = rgba.dimensions();
        let img = Gray::from_rgba(w as usize, h as usize, rgba.as_raw()).unwrap();
        let base = p::autocontrast(&img).unwrap_or_else(|| img.clone());
        let mut q = quircs::Quirc::default();
        let pass = kiln_qr::quircs_pass(&mut q, &img);
        let grown = pass.finder_patterns.is_some_and(|n| n < 3);
        let Some(area) = pass.finder_area.map(|a| if grown { a.grown() } else { a }) else {
            println!("{file}: no area");
            continue;
        };
        let part = p::crop(&base, area).unwrap();
        let mut line = format!(
            "{file}: {} finders, area {}x{} ({}%)",
            pass.finder_patterns.unwrap(),
            part.width(),
            part.height(),
            100 * area.pixels() / (w * h) as usize
        );
        let variants: Vec<(&str, Option<Gray>)> = vec![
            ("up2", p::upscale2(&part)),
            (
                "up2_thr3",
                p::upscale2(&part).map(|u| p::threshold_local(&u, 3)),
            ),
            (
                "up2_thr5",
                p::upscale2(&part).map(|u| p::threshold_local(&u, 5)),
            ),
            ("up2_up2", p::upscale2(&part).and_then(|u| p::upscale2(&u))),
            ("near3", p::upscale_nearest(&part, 3)),
            (
                "up4_thr5",
                p::upscale2(&part)
                    .and_then(|u| p::upscale2(&u))
                    .map(|u| p::threshold_local(&u, 5)),
            ),
            (
                "up4_thr8",
                p::upscale2(&part)
                    .and_then(|u| p::upscale2(&u))
                    .map(|u| p::threshold_local(&u, 8)),
            ),
            (
                "up4_blur2",
                p::upscale2(&part)
                    .and_then(|u| p::upscale2(&u))
                    .map(|u| p::box_blur(&u, 2)),
            ),
            ("up2_blur1", p::upscale2(&part).map(|u| p::box_blur(&u, 1))),
            ("plain_part", Some(part.clone())),
            ("thr2_part", Some(p::threshold_local(&part, 2))),
        ];
        for (name, v) in variants {
            let Some(v) = v else { continue };
            let pass = kiln_qr::quircs_pass(&mut q, &v);
            line += &format!(
                " {name}={}{}",
                if pass.payloads.is_empty() { "-" } else { "OK" },
                pass.finder_patterns.unwrap()
            );
        }
        println!("{line}");
    }
}
