//! Every vector of `fixtures/molto2/vectors.json`, checked byte for byte against kiln-core's
//! Molto2 builders. The vectors come from `fixtures/molto2/make_vectors.py`, which computes
//! them from the spec with OpenSSL's SM4 and hashlib's SHA-1, independently of Kiln (and
//! reproduces the spec's own §4.3 example first).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::molto2::{
    CustomerKey, Digits, ProfileNumber, ProfileSettings, Title, apdu, parse_record,
};
use kiln_core::token::seed::SeedBytes;
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("fixtures/molto2/vectors.json")).unwrap()
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn key_of(case: &Value) -> [u8; 16] {
    let customer = unhex(&case["customer_key_hex"]);
    let key = CustomerKey::parse(&format!("hex:{}", hex::encode(customer))).unwrap();
    *key.sm4_key()
}

fn profile(case: &Value) -> ProfileNumber {
    ProfileNumber::new(case["profile"].as_u64().unwrap() as u8).unwrap()
}

#[test]
fn derived_keys_match_for_hex_and_text_input() {
    let v = vectors();
    for case in v["keys"].as_array().unwrap() {
        let want = unhex(&case["sm4_key_hex"]);
        let from_hex = CustomerKey::parse(&format!(
            "hex:{}",
            case["customer_key_hex"].as_str().unwrap()
        ))
        .unwrap();
        assert_eq!(from_hex.sm4_key().as_slice(), &want[..], "{case}");
        if let Some(text) = case["customer_key_text"].as_str() {
            let from_text = CustomerKey::parse(text).unwrap();
            assert_eq!(from_text.sm4_key().as_slice(), &want[..], "{case}");
        }
    }
    let default = CustomerKey::factory_default();
    assert!(default.is_factory_default());
    assert_eq!(
        default.sm4_key().as_slice(),
        &unhex(&v["keys"][0]["sm4_key_hex"])[..]
    );
}

#[test]
fn fixed_commands_match() {
    let v = &vectors()["fixed"];
    assert_eq!(apdu::get_info().bytes(), unhex(&v["get_info"]));
    assert_eq!(apdu::get_challenge().bytes(), unhex(&v["get_challenge"]));
    assert_eq!(apdu::factory_reset().bytes(), unhex(&v["factory_reset"]));
    for (p, bytes) in v["read_profile"].as_object().unwrap() {
        let p = ProfileNumber::parse(p).unwrap();
        assert_eq!(apdu::read_profile(p).bytes(), unhex(bytes));
    }
    for (p, bytes) in v["delete_seed"].as_object().unwrap() {
        let p = ProfileNumber::parse(p).unwrap();
        assert_eq!(apdu::delete_seed(p).bytes(), unhex(bytes));
    }
}

#[test]
fn answer_challenge_matches_for_default_and_custom_keys() {
    for case in vectors()["auth"].as_array().unwrap() {
        let challenge: [u8; 8] = unhex(&case["challenge_hex"]).try_into().unwrap();
        let command = apdu::answer_challenge(&key_of(case), &challenge);
        assert_eq!(command.bytes(), unhex(&case["apdu_hex"]), "{case}");
    }
}

#[test]
fn write_seed_matches_for_profiles_0_49_99() {
    let cases = vectors()["write_seed"].as_array().unwrap().clone();
    assert_eq!(cases.len(), 30);
    for case in &cases {
        let seed =
            SeedBytes::without_extension(&Secret::new(unhex(&case["wire_seed_hex"]))).unwrap();
        let command = apdu::write_seed(&key_of(case), profile(case), &seed);
        assert_eq!(command.bytes(), unhex(&case["apdu_hex"]), "{case}");
    }
}

#[test]
fn kiln_zero_extends_short_seeds_to_the_20_byte_vector() {
    // The 10-byte seed and its zero-extended form are both in the vectors; Kiln sends the latter.
    let cases = vectors()["write_seed"].as_array().unwrap().clone();
    let extended = cases
        .iter()
        .find(|c| c["wire_seed_hex"] == "48656C6C6F21DEADBEEF00000000000000000000")
        .unwrap();
    let seed = SeedBytes::new(&Secret::new(hex::decode("48656C6C6F21DEADBEEF").unwrap())).unwrap();
    let command = apdu::write_seed(&key_of(extended), profile(extended), &seed);
    assert_eq!(command.bytes(), unhex(&extended["apdu_hex"]));
}

#[test]
fn write_title_matches_including_multibyte_utf8() {
    for case in vectors()["write_title"].as_array().unwrap() {
        let title = Title::new(case["title"].as_str().unwrap()).unwrap();
        let command = apdu::write_title(&key_of(case), profile(case), &title);
        assert_eq!(command.bytes(), unhex(&case["apdu_hex"]), "{case}");
    }
}

#[test]
fn write_config_matches_every_digits_algorithm_period_and_display() {
    for case in vectors()["write_config"].as_array().unwrap() {
        let settings = ProfileSettings {
            algorithm: match case["algorithm"].as_u64().unwrap() {
                1 => Algorithm::Sha1,
                _ => Algorithm::Sha256,
            },
            period: Period::from_seconds(case["step"].as_u64().unwrap()).unwrap(),
            digits: Digits::from_count(case["digits"].as_u64().unwrap() as u8).unwrap(),
            display: DisplayTimeout::ALL[case["display"].as_u64().unwrap() as usize],
        };
        let time = case["time"].as_u64().unwrap() as u32;
        let command = apdu::write_config(&key_of(case), profile(case), &settings, time);
        assert_eq!(command.bytes(), unhex(&case["apdu_hex"]), "{case}");
    }
}

#[test]
fn sync_time_matches() {
    for case in vectors()["sync_time"].as_array().unwrap() {
        let time = case["time"].as_u64().unwrap() as u32;
        let command = apdu::sync_time(&key_of(case), profile(case), time);
        assert_eq!(command.bytes(), unhex(&case["apdu_hex"]), "{case}");
    }
}

#[test]
fn change_key_matches() {
    for case in vectors()["change_key"].as_array().unwrap() {
        let new = CustomerKey::parse(&format!(
            "hex:{}",
            case["new_customer_key_hex"].as_str().unwrap()
        ))
        .unwrap();
        let command = apdu::change_key(&key_of(case), &new);
        assert_eq!(command.bytes(), unhex(&case["apdu_hex"]), "{case}");
    }
}

#[test]
fn the_profile_record_vector_parses() {
    let v = &vectors()["profile_record"];
    let reply = unhex(&v["reply_hex"]);
    let record = parse_record(&reply[..reply.len() - 2]).unwrap();
    assert_eq!(record.title, v["title"].as_str().unwrap());
    assert_eq!(
        u64::from(record.algorithm_code),
        v["algorithm"].as_u64().unwrap()
    );
    assert_eq!(u64::from(record.step_seconds), v["step"].as_u64().unwrap());
    assert_eq!(u64::from(record.digits), v["digits"].as_u64().unwrap());
    assert_eq!(record.occupied, v["occupied"].as_bool().unwrap());
}
