//! How a batch ends: Ctrl+C after the current token (or before any), and a file that cannot be
//! written going to a fallback file instead of being lost.

use std::path::PathBuf;
use std::process::Command;

use super::harness::{
    Batch, MINI, assert_token_holds, base32_decode, events_named, insert, temp_dir, token,
};
use crate::RESTRICTED;
use crate::rig::Rig;

#[test]
fn ctrl_c_ends_an_open_batch_after_the_current_token_and_writes_the_files() {
    let rig = Rig::empty();
    let dir = temp_dir("ctrl-c");
    let c = token(MINI);
    let mut batch = Batch::start(&["--out", "t.csv"], &[], &dir);
    batch.until(&["waiting"]);
    let card = insert(&c);
    batch.until(&["remove"]);
    let pid = batch.child.id().to_string();
    let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(killed.success());
    let (status, events, stderr) = batch.finish();
    card.stop();
    assert_eq!(status, 0, "{events:#?}\n{stderr}");
    let done = events_named(&events, "done");
    assert_eq!(done[0]["burned"], 1, "{events:#?}");
    let csv = std::fs::read_to_string(dir.join("t.csv")).unwrap();
    let row: Vec<&str> = csv.split("\r\n").nth(1).unwrap().split(',').collect();
    assert_eq!(row[1], MINI);
    assert_token_holds(&c, &base32_decode(row[2]), 30);
    rig.wait_for_card(false);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ctrl_c_before_any_token_writes_no_seed_file_and_is_no_error() {
    let rig = Rig::empty();
    let dir = temp_dir("ctrl-c-early");
    let mut batch = Batch::start(
        &[
            "--format",
            "entra-csv",
            "--out",
            "t.csv",
            "--format",
            "audit-csv",
            "--out",
            "a.csv",
        ],
        &[],
        &dir,
    );
    batch.until(&["waiting"]);
    let pid = batch.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let (status, events, stderr) = batch.finish();
    assert_eq!(status, 0, "{events:#?}\n{stderr}");
    assert_eq!(events_named(&events, "not_written")[0]["path"], "t.csv");
    assert_eq!(events_named(&events, "done")[0]["burned"], 0);
    assert!(!dir.join("t.csv").exists());
    // The audit log has its header and no attempt.
    let audit = std::fs::read_to_string(dir.join("a.csv")).unwrap();
    assert_eq!(audit.matches("\r\n").count(), 1, "{audit}");
    drop(rig);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_that_cannot_be_written_goes_to_a_fallback_file_with_the_same_rows() {
    let rig = Rig::empty();
    let dir = temp_dir("fallback");
    std::fs::create_dir(dir.join("gone")).unwrap();
    let c = token(RESTRICTED);
    let mut batch = Batch::start(&["--count", "1", "--out", "gone/t.csv"], &[], &dir);
    batch.until(&["waiting"]);
    // The folder disappears during the batch (an unplugged USB stick, say).
    std::fs::remove_dir(dir.join("gone")).unwrap();
    let card = insert(&c);
    let failed = batch.until(&["write_failed"]);
    let (status, events, stderr) = batch.finish();
    card.stop();
    assert_eq!(status, 4, "{events:#?}\n{stderr}");
    let fallback = PathBuf::from(failed["fallback"].as_str().expect("a fallback path"));
    assert_eq!(
        fallback.parent().unwrap(),
        std::fs::canonicalize(&dir).unwrap()
    );
    assert!(
        failed["message"].as_str().unwrap().contains("gone/t.csv"),
        "{failed}"
    );
    let csv = std::fs::read_to_string(&fallback).unwrap();
    let row: Vec<&str> = csv.split("\r\n").nth(1).unwrap().split(',').collect();
    assert_eq!(row[1], RESTRICTED);
    assert_token_holds(&c, &base32_decode(row[2]), 30);
    rig.wait_for_card(false);
    std::fs::remove_dir_all(&dir).unwrap();
}
