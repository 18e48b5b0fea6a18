//! Files sealed by kiln-seal open with the real `age` tool (Debian's `age` package), and files
//! the tool makes open with kiln-seal. age reads a passphrase only from a terminal, so the tool
//! runs under `script`, which gives it a pseudo-terminal fed from our pipe.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use kiln_seal::{OpenError, Passphrase, open, seal};
use zeroize::Zeroizing;

const PLAIN: &str = "upn,serial number,secret key,time interval,manufacturer,model\r\n\
                     helga@contoso.com,8659622000123,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,30,Token2,OTPC-P2-i\r\n";

fn passphrase(text: &str) -> Passphrase {
    Passphrase::new(Zeroizing::new(text.to_string())).unwrap()
}

/// Runs `age ARGS` on a pseudo-terminal, typing `typed` (each line followed by Enter).
fn age_on_a_terminal(args: &str, typed: &[&str]) -> (i32, String) {
    let mut child = Command::new("script")
        .args(["-qec", &format!("age {args}"), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) and `age` (apt-get install age) are installed");
    {
        let mut stdin = child.stdin.take().unwrap();
        for line in typed {
            stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        }
    }
    let output = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kiln-seal-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display())
}

#[test]
fn a_sealed_export_opens_with_the_age_tool_and_the_right_passphrase_only() {
    let dir = temp_dir("to-tool");
    let sealed = dir.join("batch.csv.age");
    let opened = dir.join("batch.csv");
    let bytes = seal(
        PLAIN.as_bytes(),
        &passphrase("correct horse battery staple"),
    )
    .unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    assert!(
        !bytes.windows(8).any(|w| w == b"GEZDGNBV"),
        "the secret is not readable"
    );
    std::fs::write(&sealed, &bytes).unwrap();

    let args = format!("-d -o {} {}", quoted(&opened), quoted(&sealed));
    let (status, output) = age_on_a_terminal(&args, &["wrong passphrase"]);
    assert_ne!(status, 0, "{output}");
    assert!(!opened.exists() || std::fs::read(&opened).unwrap().is_empty());

    let (status, output) = age_on_a_terminal(&args, &["correct horse battery staple"]);
    assert_eq!(status, 0, "{output}");
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), PLAIN);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_the_age_tool_encrypted_opens_with_kiln_seal() {
    let dir = temp_dir("from-tool");
    let plain = dir.join("plain.csv");
    let sealed = dir.join("plain.csv.age");
    std::fs::write(&plain, PLAIN).unwrap();
    let args = format!("-p -o {} {}", quoted(&sealed), quoted(&plain));
    let (status, output) = age_on_a_terminal(&args, &["tr0ub4dor&3", "tr0ub4dor&3"]);
    assert_eq!(status, 0, "{output}");
    let bytes = std::fs::read(&sealed).unwrap();
    assert_eq!(
        open(&bytes, &passphrase("tr0ub4dor&3")).unwrap().as_slice(),
        PLAIN.as_bytes()
    );
    assert_eq!(
        open(&bytes, &passphrase("tr0ub4dor&4")),
        Err(OpenError::WrongPassphrase)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn what_is_not_a_passphrase_file_is_refused_with_a_reason() {
    assert!(Passphrase::new(Zeroizing::new(String::new())).is_err());
    assert_eq!(
        open(PLAIN.as_bytes(), &passphrase("x")),
        Err(OpenError::NotAge)
    );
    let mut bytes = seal(b"short", &passphrase("x")).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert_eq!(open(&bytes, &passphrase("x")), Err(OpenError::Damaged));
    // Two seals of the same text differ (fresh salt and file key), and both open.
    let one = seal(b"same", &passphrase("p")).unwrap();
    let two = seal(b"same", &passphrase("p")).unwrap();
    assert_ne!(one, two);
    assert_eq!(open(&two, &passphrase("p")).unwrap().as_slice(), b"same");
}
