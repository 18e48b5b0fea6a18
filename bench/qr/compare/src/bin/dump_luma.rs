//! Writes every corpus image as raw 8-bit luma (`<file>.luma`, width × height bytes, converted
//! like kiln-qr does) so a WASM build can be timed without an image decoder
//! (`bench/qr/wasm-node.mjs`). `cargo run --release --bin dump_luma -- [CORPUS] [OUT]`

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../../out/qr");
    let corpus = args.next().unwrap_or_else(|| format!("{base}/corpus"));
    let out = args.next().unwrap_or_else(|| format!("{base}/luma"));
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{corpus}/manifest.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    for entry in manifest["images"].as_array().ok_or("no images")? {
        let file = entry["file"].as_str().ok_or("no file")?;
        let rgba = image::open(format!("{corpus}/{file}"))
            .map_err(|e| e.to_string())?
            .to_rgba8();
        let (w, h) = rgba.dimensions();
        let gray =
            kiln_qr::Gray::from_rgba(w as usize, h as usize, rgba.as_raw()).ok_or("empty")?;
        std::fs::write(format!("{out}/{file}.luma"), gray.pixels()).map_err(|e| e.to_string())?;
    }
    println!("luma files in {out}");
    Ok(())
}
