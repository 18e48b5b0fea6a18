//! `kiln molto2 …` through the real PC/SC stack: pcscd with a vsmartcard vpcd reader named
//! "Token2 Molto2 virtual" (added by `KILN_MOLTO2_READER=1 scripts/start-pcscd.sh`), and kiln-sim's Molto2 (written
//! from the spec, not from kiln-core) as the virtual card, served from this test process so the
//! tests can look inside it.
//!
//! Needs `KILN_MOLTO2_READER=1 scripts/start-pcscd.sh` (as root) first; built only with
//! `--features vpcd-tests` (`scripts/test.sh cli` does both).
#![cfg(feature = "vpcd-tests")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

#[path = "../bridge_support/mod.rs"]
mod bridge_support;
#[path = "../support/mod.rs"]
mod support;

mod bridge;
mod digits;

use std::ffi::CString;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kiln_core::Algorithm;
use kiln_core::otp::{self, Classification, Target};
use kiln_sim::molto2::crypto::totp;
use kiln_sim::molto2::{Button, Profile, SimMolto2};
use kiln_sim::totp::Hash;
use kiln_sim::vpcd::VirtualCard;
use pcsc::{Context, ReaderState, Scope, State};
use support::{Run, kiln_with_env};
use zeroize::Zeroizing;

/// The Molto2 reader `scripts/start-pcscd.sh` configures, on TCP port 35968.
const READER: &str = "Token2 Molto2 virtual 00 00";
const PORT: u16 = 35968;
const SERIAL: &str = "202600000001234";
const ADVICE: &str = "run `KILN_MOLTO2_READER=1 scripts/start-pcscd.sh` as root first (it adds the Molto2 vpcd reader)";

static ONE_RIG: Mutex<()> = Mutex::new(());

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The simulated Molto2 in the Molto2 reader.
struct Rig {
    device: Arc<Mutex<SimMolto2>>,
    card: Option<VirtualCard>,
    context: Context,
    _turn: MutexGuard<'static, ()>,
}

impl Rig {
    fn with(device: SimMolto2) -> Rig {
        let turn = ONE_RIG.lock().unwrap_or_else(PoisonError::into_inner);
        let context = Context::establish(Scope::User)
            .unwrap_or_else(|e| panic!("pcscd is not running ({e}): {ADVICE}"));
        let device = Arc::new(Mutex::new(device));
        let mut rig = Rig {
            device,
            card: None,
            context,
            _turn: turn,
        };
        rig.wait(false);
        let card = VirtualCard::insert(Arc::clone(&rig.device), ("127.0.0.1", PORT))
            .unwrap_or_else(|e| panic!("the Molto2 vpcd reader is not there ({e}): {ADVICE}"));
        rig.card = Some(card);
        rig.wait(true);
        rig
    }

    fn device(&self) -> MutexGuard<'_, SimMolto2> {
        self.device.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn kiln(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Run {
        self.device().set_wall_time(now());
        kiln_with_env(args, stdin, env)
    }

    fn wait(&self, present: bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let name = CString::new(READER).unwrap();
        loop {
            let mut states = [ReaderState::new(name.as_c_str(), State::UNAWARE)];
            match self.context.get_status_change(Duration::ZERO, &mut states) {
                Ok(()) | Err(pcsc::Error::Timeout) => {}
                Err(e) => panic!("pcscd stopped answering ({e}): {ADVICE}"),
            }
            let state = states[0].event_state();
            assert!(
                !state.contains(State::UNKNOWN),
                "no reader \"{READER}\": {ADVICE}"
            );
            if state.contains(State::PRESENT) == present {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "pcscd did not see the Molto2 {}",
                if present { "arrive" } else { "leave" }
            );
            thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        if let Some(card) = self.card.take() {
            card.stop();
            if !thread::panicking() {
                self.wait(false);
            }
        }
    }
}

fn occupied(title: &str) -> Profile {
    Profile {
        title: title.as_bytes().to_vec(),
        seed: Some(Zeroizing::new(b"an old seed 20 bytes".to_vec())),
        ..Profile::default()
    }
}

const LINK8: &str = "otpauth://totp/Acme:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme\
                     &algorithm=SHA256&digits=8&period=60";
const SEED: &[u8] = b"12345678901234567890";

#[test]
fn burn_an_eight_digit_sha256_account_then_list_it() {
    let rig = Rig::with(SimMolto2::new(SERIAL, now()));
    let run = rig.kiln(
        &[
            "molto2",
            "burn",
            "--profile",
            "49",
            "--title",
            "Acme",
            "--uri",
            "-",
            "--yes",
            "--json",
        ],
        Some(LINK8),
        &[],
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["outcome"], "success");
    assert_eq!(doc["settings"]["digits"], 8);
    assert!(!run.all_output().contains("GEZDGNBV"), "secret printed");
    {
        let device = rig.device();
        let t = now();
        let shown = device.displayed_code(49, t).unwrap();
        assert_eq!(
            shown,
            totp(SEED, Hash::Sha256, 60, 8, device.device_time_at(t))
        );
        assert_eq!(device.profile(49).unwrap().title, b"Acme");
    }
    let list = rig.kiln(&["molto2", "list", "--json"], None, &[]);
    assert_eq!(list.status, 0, "{}", list.all_output());
    let profiles = list.json()["profiles"].as_array().unwrap().clone();
    assert_eq!(profiles.len(), 100);
    let p49 = &profiles[49];
    assert_eq!(p49["title"], "Acme");
    assert_eq!(p49["algorithm"], "SHA256");
    assert_eq!(p49["period"], 60);
    assert_eq!(p49["digits"], 8);
    assert_eq!(p49["occupied"], true);
    assert_eq!(profiles[0]["occupied"], false);
    let table = rig.kiln(&["molto2", "list"], None, &[]);
    assert!(table.stdout.contains(" 49  Acme"), "{}", table.stdout);
}

#[test]
fn an_occupied_profile_needs_replace_and_delete_empties_it() {
    let rig = Rig::with(SimMolto2::new(SERIAL, now()).with_profile(3, occupied("Mail")));
    let args = [
        "molto2",
        "burn",
        "--profile",
        "3",
        "--title",
        "New",
        "--hex",
        "-",
        "--yes",
        "--json",
    ];
    let run = rig.kiln(&args, Some("3132333435363738393031323334353637383930"), &[]);
    assert_eq!(run.status, 4, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "profile_occupied");
    assert_eq!(rig.device().profile(3).unwrap().title, b"Mail");

    let mut replace = args.to_vec();
    replace.push("--replace");
    let run = rig.kiln(
        &replace,
        Some("3132333435363738393031323334353637383930"),
        &[],
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert_eq!(
        rig.device()
            .profile(3)
            .unwrap()
            .seed
            .as_deref()
            .map(Vec::as_slice),
        Some(SEED)
    );

    let run = rig.kiln(
        &["molto2", "delete", "--profile", "3", "--yes", "--json"],
        None,
        &[],
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert!(rig.device().profile(3).unwrap().seed.is_none());
}

#[test]
fn a_wrong_key_stops_with_attempts_left_and_is_never_retried() {
    let rig = Rig::with(
        SimMolto2::new(SERIAL, now())
            .with_customer_key(b"right key")
            .with_attempts(4),
    );
    let env = [("KILN_MOLTO2_KEY", "wrong key")];
    let run = rig.kiln(&["molto2", "sync-time", "--yes", "--json"], None, &env);
    assert_eq!(run.status, 4, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["error"]["code"], "wrong_key");
    assert_eq!(doc["attempts_left"], 3);
    assert!(doc["error"]["message"].as_str().unwrap().contains("locks"));
    assert!(
        !run.all_output().contains("wrong key"),
        "the key was echoed"
    );
    assert_eq!(rig.device().attempts_left(), 3);
    let answers = rig
        .device()
        .received()
        .iter()
        .filter(|a| a[1] == 0xCE)
        .count();
    assert_eq!(answers, 1);

    let env = [("KILN_MOLTO2_KEY", "right key")];
    let run = rig.kiln(
        &["molto2", "sync-time", "--profile", "0", "--yes", "--json"],
        None,
        &env,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
}

#[test]
fn reset_and_set_key_wait_for_the_button_and_say_not_confirmed() {
    let rig = Rig::with(
        SimMolto2::new(SERIAL, now())
            .with_profile(7, occupied("Bank"))
            .with_button(Button::NotPressed),
    );
    let run = rig.kiln(&["molto2", "reset", "--yes", "--json"], None, &[]);
    assert_eq!(run.status, 5, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "not_confirmed");
    assert!(rig.device().button_pending());
    assert!(
        rig.device().profile(7).unwrap().seed.is_some(),
        "no press: nothing reset"
    );
    assert!(rig.device().press_button());
    assert!(rig.device().profile(7).unwrap().seed.is_none());

    let env = [("KILN_MOLTO2_NEW_KEY", "hex:00112233445566778899")];
    let run = rig.kiln(&["molto2", "set-key", "--yes", "--json"], None, &env);
    assert_eq!(run.status, 5, "{}", run.all_output());
    assert!(rig.device().press_button());
    let env = [("KILN_MOLTO2_KEY", "hex:00112233445566778899")];
    let run = rig.kiln(
        &["molto2", "sync-time", "--profile", "1", "--yes"],
        None,
        &env,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
}

#[test]
fn a_single_profile_serial_behind_a_molto2_name_gets_get_info_only() {
    let rig = Rig::with(SimMolto2::new("8659622000123", now()));
    let run = rig.kiln(&["molto2", "reset", "--yes", "--json"], None, &[]);
    assert_eq!(run.status, 4, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "not_a_molto2");
    let ins: Vec<u8> = rig.device().received().iter().map(|a| a[1]).collect();
    assert_eq!(ins, [0x41]);
}

const EXPORT: &str = "otpauth-migration://offline?data=CjgKDfv%2FSGVsbG8h3q2%2B7%2F8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAgo1ChQxMjM0NTY3ODkwMTIzNDU2Nzg5MBIPYm9iQGV4YW1wbGUuY29tGgZHaXRIdWIgAigBMAIKLgoUyMnKy8zNzs%2FQ0dLT1NXW19jZ2tsSCkJhbms6Y2Fyb2waBEJhbmsgAygBMAIKKwoUyMnKy8zNzs%2FQ0dLT1NXW19jZ2tsSBGRhdmUaB0NvdW50ZXIgASgBMAEKKQoUyMnKy8zNzs%2FQ0dLT1NXW19jZ2tsSBGVyaW4aBUVpZ2h0IAEoAjACCikKFDEyMzQ1Njc4OTAxMjM0NTY3ODkwEhFVbnNwZWNpZmllZDpmcmFuaxABGAMgASjSCQ%3D%3D";

#[test]
fn an_export_goes_into_consecutive_free_profiles_after_the_plan() {
    let rig = Rig::with(SimMolto2::new(SERIAL, now()).with_profile(1, occupied("Kept")));
    let run = rig.kiln(
        &[
            "molto2",
            "burn",
            "--from-export",
            "--uri",
            "-",
            "--yes",
            "--json",
        ],
        Some(EXPORT),
        &[],
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    let planned: Vec<u64> = doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["profile"].as_u64().unwrap())
        .collect();
    assert_eq!(planned, [0, 2, 3, 4], "profile 1 is occupied and skipped");
    let skipped: Vec<&str> = doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        ["algorithm", "hotp"],
        "the 8-digit account is burned"
    );
    // Each planned profile shows the code of its account (the export's accounts as kiln-core
    // reads them for a Molto2; codes from kiln-sim's own RFC 6238 at the export's length: 8
    // digits for account 5, "Eight").
    let Classification::Migration(export) = otp::classify_for(EXPORT, Target::Molto2) else {
        panic!("not an export");
    };
    let device = rig.device();
    assert_eq!(device.profile(1).unwrap().title, b"Kept");
    let t = now();
    for (profile, index, digits) in [(0u8, 1usize, 6u32), (2, 2, 6), (3, 5, 8), (4, 6, 6)] {
        let account = export.accounts.iter().find(|a| a.index == index).unwrap();
        assert_eq!(u32::from(account.digits), digits, "account {index}");
        let totp_account = account.supported.as_ref().unwrap();
        let hash = match totp_account.algorithm {
            Algorithm::Sha1 => Hash::Sha1,
            Algorithm::Sha256 => Hash::Sha256,
        };
        // At the device's own clock: the burns set it seconds after the wall time the
        // simulator was given, so the two can straddle a step boundary.
        let want = totp(
            totp_account.secret.expose(),
            hash,
            30,
            digits,
            device.device_time_at(t),
        );
        assert_eq!(want.len(), digits as usize);
        assert_eq!(
            device.displayed_code(profile, t).unwrap(),
            want,
            "profile {profile}"
        );
        assert!(!device.profile(profile).unwrap().title.is_empty());
    }
}

#[test]
fn a_reader_whose_name_is_not_a_molto2_is_refused_before_connecting() {
    let rig = Rig::with(SimMolto2::new(SERIAL, now()));
    let run = rig.kiln(
        &["molto2", "list", "--reader", "Virtual PCD 00 00", "--json"],
        None,
        &[],
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "not_a_molto2_reader");
    assert!(rig.device().received().is_empty());
}
