//! The decoders under comparison, each behind the same signature: luma pixels in, payloads out.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use kiln_qr::Gray;
use kiln_qr::pipeline;

/// One decoder configuration in the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Candidate {
    QuircsRaw,
    QuircsPipe,
    RqrrRaw,
    RqrrPipe,
    RxingRaw,
    RxingPipe,
    KilnQr,
    Zbar,
    ZbarInverted,
    ZxingCpp,
}

pub const ALL: [Candidate; 10] = [
    Candidate::QuircsRaw,
    Candidate::QuircsPipe,
    Candidate::RqrrRaw,
    Candidate::RqrrPipe,
    Candidate::RxingRaw,
    Candidate::RxingPipe,
    Candidate::KilnQr,
    Candidate::Zbar,
    Candidate::ZbarInverted,
    Candidate::ZxingCpp,
];

impl Candidate {
    pub fn name(self) -> &'static str {
        match self {
            Candidate::QuircsRaw => "quircs",
            Candidate::QuircsPipe => "quircs+pipe",
            Candidate::RqrrRaw => "rqrr",
            Candidate::RqrrPipe => "rqrr+pipe",
            Candidate::RxingRaw => "rxing",
            Candidate::RxingPipe => "rxing+pipe",
            Candidate::KilnQr => "kiln-qr",
            Candidate::Zbar => "zbarimg",
            Candidate::ZbarInverted => "zbarimg -Stest-inverted",
            Candidate::ZxingCpp => "zxing-cpp",
        }
    }

    pub fn from_name(name: &str) -> Option<Candidate> {
        ALL.into_iter().find(|c| c.name() == name)
    }

    pub fn is_external(self) -> bool {
        matches!(
            self,
            Candidate::Zbar | Candidate::ZbarInverted | Candidate::ZxingCpp
        )
    }
}

/// Result of one decoder on one image: the decoded texts and the attempt that found them.
pub struct Decoded {
    pub texts: Vec<String>,
    pub attempt: Option<&'static str>,
}

fn texts(payloads: Vec<Vec<u8>>) -> Vec<String> {
    payloads
        .into_iter()
        .map(|p| String::from_utf8_lossy(&p).into_owned())
        .collect()
}

pub fn quircs_raw(img: &Gray) -> Vec<Vec<u8>> {
    quircs_pass(img).payloads
}

/// quircs as kiln-qr runs it, with the finder patterns the pipeline's early exit and zoom use.
pub fn quircs_pass(img: &Gray) -> pipeline::Pass {
    kiln_qr::quircs_pass(&mut quircs::Quirc::default(), img)
}

/// A decoder that cannot count finder patterns: the pipeline never stops early for it.
fn unknown_finders(payloads: Vec<Vec<u8>>) -> pipeline::Pass {
    pipeline::Pass {
        payloads,
        finder_patterns: None,
        finder_area: None,
    }
}

pub fn rqrr_raw(img: &Gray) -> Vec<Vec<u8>> {
    let (w, px) = (img.width(), img.pixels());
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(img.width(), img.height(), |x, y| {
            px.get(y * w + x).copied().unwrap_or(255)
        });
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok())
        .map(|(_, text)| text.into_bytes())
        .collect()
}

pub fn rxing_raw(img: &Gray) -> Vec<Vec<u8>> {
    let mut hints = rxing::DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        ..Default::default()
    };
    match rxing::helpers::detect_in_luma_with_hints(
        img.pixels().to_vec(),
        img.width() as u32,
        img.height() as u32,
        Some(rxing::BarcodeFormat::QR_CODE),
        &mut hints,
    ) {
        Ok(result) => vec![result.getText().as_bytes().to_vec()],
        Err(_) => Vec::new(),
    }
}

/// Runs an in-process candidate on luma pixels (`rgba` is used by kiln-qr, like the browser).
pub fn run(candidate: Candidate, img: &Gray, rgba: &[u8]) -> Decoded {
    let plain = |payloads| Decoded {
        texts: texts(payloads),
        attempt: None,
    };
    let piped = |outcome: pipeline::Outcome| Decoded {
        texts: texts(outcome.payloads),
        attempt: outcome.attempt,
    };
    match candidate {
        Candidate::QuircsRaw => plain(quircs_raw(img)),
        Candidate::RqrrRaw => plain(rqrr_raw(img)),
        Candidate::RxingRaw => plain(rxing_raw(img)),
        Candidate::QuircsPipe => piped(pipeline::search(img, quircs_pass)),
        Candidate::RqrrPipe => piped(pipeline::search(img, |g| unknown_finders(rqrr_raw(g)))),
        Candidate::RxingPipe => piped(pipeline::search(img, |g| unknown_finders(rxing_raw(g)))),
        Candidate::KilnQr => {
            match kiln_qr::decode_rgba(rgba, img.width() as u32, img.height() as u32) {
                Ok(texts) => Decoded {
                    texts,
                    attempt: None,
                },
                Err(_) => plain(Vec::new()),
            }
        }
        Candidate::Zbar | Candidate::ZbarInverted | Candidate::ZxingCpp => plain(Vec::new()),
    }
}

/// Runs `zbarimg` on the file (QR only). Its time includes process start and file decoding.
pub fn zbar(path: &std::path::Path, inverted: bool) -> Decoded {
    let mut cmd = Command::new("zbarimg");
    cmd.args(["--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable"]);
    if inverted {
        cmd.arg("-Stest-inverted");
    }
    let texts = match cmd.arg(path).output() {
        Ok(out) => String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        Err(_) => Vec::new(),
    };
    Decoded {
        texts,
        attempt: None,
    }
}

/// The zxing-cpp server (`bench/qr/zxing_server.py` in the bench venv), started on first use.
static ZXING: Mutex<Option<(Child, ChildStdin, BufReader<ChildStdout>)>> = Mutex::new(None);

/// Runs zxing-cpp (Python bindings, pinned in requirements.txt) on the file. Returns the texts
/// and the CPU ms of the decode call alone, as measured inside the server; `None` when the
/// server cannot be started (the venv lacks zxing-cpp: run run-all.sh or pip install).
pub fn zxing(path: &std::path::Path) -> Option<(Decoded, f64)> {
    let mut guard = ZXING.lock().ok()?;
    if guard.is_none() {
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = std::env::var_os("QR_VENV")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| here.join("../out/qr-venv"))
            .join("bin/python");
        let mut child = Command::new(python)
            .arg(here.join("zxing_server.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        *guard = Some((child, stdin, stdout));
    }
    let (_, stdin, stdout) = guard.as_mut()?;
    writeln!(stdin, "{}", path.display()).ok()?;
    stdin.flush().ok()?;
    let mut line = String::new();
    stdout.read_line(&mut line).ok()?;
    let answer: serde_json::Value = serde_json::from_str(&line).ok()?;
    let texts = answer["texts"]
        .as_array()?
        .iter()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect();
    let ms = answer["cpu_ms"].as_f64()?;
    Some((
        Decoded {
            texts,
            attempt: None,
        },
        ms,
    ))
}
