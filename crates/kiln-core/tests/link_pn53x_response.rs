//! PN53x response parsers and the status byte: target lists, firmware, status errors mapped to
//! what a burn report needs (did the command reach the token?).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::pn53x::command::{FirmwareVersion, parse_passive_target};
use kiln_core::link::pn53x::{Status, StatusError};
use kiln_core::link::{LinkError, LinkFault};
use support::hex;

#[test]
fn firmware_version_of_the_libnfc_trace_is_a_pn533_v2_7() {
    // Response payload after D5 03 in the firmware answer of docs/readers.md §3.4: 33 02 07 07.
    let firmware = FirmwareVersion::parse(&hex("33 02 07 07")).unwrap();
    assert_eq!(firmware.ic, 0x33);
    assert_eq!(firmware.describe(), "PN533 v2.7");
    assert!(FirmwareVersion::parse(&hex("33 02")).is_err());
}

#[test]
fn iso14443_4_target_comes_with_its_ats() {
    // NbTg 1, Tg 1, SENS_RES 00 44, SAK 20, NFCID length 7, UID, ATS (TL 05).
    let data = hex("01 01 00 44 20 07 04 11 22 33 44 55 66 05 78 80 70 02");
    let target = parse_passive_target(&data).unwrap().unwrap();
    assert_eq!(target.number, 1);
    assert_eq!(target.atqa, [0x00, 0x44]);
    assert_eq!(target.sak, 0x20);
    assert_eq!(target.uid, hex("04 11 22 33 44 55 66"));
    assert_eq!(target.ats, Some(hex("05 78 80 70 02")));
    assert!(target.is_iso14443_4());
}

#[test]
fn ats_historical_bytes_follow_the_interface_bytes_t0_announces() {
    // T0 = 78: TA1, TB1, TC1 present; historical bytes 4B 49 4C 4E.
    let data = hex("01 01 00 44 20 04 01 02 03 04 09 78 80 70 02 4B 49 4C 4E");
    let target = parse_passive_target(&data).unwrap().unwrap();
    assert_eq!(target.historical_bytes(), Some(&hex("4B 49 4C 4E")[..]));
    // T0 = 30: only TB1 and TA1; one historical byte.
    let data = hex("01 01 00 44 20 04 01 02 03 04 05 30 80 70 C1");
    let target = parse_passive_target(&data).unwrap().unwrap();
    assert_eq!(target.historical_bytes(), Some(&[0xC1][..]));
}

#[test]
fn mifare_classic_has_no_ats_and_is_named() {
    let data = hex("01 01 00 04 08 04 DE AD BE EF");
    let target = parse_passive_target(&data).unwrap().unwrap();
    assert_eq!(target.ats, None);
    assert!(!target.is_iso14443_4());
    assert!(target.describe().contains("MIFARE Classic 1K"));
    assert!(target.describe().contains("SAK 08"));
}

#[test]
fn no_target_is_none() {
    assert_eq!(parse_passive_target(&[0x00]), Ok(None));
}

#[test]
fn cut_short_target_lists_are_errors_not_panics() {
    let full = hex("01 01 00 44 20 07 04 11 22 33 44 55 66 05 78 80 70 02");
    for cut in 0..full.len() {
        let parsed = parse_passive_target(&full[..cut]);
        // Cutting inside the ATS leaves a target whose ATS cannot be complete: always an error.
        if cut < full.len() && cut != 13 {
            assert!(parsed.is_err(), "cut at {cut}: {parsed:?}");
        }
    }
    // Cut exactly before the ATS: an ISO 14443-4 target without ATS (automatic RATS failed).
    let parsed = parse_passive_target(&full[..13]).unwrap().unwrap();
    assert_eq!(parsed.ats, None);
}

#[test]
fn status_zero_is_success_and_mi_is_bit_6() {
    assert_eq!(Status(0x00).error(), None);
    assert!(!Status(0x00).more());
    assert_eq!(Status(0x40).error(), None);
    assert!(Status(0x40).more());
    assert_eq!(Status(0x41).error(), Some(StatusError::Timeout));
    // Bit 7 (NAD present) is not part of the error code.
    assert_eq!(Status(0x80).error(), None);
}

#[test]
fn status_codes_of_the_reference_are_named() {
    for (code, error) in [
        (0x01, StatusError::Timeout),
        (0x02, StatusError::Crc),
        (0x14, StatusError::Authentication),
        (0x25, StatusError::InvalidDepState),
        (0x27, StatusError::NotAcceptable),
        (0x29, StatusError::Released),
        (0x2B, StatusError::CardDisappeared),
    ] {
        assert_eq!(Status(code).error(), Some(error));
        assert_eq!(error.code(), code);
    }
    assert_eq!(Status(0x3F).error(), Some(StatusError::Other(0x3F)));
}

#[test]
fn token_timeout_may_have_reached_the_token() {
    assert_eq!(
        StatusError::Timeout.link_error(),
        LinkError::NoReply(LinkFault::TokenMute)
    );
}

#[test]
fn card_disappeared_may_have_reached_the_token() {
    assert_eq!(
        StatusError::CardDisappeared.link_error(),
        LinkError::NoReply(LinkFault::TokenRemoved)
    );
}

#[test]
fn no_selected_target_means_the_command_was_not_sent() {
    assert_eq!(
        StatusError::NotAcceptable.link_error(),
        LinkError::NotSent(LinkFault::NoToken)
    );
}

#[test]
fn radio_errors_are_no_reply_with_advice_about_placement() {
    for error in [StatusError::Crc, StatusError::Parity, StatusError::Framing] {
        let link_error = error.link_error();
        assert!(matches!(
            link_error,
            LinkError::NoReply(LinkFault::Radio(_))
        ));
        assert!(link_error.to_string().contains("flat"));
    }
}

#[test]
fn refusals_before_transmission_are_not_sent() {
    for error in [
        StatusError::InvalidParameter,
        StatusError::InvalidDepState,
        StatusError::NotAllowed,
    ] {
        assert!(
            matches!(error.link_error(), LinkError::NotSent(_)),
            "{error:?}"
        );
    }
}

#[test]
fn unknown_status_codes_are_conservatively_no_reply() {
    assert!(matches!(
        StatusError::Other(0x3F).link_error(),
        LinkError::NoReply(_)
    ));
}
