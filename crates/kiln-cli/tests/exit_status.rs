//! Exit statuses and messages of `kiln` that need no token: refused input (3), usage errors (2),
//! a missing PC/SC service (4), and `--json` printing exactly one document in every case.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use support::{kiln, kiln_with_env};

const DRY: [&str; 7] = [
    "--dry-run",
    "--serial",
    "8659622000123",
    "--challenge",
    "1122334455667788",
    "--time",
    "1700000000",
];

fn burn(extra: &[&str]) -> support::Run {
    let mut args = vec!["--json", "burn"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&DRY);
    kiln(&args, None)
}

#[test]
fn hotp_links_are_refused_with_the_classifier_advice() {
    let run = burn(&[
        "--uri",
        "otpauth://hotp/Bank:me?secret=JBSWY3DPEHPK3PXP&counter=1",
    ]);
    assert_eq!(run.status, 3, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["kind"], "refused");
    assert_eq!(doc["reason"], "hotp");
    assert_eq!(doc["error"]["code"], "refused");
    assert_eq!(doc["error"]["message"], doc["advice"]);
    assert!(
        doc.get("apdus").is_none(),
        "nothing may be built for refused input"
    );
}

#[test]
fn a_microsoft_push_qr_is_not_burnable_and_says_what_to_scan_instead() {
    let run = burn(&[
        "--uri",
        "phonefactor://activate_account?code=123456789&url=https://x",
    ]);
    assert_eq!(run.status, 3, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["what"], "phonefactor");
    assert!(
        doc["advice"]
            .as_str()
            .unwrap()
            .contains("different authenticator app")
    );
}

#[test]
fn an_algorithm_option_may_not_contradict_the_link() {
    let uri = "otpauth://totp/Bank:me?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256";
    let run = burn(&["--uri", uri, "--algorithm", "SHA1"]);
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "settings_conflict");

    // A link without the parameter means SHA1 and 30 s: other values contradict it too.
    let bare = "otpauth://totp/Bank:me?secret=JBSWY3DPEHPK3PXP";
    let run = burn(&["--uri", bare, "--period", "60"]);
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert!(
        run.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--period 60")
    );

    // Agreeing values are fine.
    let run = burn(&["--uri", uri, "--algorithm", "sha256"]);
    assert_eq!(run.status, 0, "{}", run.all_output());
}

#[test]
fn options_set_the_settings_of_a_bare_secret() {
    let run = burn(&[
        "--hex",
        "3132333435363738393031323334353637383930",
        "--algorithm",
        "SHA256",
        "--period",
        "60",
    ]);
    assert_eq!(run.status, 0, "{}", run.all_output());
    let account = &run.json()["account"];
    assert_eq!(account["algorithm"], "SHA256");
    assert_eq!(account["period"], 60);
    assert_eq!(account["secret_len"], 20);
}

#[test]
fn a_google_export_needs_an_account_number_and_refuses_unsupported_ones() {
    let export = "otpauth-migration://offline?data=CjgKDfv%2FSGVsbG8h3q2%2B7%2F8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAgo1ChQxMjM0NTY3ODkwMTIzNDU2Nzg5MBIPYm9iQGV4YW1wbGUuY29tGgZHaXRIdWIgAigBMAIKLgoUyMnKy8zNzs%2FQ0dLT1NXW19jZ2tsSCkJhbms6Y2Fyb2waBEJhbmsgAygBMAIKKwoUyMnKy8zNzs%2FQ0dLT1NXW19jZ2tsSBGRhdmUaB0NvdW50ZXIgASgBMAEKKQoUyMnKy8zNzs%2FQ0dLT1NXW19jZ2tsSBGVyaW4aBUVpZ2h0IAEoAjACCikKFDEyMzQ1Njc4OTAxMjM0NTY3ODkwEhFVbnNwZWNpZmllZDpmcmFuaxABGAMgASjSCQ%3D%3D";
    let run = burn(&["--uri", export]);
    assert_eq!(run.status, 3, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "choose_account");
    assert_eq!(run.json()["accounts"].as_array().unwrap().len(), 6);

    let run = burn(&["--uri", export, "--account", "3"]);
    assert_eq!(run.status, 3, "{}", run.all_output());
    assert_eq!(run.json()["reason"], "algorithm");

    let run = burn(&["--uri", export, "--account", "2"]);
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert_eq!(run.json()["account"]["issuer"], "GitHub");
    assert_eq!(run.json()["account"]["algorithm"], "SHA256");

    let run = burn(&["--uri", export, "--account", "9"]);
    assert_eq!(run.status, 2, "{}", run.all_output());
}

#[test]
fn the_secret_can_come_from_stdin() {
    let mut args = vec!["--json", "burn", "--secret", "-"];
    args.extend_from_slice(&DRY);
    let run = kiln(&args, Some("jbsw y3dp ehpk 3pxp\n"));
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert_eq!(run.json()["account"]["secret_len"], 10);
}

#[test]
fn usage_errors_exit_2_and_print_json_in_json_mode() {
    let run = kiln(&["--json", "burn"], None);
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "usage");

    let run = kiln(&["burn", "--secret", "AAAA", "--hex", "00"], None);
    assert_eq!(run.status, 2, "{}", run.all_output());

    let run = kiln(
        &["burn", "--secret", "JBSWY3DPEHPK3PXP", "--display", "45"],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert!(run.stderr.contains("15, 30, 60 or 120"), "{}", run.stderr);

    let run = kiln(
        &["--json", "burn", "--secret", "otpauth://totp/x?secret=AAAA"],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "link_given_as_secret");
}

#[test]
fn help_explains_stdin_secrets_and_exit_statuses() {
    let run = kiln(&["burn", "--help"], None);
    assert_eq!(run.status, 0);
    assert!(run.stdout.contains("process list"), "{}", run.stdout);
    let run = kiln(&["--help"], None);
    assert!(run.stdout.contains("5  outcome unknown"), "{}", run.stdout);
}

#[test]
fn a_missing_pcsc_service_is_named_with_what_to_do() {
    // pcsc-lite's client finds pcscd through this socket; pointing it nowhere is exactly what a
    // stopped pcscd looks like.
    let env = [("PCSCLITE_CSOCK_NAME", "/nonexistent/kiln-test/pcscd.comm")];
    let run = kiln_with_env(&["--json", "readers"], None, &env);
    assert_eq!(run.status, 4, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["error"]["code"], "pcscd_not_running");
    assert!(doc["error"]["message"].as_str().unwrap().contains("pcscd"));

    let run = kiln_with_env(&["info"], None, &env);
    assert_eq!(run.status, 4);
    assert!(
        run.stderr.contains("smart-card service is not running"),
        "{}",
        run.stderr
    );
}
