//! With the `split` feature, links the app's wasm with `--emit-relocs`: the splitter
//! (tools/wasm-split) needs the relocations to cut the `#[lazy]` functions out. Only the app's
//! bin gets them; the workers and tests link as before.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let split = std::env::var_os("CARGO_FEATURE_SPLIT").is_some();
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    if split && wasm {
        println!("cargo::rustc-link-arg-bin=kiln-web=--emit-relocs");
    }
}
