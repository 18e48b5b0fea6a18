//! Inputs that cannot be scanned give errors whose messages tell a person what to do.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_qr::{MAX_PIXELS, QrError, decode_luma, decode_rgba};

#[test]
fn images_over_sixteen_megapixels_are_refused_before_any_work() {
    // 5000 × 4000 = 20 MP; no buffer is needed for the size check to answer.
    let err = decode_luma(&[], 5000, 4000).unwrap_err();
    assert_eq!(
        err,
        QrError::TooLarge {
            width: 5000,
            height: 4000,
            max_pixels: MAX_PIXELS
        }
    );
    assert_eq!(MAX_PIXELS, 16_000_000);
    let message = err.to_string();
    assert!(message.contains("5000×4000"), "{message}");
    assert!(message.contains("Crop"), "{message}");
}

#[test]
fn exactly_sixteen_megapixels_is_still_accepted() {
    // 4000 × 4000 = 16 MP: allowed, so the answer is about the (wrong) buffer length.
    let err = decode_luma(&[], 4000, 4000).unwrap_err();
    assert!(matches!(err, QrError::BadDimensions { .. }), "{err:?}");
}

#[test]
fn zero_width_or_height_is_an_empty_picture() {
    for (w, h) in [(0, 10), (10, 0), (0, 0)] {
        let err = decode_luma(&[], w, h).unwrap_err();
        assert!(matches!(err, QrError::BadDimensions { .. }), "{err:?}");
        assert!(err.to_string().contains("empty"), "{err}");
    }
}

#[test]
fn buffer_length_must_match_width_times_height() {
    let err = decode_luma(&[0; 99], 10, 10).unwrap_err();
    assert_eq!(
        err,
        QrError::BadDimensions {
            width: 10,
            height: 10,
            bytes_per_pixel: 1,
            actual_len: 99
        }
    );
    assert!(err.to_string().contains("100 bytes"), "{err}");
}

#[test]
fn rgba_buffer_needs_four_bytes_per_pixel() {
    let err = decode_rgba(&[0; 100], 10, 10).unwrap_err();
    assert_eq!(
        err,
        QrError::BadDimensions {
            width: 10,
            height: 10,
            bytes_per_pixel: 4,
            actual_len: 100
        }
    );
    assert!(err.to_string().contains("400 bytes"), "{err}");
}

#[test]
fn binary_payload_message_says_it_is_not_a_setup_code() {
    let message = QrError::NotText.to_string();
    assert!(
        message.contains("not an authenticator set-up code"),
        "{message}"
    );
}
