//! `kiln-wasm-split INPUT OUT_DIR MAIN_JS`: splits the app's wasm (linked with `--emit-relocs`)
//! at its `#[lazy]` functions into `OUT_DIR/main.wasm`, one `OUT_DIR/<split>.wasm` per lazy
//! module (plus shared `chunk_*.wasm`), and `OUT_DIR/__wasm_split.js`, the link module the main
//! wasm imports to load them. `MAIN_JS` is the main module's wasm-bindgen glue as the link
//! module imports it (e.g. `./kiln-web.js`). scripts/split-wasm.mjs runs this after trunk's
//! cargo build; it is cargo-leptos's split step (wasm_split_cli_support) as a command.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--version") {
        println!("kiln-wasm-split {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let [input, out_dir, main_js] = args.as_slice() else {
        eprintln!("usage: kiln-wasm-split INPUT.wasm OUT_DIR ./MAIN.js");
        return ExitCode::from(2);
    };
    let wasm = match std::fs::read(input) {
        Ok(wasm) => wasm,
        Err(error) => {
            eprintln!("kiln-wasm-split: cannot read {input}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let out_dir = PathBuf::from(out_dir);
    let main_out = out_dir.join("main.wasm");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = &out_dir;
    options.main_out_path = &main_out;
    options.main_module = main_js;
    match wasm_split_cli_support::transform(options) {
        Ok(split) => {
            for module in &split.split_modules {
                println!("{}", module.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kiln-wasm-split: {error:?}");
            ExitCode::FAILURE
        }
    }
}
