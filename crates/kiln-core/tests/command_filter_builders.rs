//! Every command kiln-core's builders make passes the bridge's command filter, for the protocol
//! it belongs to, and only for that one: the web app's sessions, relayed by `kiln bridge`, are
//! never refused, and a single-profile token never gets a Molto2 command (or the reverse).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::command_filter::{Allowed, Protocol, check};
use kiln_core::molto2::{self, CustomerKey, Digits, ProfileNumber, ProfileSettings, Title};
use kiln_core::token::{self, TokenSettings, seed::SeedBytes};
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret};

const KEY: [u8; 16] = *b"0123456789abcdef";

fn token_settings() -> Vec<TokenSettings> {
    let mut all = Vec::new();
    for algorithm in [Algorithm::Sha1, Algorithm::Sha256] {
        for period in [Period::S30, Period::S60] {
            for display in [
                DisplayTimeout::S15,
                DisplayTimeout::S30,
                DisplayTimeout::S60,
                DisplayTimeout::S120,
            ] {
                all.push(TokenSettings {
                    algorithm,
                    period,
                    display,
                });
            }
        }
    }
    all
}

fn both(apdu: &[u8]) -> (Option<Allowed>, Option<Allowed>) {
    (
        check(Protocol::Token, apdu).ok(),
        check(Protocol::Molto2, apdu).ok(),
    )
}

#[test]
fn every_single_profile_command_passes_for_a_token() {
    let get_info = token::apdu::get_info();
    assert_eq!(
        both(get_info.bytes()),
        (Some(Allowed::GetInfo), None),
        "Molto2 GET INFO has no data"
    );
    assert_eq!(
        check(Protocol::Token, token::apdu::get_challenge().bytes()),
        Ok(Allowed::GetChallenge)
    );
    assert_eq!(
        check(
            Protocol::Token,
            token::apdu::answer_challenge(&KEY, &[7; 8]).bytes()
        ),
        Ok(Allowed::AnswerChallenge)
    );
    for settings in token_settings() {
        for time in [0, 1_764_000_000, u32::MAX] {
            let command = token::apdu::write_config(&KEY, &settings, time);
            assert_eq!(
                both(command.bytes()),
                (Some(Allowed::WriteConfig), None),
                "{settings:?}"
            );
        }
    }
    for len in 1..=63 {
        let secret = Secret::from_slice(&vec![0xA5; len]);
        for seed in [
            SeedBytes::new(&secret).unwrap(),
            SeedBytes::without_extension(&secret).unwrap(),
        ] {
            let command = token::apdu::write_seed(&KEY, &seed);
            assert_eq!(
                check(Protocol::Token, command.bytes()),
                Ok(Allowed::WriteSeed),
                "seed of {len} bytes"
            );
        }
    }
}

#[test]
fn every_molto2_command_passes_for_a_molto2_on_every_profile() {
    let key = CustomerKey::factory_default().sm4_key();
    assert_eq!(
        both(molto2::apdu::get_info().bytes()),
        (None, Some(Allowed::GetInfo))
    );
    assert_eq!(
        both(molto2::apdu::get_challenge().bytes()),
        (Some(Allowed::GetChallenge), Some(Allowed::GetChallenge))
    );
    assert_eq!(
        check(Protocol::Molto2, molto2::apdu::factory_reset().bytes()),
        Ok(Allowed::FactoryReset)
    );
    let new_key = CustomerKey::parse("a new customer key").unwrap();
    assert_eq!(
        both(molto2::apdu::change_key(&key, &new_key).bytes()),
        (None, Some(Allowed::ChangeKey))
    );
    let title = Title::new("GitHub").unwrap();
    let settings = ProfileSettings {
        digits: Digits::from_count(8).unwrap(),
        ..ProfileSettings::default()
    };
    let seed = SeedBytes::new(&Secret::from_slice(b"12345678901234567890")).unwrap();
    for profile in ProfileNumber::all() {
        let commands = [
            (molto2::apdu::read_profile(profile), Allowed::ReadProfile),
            (molto2::apdu::delete_seed(profile), Allowed::DeleteSeed),
            (
                molto2::apdu::write_seed(&key, profile, &seed),
                Allowed::WriteSeed,
            ),
            (
                molto2::apdu::write_title(&key, profile, &title),
                Allowed::WriteTitle,
            ),
            (
                molto2::apdu::write_config(&key, profile, &settings, 1_764_000_000),
                Allowed::WriteConfig,
            ),
            (
                molto2::apdu::sync_time(&key, profile, 1_764_000_000),
                Allowed::WriteConfig,
            ),
        ];
        for (command, kind) in commands {
            assert_eq!(
                check(Protocol::Molto2, command.bytes()),
                Ok(kind),
                "profile {profile}: {command:?}"
            );
        }
    }
}
