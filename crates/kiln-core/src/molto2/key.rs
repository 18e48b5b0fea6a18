//! The Molto2 customer key and the SM4 key derived from it (§3.2): SHA-1 over the exact key
//! bytes, first 16 bytes. Hex and text input that mean the same bytes give the same key.

use core::fmt;

use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

/// The customer key every Molto2 leaves the factory with (and gets back on a factory reset).
pub const DEFAULT_CUSTOMER_KEY: &[u8] = b"TOKEN2MOLTO1-KEY";

/// Longest customer key Kiln accepts, in bytes. The vendor tool hashes keys of any length; a
/// bound keeps typing mistakes (a pasted file) from becoming keys.
pub const MAX_CUSTOMER_KEY_LEN: usize = 64;

/// A customer key as the user gave it. Wiped on drop, never printed.
#[derive(Clone)]
pub struct CustomerKey(Zeroizing<Vec<u8>>);

impl CustomerKey {
    /// The factory key `TOKEN2MOLTO1-KEY`.
    pub fn factory_default() -> CustomerKey {
        CustomerKey(Zeroizing::new(DEFAULT_CUSTOMER_KEY.to_vec()))
    }

    /// Reads a key typed by the user: `hex:` followed by hex digits means those bytes;
    /// anything else is taken as text (its UTF-8 bytes), as the vendor's `--keyascii` does.
    pub fn parse(text: &str) -> Result<CustomerKey, KeyError> {
        let bytes = match text
            .strip_prefix("hex:")
            .or_else(|| text.strip_prefix("HEX:"))
        {
            Some(hex) => decode_hex(hex)?,
            None => Zeroizing::new(text.as_bytes().to_vec()),
        };
        if bytes.is_empty() {
            return Err(KeyError::Empty);
        }
        if bytes.len() > MAX_CUSTOMER_KEY_LEN {
            return Err(KeyError::TooLong { len: bytes.len() });
        }
        Ok(CustomerKey(bytes))
    }

    /// The SM4 key the Molto2 uses: SHA-1(customer key)[0..16].
    pub fn sm4_key(&self) -> Zeroizing<[u8; 16]> {
        let digest = Sha1::digest(self.0.as_slice());
        let mut key = Zeroizing::new([0u8; 16]);
        key.copy_from_slice(&digest[..16]);
        key
    }

    /// True for the factory key.
    pub fn is_factory_default(&self) -> bool {
        self.0.as_slice() == DEFAULT_CUSTOMER_KEY
    }
}

impl fmt::Debug for CustomerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CustomerKey(<redacted>)")
    }
}

fn decode_hex(text: &str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let digits: Zeroizing<Vec<u8>> = Zeroizing::new(
        text.bytes()
            .filter(|b| !matches!(b, b' ' | b'-' | b':'))
            .collect(),
    );
    if !digits.len().is_multiple_of(2) {
        return Err(KeyError::BadHex);
    }
    let mut out = Zeroizing::new(Vec::with_capacity(digits.len() / 2));
    for pair in digits.chunks_exact(2) {
        let high = hex_value(pair[0]).ok_or(KeyError::BadHex)?;
        let low = hex_value(pair[1]).ok_or(KeyError::BadHex)?;
        out.push(high << 4 | low);
    }
    Ok(out)
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|v| u8::try_from(v).ok())
}

/// A customer key Kiln cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// Nothing was given.
    Empty,
    /// `hex:` was followed by something other than pairs of hex digits.
    BadHex,
    /// Longer than [`MAX_CUSTOMER_KEY_LEN`] bytes.
    TooLong {
        /// The length given.
        len: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str(
                "The customer key is empty. Type the Molto2's customer key, or leave the option \
                 out to use the factory key TOKEN2MOLTO1-KEY.",
            ),
            KeyError::BadHex => f.write_str(
                "The customer key after \"hex:\" is not hex (pairs of 0-9, A-F). Type it again, \
                 or give it as text without \"hex:\".",
            ),
            KeyError::TooLong { len } => write!(
                f,
                "The customer key is {len} bytes long; Kiln accepts at most \
                 {MAX_CUSTOMER_KEY_LEN}. Check that you pasted only the key."
            ),
        }
    }
}
