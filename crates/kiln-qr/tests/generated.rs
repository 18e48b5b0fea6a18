//! QR codes made in the test with the `qrcode` encoder decode to exactly what was encoded,
//! including the damage the preprocessing exists for.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod common;

use common::{Picture, noisy_frame, qr_picture, qr_picture_colours};
use kiln_qr::QrError;
use qrcode::EcLevel;

const M365: &str =
    "otpauth://totp/Contoso%3aalice%40contoso.net?secret=mfrggzdfmztwq2lk&issuer=Microsoft";
const LONG: &str = "otpauth://totp/AWS:bob%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=AWS&algorithm=SHA256&digits=8&period=60";

#[test]
fn clean_codes_decode_to_their_exact_payloads_at_every_ec_level() {
    for (payload, ec) in [
        (M365, EcLevel::L),
        (M365, EcLevel::H),
        (LONG, EcLevel::M),
        (LONG, EcLevel::Q),
        ("8659622000123", EcLevel::M),
    ] {
        let picture = qr_picture(payload.as_bytes(), ec, 3);
        assert_eq!(picture.decode().unwrap(), [payload], "{ec:?}");
    }
}

#[test]
fn utf8_payload_is_returned_as_text() {
    let payload = "otpauth://totp/Café:Zoë?secret=JBSWY3DPEHPK3PXP&issuer=Café";
    let picture = qr_picture(payload.as_bytes(), EcLevel::M, 3);
    assert_eq!(picture.decode().unwrap(), [payload]);
}

#[test]
fn dark_mode_code_with_light_modules_on_dark_background_is_read() {
    let picture = qr_picture_colours(M365.as_bytes(), EcLevel::M, 4, 230, 25);
    assert_eq!(picture.decode().unwrap(), [M365]);
}

#[test]
fn low_contrast_code_is_read() {
    let picture = qr_picture_colours(M365.as_bytes(), EcLevel::M, 4, 115, 145);
    assert_eq!(picture.decode().unwrap(), [M365]);
}

#[test]
fn code_with_one_pixel_modules_is_read() {
    let picture = qr_picture(M365.as_bytes(), EcLevel::M, 1);
    assert_eq!(picture.decode().unwrap(), [M365]);
}

#[test]
fn code_inside_a_busy_1280x720_frame_is_found() {
    let mut frame = noisy_frame(1280, 720, 7);
    frame.paste(&qr_picture(M365.as_bytes(), EcLevel::Q, 4), 700, 180);
    assert_eq!(frame.decode().unwrap(), [M365]);
}

#[test]
fn picture_above_the_working_size_is_shrunk_and_still_read() {
    // 2600 × 2000 = 5.2 MP: decoded at half size first (modules 12 → 6 px).
    let mut frame = noisy_frame(2600, 2000, 11);
    frame.paste(&qr_picture(LONG.as_bytes(), EcLevel::M, 12), 900, 300);
    assert_eq!(frame.decode().unwrap(), [LONG]);
}

#[test]
fn two_different_codes_in_one_picture_are_both_returned() {
    let a = qr_picture(M365.as_bytes(), EcLevel::M, 3);
    let b = qr_picture(b"8659622000123", EcLevel::M, 3);
    let mut picture = Picture::filled(a.width + b.width, a.height.max(b.height), 255);
    picture.paste(&a, 0, 0);
    picture.paste(&b, a.width, 0);
    let mut found = picture.decode().unwrap();
    found.sort();
    assert_eq!(found, ["8659622000123", M365]);
}

#[test]
fn the_same_code_shown_twice_is_reported_once() {
    let a = qr_picture(M365.as_bytes(), EcLevel::M, 3);
    let mut picture = Picture::filled(a.width * 2, a.height, 255);
    picture.paste(&a, 0, 0);
    picture.paste(&a, a.width, 0);
    assert_eq!(picture.decode().unwrap(), [M365]);
}

#[test]
fn code_holding_binary_data_is_reported_as_not_text() {
    let binary = [0xFF, 0xFE, 0x00, 0x80, 0xC3, 0x28, 0x9F, 0x01];
    let picture = qr_picture(&binary, EcLevel::M, 4);
    assert_eq!(picture.decode(), Err(QrError::NotText));
}

#[test]
fn text_code_next_to_a_binary_code_returns_only_the_text() {
    let text = qr_picture(M365.as_bytes(), EcLevel::M, 3);
    let binary = qr_picture(&[0xFF, 0xFE, 0x00, 0x80], EcLevel::M, 3);
    let mut picture = Picture::filled(
        text.width + binary.width,
        text.height.max(binary.height),
        255,
    );
    picture.paste(&text, 0, 0);
    picture.paste(&binary, text.width, 0);
    assert_eq!(picture.decode().unwrap(), [M365]);
}

#[test]
fn picture_without_a_code_gives_an_empty_list() {
    assert_eq!(
        noisy_frame(640, 480, 3).decode().unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        Picture::filled(1, 1, 0).decode().unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn rgba_pixels_read_the_same_as_their_gray_values() {
    let picture = qr_picture_colours(LONG.as_bytes(), EcLevel::M, 3, 40, 220);
    let rgba = picture.to_rgba();
    let from_rgba = kiln_qr::decode_rgba(&rgba, picture.width as u32, picture.height as u32);
    assert_eq!(from_rgba.unwrap(), [LONG]);
    let grays = kiln_qr::Gray::from_rgba(picture.width, picture.height, &rgba).unwrap();
    assert_eq!(
        grays.pixels(),
        &picture.pixels[..],
        "gray RGB keeps its value"
    );
}
