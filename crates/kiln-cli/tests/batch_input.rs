//! `kiln batch` refuses bad input before it touches a reader: every bad line of a list with
//! its number (kiln-core's checks), files it would overwrite, SHA-256 seeds for Entra's CSV, a
//! batch without a seed file, and a user list shorter than the batch unless accepted. None of
//! these need pcscd: they stop before kiln looks for a reader.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use std::path::PathBuf;

use support::kiln;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiln-batch-input-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(dir: &std::path::Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_string()
}

#[test]
fn a_seed_list_with_bad_lines_is_refused_with_every_line_number() {
    let dir = temp_dir("list");
    let list = "upn,secret\n\
                ann@contoso.com,JBSWY3DPEHPK3PXP\n\
                bob@contoso.com,not base32 at all!\n\
                cy@contoso.com,JBSWY3DPEHPK3PXP\n";
    std::fs::write(dir.join("seeds.csv"), list).unwrap();
    let out = path(&dir, "t.csv");
    let run = kiln(
        &[
            "--json",
            "batch",
            "--yes",
            "--from",
            &path(&dir, "seeds.csv"),
            "--out",
            &out,
        ],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
    let event: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(event["event"], "error");
    assert_eq!(event["code"], "list_refused");
    let message = event["message"].as_str().unwrap();
    assert!(message.contains("Line 3:"), "{message}");
    assert!(
        message.contains("Line 4:") && message.contains("also on line 2"),
        "{message}"
    );
    assert!(
        !message.contains("JBSWY3DP"),
        "no secret in the message: {message}"
    );
    assert!(!dir.join("t.csv").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_user_list_shorter_than_the_batch_is_asked_about_and_no_stops_everything() {
    let dir = temp_dir("users");
    std::fs::write(dir.join("users.txt"), "ann@contoso.com\nbob@contoso.com\n").unwrap();
    let run = kiln(
        &[
            "batch",
            "--count",
            "3",
            "--users",
            &path(&dir, "users.txt"),
            "--out",
            &path(&dir, "t.csv"),
        ],
        Some("n\n"),
    );
    assert_eq!(run.status, 1, "{}", run.all_output());
    assert!(
        run.stderr
            .contains("2 user(s) but the batch is for 3 tokens"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("no token was touched"),
        "{}",
        run.stderr
    );

    std::fs::write(dir.join("bad-users.txt"), "ann@contoso.com\nnot a user\n").unwrap();
    let run = kiln(
        &[
            "batch",
            "--yes",
            "--users",
            &path(&dir, "bad-users.txt"),
            "--out",
            &path(&dir, "t.csv"),
        ],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert!(run.stderr.contains("Line 2:"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn files_and_formats_are_checked_before_any_token_is_touched() {
    let dir = temp_dir("files");
    std::fs::write(dir.join("old.csv"), "an earlier batch").unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["--out", "old.csv"], "file_exists"),
        (
            &["--algorithm", "SHA256", "--out", "new.csv"],
            "sha256_in_entra_csv",
        ),
        (
            &["--format", "audit-csv", "--out", "audit.csv"],
            "no_seed_file",
        ),
        (
            &["--format", "entra-csv", "--out", "a.csv", "--out", "b.csv"],
            "formats_and_files",
        ),
        (&["--out", "missing/t.csv"], "no_such_folder"),
    ];
    for (args, code) in cases {
        let mut all = vec!["--json", "batch", "--yes"];
        all.extend_from_slice(args);
        let run = support::kiln_in(&all, &dir);
        assert_eq!(run.status, 2, "{args:?}: {}", run.all_output());
        let event: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
        assert_eq!(event["code"], code, "{args:?}: {event}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("old.csv")).unwrap(),
        "an earlier batch"
    );
    // --encrypt with no terminal and no KILN_PASSPHRASE says how to give one. `setsid` runs
    // kiln in a session of its own, without the terminal `cargo test` may have been run from.
    let output = std::process::Command::new("setsid")
        .args([
            "-w",
            env!("CARGO_BIN_EXE_kiln"),
            "--json",
            "batch",
            "--yes",
            "--encrypt",
        ])
        .args(["--out", "n.csv"])
        .current_dir(&dir)
        .env_remove("KILN_PASSPHRASE")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("setsid (util-linux) runs kiln");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("KILN_PASSPHRASE"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}
