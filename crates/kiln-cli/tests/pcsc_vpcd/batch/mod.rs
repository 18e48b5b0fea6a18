//! `kiln batch` through pcscd + vpcd with a sequence of simulated tokens: the test reads the
//! batch's `--json` events, puts the next virtual token on the reader when kiln waits for one
//! and takes it off when kiln says so. Every secret in the exported files is checked against
//! what the simulated token holds and displays (kiln-sim's independent RFC 6238).

mod ending;
mod harness;

use std::process::Command;

use kiln_sim::token::{Fault, Ins};
use serde_json::Value;

use crate::rig::Rig;
use crate::{KEEPS_SEED, RESTRICTED};
use harness::{
    Batch, MINI, age_on_a_terminal, assert_no_secret_printed, assert_token_holds, base32_decode,
    base32_of, events_named, feed, insert, temp_dir, token,
};

#[test]
fn a_batch_of_three_tokens_exports_the_seeds_the_tokens_hold_and_skips_a_repeated_one() {
    let rig = Rig::empty();
    let dir = temp_dir("three");
    std::fs::write(
        dir.join("users.txt"),
        "ann@contoso.com\nbob@contoso.com\ncy@contoso.com\n",
    )
    .unwrap();
    let (a, b, c) = (token(KEEPS_SEED), token(RESTRICTED), token(MINI));
    let mut batch = Batch::start(
        &[
            "--count",
            "3",
            "--users",
            "users.txt",
            "--format",
            "entra-csv",
            "--out",
            "t.csv",
            "--format",
            "graph-json",
            "--out",
            "t.json",
            "--format",
            "audit-json",
            "--out",
            "audit.json",
        ],
        &[],
        &dir,
    );
    // Token a comes back after its burn: kiln skips it (--yes without --reburn).
    feed(&mut batch, &[&a, &a, &b, &c]);
    let (status, events, stderr) = batch.finish();
    assert_eq!(status, 0, "{events:#?}\n{stderr}");

    let skipped = events_named(&events, "skipped");
    assert_eq!(skipped.len(), 1, "{events:#?}");
    assert_eq!(skipped[0]["serial"], KEEPS_SEED);
    let burned = events_named(&events, "burned");
    let serials: Vec<&str> = burned
        .iter()
        .map(|e| e["serial"].as_str().unwrap())
        .collect();
    assert_eq!(serials, [KEEPS_SEED, RESTRICTED, MINI]);
    assert!(
        burned.iter().all(|e| e["outcome"] == "success"),
        "{burned:#?}"
    );
    for event in &burned {
        eprintln!(
            "kiln's own time for token {}: {} ms",
            event["serial"], event["kiln_ms"]
        );
    }

    // The Entra CSV: exact header, CRLF, one row per token in burn order, users in order.
    let csv = std::fs::read_to_string(dir.join("t.csv")).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "upn,serial number,secret key,time interval,manufacturer,model"
    );
    assert_eq!(lines.len(), 5, "{csv}");
    assert_eq!(lines[4], "");
    let expected = [
        ("ann@contoso.com", KEEPS_SEED, "OTPC-P1-i", &a),
        ("bob@contoso.com", RESTRICTED, "OTPC-P2-i", &b),
        ("cy@contoso.com", MINI, "miniOTP-3-i", &c),
    ];
    let mut secrets = Vec::new();
    for (line, (upn, serial, model, token)) in lines[1..4].iter().zip(expected) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[0], upn);
        assert_eq!(fields[1], serial);
        assert_eq!(&fields[3..], ["30", "Token2", model]);
        let secret = base32_decode(fields[2]);
        assert_eq!(secret.len(), 20, "a fresh SHA-1 seed is 20 bytes");
        assert_token_holds(token, &secret, 30);
        secrets.push(secret);
    }
    assert_ne!(secrets[0], secrets[1]);
    assert_ne!(secrets[1], secrets[2]);
    // The restricted model got its config before its seed.
    let executed = b.lock().unwrap().executed().to_vec();
    let config = executed
        .iter()
        .position(|i| *i == Ins::WriteConfig)
        .unwrap();
    let seed = executed.iter().position(|i| *i == Ins::WriteSeed).unwrap();
    assert!(config < seed, "{executed:?}");
    // The repeated token was burned once: the second time it got GET INFO only.
    let writes = a
        .lock()
        .unwrap()
        .executed()
        .iter()
        .filter(|i| **i == Ins::WriteSeed)
        .count();
    assert_eq!(writes, 1);

    // The Graph body: the same seeds per serial, SHA-1, 30 s, no assignTo (no object ids).
    let graph: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("t.json")).unwrap()).unwrap();
    let devices = graph.as_array().unwrap();
    assert_eq!(devices.len(), 3);
    for (device, (secret, (_, serial, model, _))) in
        devices.iter().zip(secrets.iter().zip(expected))
    {
        assert_eq!(device["serialNumber"], serial);
        assert_eq!(device["model"], model);
        assert_eq!(device["hashFunction"], "hmacsha1");
        assert_eq!(device["timeIntervalInSeconds"], 30);
        assert_eq!(
            base32_decode(device["secretKey"].as_str().unwrap()),
            *secret
        );
        assert!(device.get("assignTo").is_none());
    }

    // The audit log: every attempt, and no secret; nor anywhere in what kiln printed.
    let audit = std::fs::read_to_string(dir.join("audit.json")).unwrap();
    let entries: Value = serde_json::from_str(&audit).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 3);
    let printed = format!("{events:?}{stderr}");
    assert_no_secret_printed(&(printed + &audit), &secrets);

    rig.wait_for_card(false);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_token_removed_mid_burn_gets_the_same_seed_again_and_the_encrypted_export_opens_with_age() {
    let rig = Rig::empty();
    let dir = temp_dir("unknown");
    let a = token(KEEPS_SEED);
    a.lock()
        .unwrap()
        .inject(Ins::WriteSeed, Fault::RemovedAfterExecuting);
    let mut batch = Batch::start(
        &[
            "--count",
            "1",
            "--encrypt",
            "--format",
            "entra-csv",
            "--out",
            "t.csv",
            "--format",
            "audit-csv",
            "--out",
            "audit.csv",
        ],
        &[("KILN_PASSPHRASE", "correct horse battery staple")],
        &dir,
    );
    batch.until(&["waiting"]);
    let card = insert(&a);
    let first = batch.until(&["burned"]);
    assert_eq!(first["outcome"], "unknown", "{first}");
    batch.until(&["remove"]);
    card.stop();
    let seed_after_first = a.lock().unwrap().seed().map(<[u8]>::to_vec);
    batch.until(&["waiting"]);
    a.lock().unwrap().put_back();
    let card = insert(&a);
    let second = batch.until(&["burned"]);
    assert_eq!(second["outcome"], "success", "{second}");
    assert_eq!(second["same_seed_again"], true);
    assert_eq!(second["replaces"], 1);
    assert_eq!(second["secret_fingerprint"], first["secret_fingerprint"]);
    let (status, events, stderr) = batch.finish();
    card.stop();
    assert_eq!(status, 0, "{events:#?}\n{stderr}");

    let seed = a.lock().unwrap().seed().unwrap().to_vec();
    // The first write reached the token before it left: the retry wrote the same seed.
    assert_eq!(seed_after_first.as_deref(), Some(seed.as_slice()));
    assert_token_holds(&a, &seed, 30);

    // The seed file is age-encrypted; the real age tool opens it with the passphrase, and it
    // is exactly the Entra CSV of this token.
    let sealed = std::fs::read(dir.join("t.csv")).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    let args = format!(
        "-d -o '{}' '{}'",
        dir.join("open.csv").display(),
        dir.join("t.csv").display()
    );
    let (code, output) = age_on_a_terminal(&args, "correct horse battery staple");
    assert_eq!(code, 0, "{output}");
    let expected = format!(
        "upn,serial number,secret key,time interval,manufacturer,model\r\n,{KEEPS_SEED},{},30,\
         Token2,OTPC-P1-i\r\n",
        base32_of(&seed)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("open.csv")).unwrap(),
        expected
    );

    // The audit log is plain (no seeds): the unknown attempt, replaced by the retry. The
    // reason may hold quoted commas: the outcome is the 9th field, and export row, replaced
    // by and fingerprint are the last three.
    let audit = std::fs::read_to_string(dir.join("audit.csv")).unwrap();
    let rows: Vec<(&str, Vec<&str>)> = audit
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            (
                l.split(',').nth(8).unwrap(),
                l.rsplit(',').take(3).collect(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 2, "{audit}");
    let (outcome, ref unknown) = rows[0];
    assert_eq!(
        (outcome, unknown[1], unknown[2]),
        ("unknown", "2", ""),
        "{audit}"
    );
    let (outcome, ref retry) = rows[1];
    assert_eq!(
        (outcome, retry[1], retry[2]),
        ("success", "", "1"),
        "{audit}"
    );
    assert_eq!(
        unknown[0], retry[0],
        "the same seed, so the same fingerprint"
    );
    assert_no_secret_printed(&format!("{events:?}{stderr}{audit}"), &[seed]);

    rig.wait_for_card(false);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_one_token_command_from_the_issue_works_and_speaks_plainly_without_json() {
    let rig = Rig::empty();
    let dir = temp_dir("plain");
    let a = token(KEEPS_SEED);
    // The token is already on the reader. (--reader only because pcscd is shared with other
    // virtual readers here; without it kiln takes the one reader with a contactless card.)
    let card = insert(&a);
    rig.wait_for_card(true);
    let output = Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args([
            "batch",
            "--count",
            "1",
            "--out",
            "x.csv",
            "--format",
            "entra-csv",
            "--yes",
        ])
        .current_dir(&dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    card.stop();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(&format!("Token {KEEPS_SEED} (OTPC-P1-i).")),
        "{stderr}"
    );
    assert!(stderr.contains("[5/5] Write the seed"), "{stderr}");
    assert!(
        stdout.contains("Batch finished: 1 token(s) burned, 0 failed, 0 unknown"),
        "{stdout}"
    );
    assert!(stdout.contains("x.csv"), "{stdout}");
    let csv = std::fs::read_to_string(dir.join("x.csv")).unwrap();
    let row: Vec<&str> = csv.split("\r\n").nth(1).unwrap().split(',').collect();
    let secret = base32_decode(row[2]);
    assert_token_holds(&a, &secret, 30);
    assert_no_secret_printed(&format!("{stdout}{stderr}"), &[secret]);
    eprintln!("--- stderr ---\n{stderr}--- stdout ---\n{stdout}");
    rig.wait_for_card(false);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_seed_list_goes_row_by_row_and_a_row_naming_a_serial_waits_for_that_token() {
    let rig = Rig::empty();
    let dir = temp_dir("list");
    let (for_ann, for_bob) = (b"12345678901234567890", b"abcdefghijklmnopqrst");
    let list = format!(
        "upn,serial number,secret key,time interval,manufacturer,model\r\n\
         ann@contoso.com,{RESTRICTED},{},60,Token2,OTPC-P2-i\r\n\
         bob@contoso.com,,{},30,Token2,\r\n",
        base32_of(for_ann),
        base32_of(for_bob)
    );
    std::fs::write(dir.join("seeds.csv"), list).unwrap();
    let (mini, stranger, restricted) = (token(MINI), token(KEEPS_SEED), token(RESTRICTED));
    let mut batch = Batch::start(&["--from", "seeds.csv", "--out", "t.csv"], &[], &dir);
    // The first token takes the row without a serial; a token the list has no row left for is
    // refused; the named token takes its row, and the list is used up.
    feed(&mut batch, &[&mini, &stranger, &restricted]);
    let (status, events, stderr) = batch.finish();
    assert_eq!(status, 0, "{events:#?}\n{stderr}");
    let refused = events_named(&events, "refused");
    assert_eq!(refused.len(), 1, "{events:#?}");
    assert_eq!(refused[0]["serial"], KEEPS_SEED);
    assert!(
        refused[0]["message"].as_str().unwrap().contains(RESTRICTED),
        "the refusal names the token the row waits for: {}",
        refused[0]
    );
    assert!(stranger.lock().unwrap().seed().is_none());
    assert_token_holds(&mini, for_bob, 30);
    assert_token_holds(&restricted, for_ann, 60);
    let csv = std::fs::read_to_string(dir.join("t.csv")).unwrap();
    let rows: Vec<&str> = csv
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        rows,
        [
            format!(
                "bob@contoso.com,{MINI},{},30,Token2,miniOTP-3-i",
                base32_of(for_bob)
            ),
            format!(
                "ann@contoso.com,{RESTRICTED},{},60,Token2,OTPC-P2-i",
                base32_of(for_ann)
            ),
        ]
    );
    assert_no_secret_printed(
        &format!("{events:?}{stderr}"),
        &[for_ann.to_vec(), for_bob.to_vec()],
    );
    rig.wait_for_card(false);
    std::fs::remove_dir_all(&dir).unwrap();
}
