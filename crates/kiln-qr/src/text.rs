//! Turning raw QR payload bytes into the text Kiln parses.

use zeroize::Zeroize;

use crate::QrError;

/// Keeps the UTF-8 payloads, in order, without duplicates (a code seen twice, or two copies of
/// the same code in a picture, count once). Binary payloads are dropped; if *every* payload was
/// binary the answer is [`QrError::NotText`].
///
/// Why not Latin-1: enrollment URIs are ASCII (non-ASCII labels are percent-encoded), and
/// Latin-1 would turn binary junk into plausible-looking text that the URI parser then rejects
/// with a less helpful message. Every dropped payload is wiped: it may hold a secret.
pub fn texts(payloads: Vec<Vec<u8>>) -> Result<Vec<String>, QrError> {
    let found_any = !payloads.is_empty();
    let mut texts: Vec<String> = Vec::new();
    for payload in payloads {
        match String::from_utf8(payload) {
            Ok(mut text) if texts.contains(&text) => text.zeroize(),
            Ok(text) => texts.push(text),
            Err(error) => error.into_bytes().zeroize(),
        }
    }
    if found_any && texts.is_empty() {
        return Err(QrError::NotText);
    }
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_payloads_are_reported_once_in_first_seen_order() {
        let found = texts(vec![b"b".to_vec(), b"a".to_vec(), b"b".to_vec()]).unwrap();
        assert_eq!(found, ["b", "a"]);
    }

    #[test]
    fn only_binary_payloads_mean_not_text() {
        assert_eq!(texts(vec![vec![0xFF, 0xFE]]), Err(QrError::NotText));
    }

    #[test]
    fn binary_payloads_beside_text_are_dropped() {
        assert_eq!(texts(vec![vec![0xFF], b"ok".to_vec()]).unwrap(), ["ok"]);
    }

    #[test]
    fn nothing_found_is_an_empty_list_not_an_error() {
        assert_eq!(texts(Vec::new()).unwrap(), Vec::<String>::new());
    }
}
