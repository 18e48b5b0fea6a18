//! Debug aid: decode one image with kiln-qr N times (for `perf record`).
//! `cargo run --release --bin timeit -- FILE [N]`

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("file");
    let n: usize = args.next().map_or(20, |s| s.parse().expect("count"));
    let rgba = image::open(&path).expect("open").to_rgba8();
    let (w, h) = rgba.dimensions();
    let start = std::time::Instant::now();
    let mut found = 0;
    for _ in 0..n {
        found += kiln_qr::decode_rgba(rgba.as_raw(), w, h).map_or(0, |v| v.len());
    }
    let ms = start.elapsed().as_secs_f64() * 1e3 / n as f64;
    println!("{path}: {ms:.1} ms per decode, {found} payloads in {n} runs");
}
