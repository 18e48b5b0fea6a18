//! What of the user's input may be repeated in a message: only short words that cannot be (part
//! of) a pasted secret.

/// What may be echoed back from a piece of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordKind {
    /// An otpauth type: letters only (`yaotp`, `motp`).
    Letters,
    /// An algorithm or code-type name: letters, digits and `-` (`SHA512`, `SHA3-256`, `MD5`).
    Name,
    /// A setting value: letters, digits, `.` and `-` (`six`, `30s`, `6.0`).
    Value,
}

/// The longest text ever echoed. Secrets are at least 16 Base32 characters (10 bytes), so a word
/// this short cannot give one away.
const MAX_ECHO: usize = 10;

/// `text` (trimmed) when it is a short word of the allowed characters, else `None`: input is
/// echoed in messages only when it cannot be (part of) a pasted secret.
pub(crate) fn safe_word(text: &str, kind: WordKind) -> Option<String> {
    let text = text.trim();
    let allowed = |c: char| match kind {
        WordKind::Letters => c.is_ascii_alphabetic(),
        WordKind::Name => c.is_ascii_alphanumeric() || c == '-',
        WordKind::Value => c.is_ascii_alphanumeric() || c == '.' || c == '-',
    };
    (!text.is_empty() && text.len() <= MAX_ECHO && text.chars().all(allowed))
        .then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_words_are_echoed() {
        assert_eq!(
            safe_word(" yaotp ", WordKind::Letters).as_deref(),
            Some("yaotp")
        );
        assert_eq!(
            safe_word("SHA3-256", WordKind::Name).as_deref(),
            Some("SHA3-256")
        );
        assert_eq!(safe_word("6.0", WordKind::Value).as_deref(), Some("6.0"));
        for text in ["JBSWY3DPEHPK3PXP", "ya otp", "yaotp2", "", "a/b", "é"] {
            assert_eq!(safe_word(text, WordKind::Letters), None, "{text}");
        }
        assert_eq!(safe_word("GEZDGNBVGY3", WordKind::Name), None);
    }
}
