//! The GET INFO reply (§2.5.1): serial number and clock.
//!
//! Real tokens answer `95 L | 02 N <serial digits> | 11 04 <u32 BE time>`. The reply is parsed
//! as SIMPLE-TLV first; if the outer header is not TLV (some firmware builds emit zeros there),
//! the fixed offsets every vendor tool uses are tried: serial length at offset 3, serial from
//! offset 4, time 2 bytes after the serial. Anything else is a typed error, never a panic.

use core::fmt;

/// Longest serial number accepted. Known serials have 13 digits (single-profile) or 15 (Molto2).
const MAX_SERIAL_LEN: usize = 32;

/// What GET INFO says about a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The serial number, ASCII digits, as printed on the token.
    pub serial: String,
    /// The token's clock: UTC seconds since 1970.
    pub device_time: u32,
}

impl TokenInfo {
    /// How far the token's clock is ahead of `host_unix_time` (negative: behind), in seconds.
    pub fn clock_offset(&self, host_unix_time: u64) -> i64 {
        i64::from(self.device_time) - host_unix_time.min(i64::MAX as u64) as i64
    }
}

/// A GET INFO reply Kiln could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InfoError {
    /// The reply is shorter than the smallest valid answer.
    TooShort {
        /// Bytes received (without the status word).
        len: usize,
    },
    /// Neither the TLV layout nor the fixed offsets fit the reply.
    Unrecognised,
    /// The serial field holds something other than digits.
    SerialNotDigits,
}

impl fmt::Display for InfoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            InfoError::TooShort { .. } => "its answer was too short",
            InfoError::Unrecognised => "its answer has an unknown layout",
            InfoError::SerialNotDigits => "its serial number is not made of digits",
        };
        write!(
            f,
            "The token's identity could not be read ({what}). This may not be a Token2 \
             programmable token; Kiln will not write to it."
        )
    }
}

/// Parses the data part of a GET INFO reply (status word already removed).
pub fn parse_info(data: &[u8]) -> Result<TokenInfo, InfoError> {
    // Smallest reply: 95 L 02 01 d 11 04 t t t t = 11 bytes.
    if data.len() < 11 {
        return Err(InfoError::TooShort { len: data.len() });
    }
    match parse_tlv(data) {
        Some(fields) => finish(fields),
        None => parse_offsets(data).map_or(Err(InfoError::Unrecognised), finish),
    }
}

struct Fields<'a> {
    serial: &'a [u8],
    time: [u8; 4],
}

fn finish(fields: Fields<'_>) -> Result<TokenInfo, InfoError> {
    if fields.serial.is_empty()
        || fields.serial.len() > MAX_SERIAL_LEN
        || !fields.serial.iter().all(u8::is_ascii_digit)
    {
        return Err(InfoError::SerialNotDigits);
    }
    let serial = fields.serial.iter().map(|&b| char::from(b)).collect();
    Ok(TokenInfo {
        serial,
        device_time: u32::from_be_bytes(fields.time),
    })
}

/// Outer tag 0x95 whose length covers the rest exactly, holding tags 0x02 and 0x11 in any order.
fn parse_tlv(data: &[u8]) -> Option<Fields<'_>> {
    let (&tag, rest) = data.split_first()?;
    let (&len, body) = rest.split_first()?;
    if tag != 0x95 || usize::from(len) != body.len() {
        return None;
    }
    let mut serial = None;
    let mut time = None;
    let mut cursor = body;
    while !cursor.is_empty() {
        let (&t, rest) = cursor.split_first()?;
        let (&l, rest) = rest.split_first()?;
        let value = rest.get(..usize::from(l))?;
        cursor = rest.get(usize::from(l)..)?;
        match t {
            0x02 if serial.is_none() => serial = Some(value),
            0x11 if time.is_none() => time = Some(<[u8; 4]>::try_from(value).ok()?),
            0x02 | 0x11 => return None, // duplicated tag
            _ => {}                     // other tags are skipped
        }
    }
    Some(Fields {
        serial: serial?,
        time: time?,
    })
}

/// The vendor tools' fixed layout: `?? ?? ?? N <serial N> ?? ?? <time 4>`, nothing after.
fn parse_offsets(data: &[u8]) -> Option<Fields<'_>> {
    let n = usize::from(*data.get(3)?);
    let serial = data.get(4..4 + n)?;
    let time = data.get(4 + n + 2..4 + n + 6)?;
    if data.len() != 4 + n + 6 {
        return None;
    }
    Some(Fields {
        serial,
        time: <[u8; 4]>::try_from(time).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-formed reply: the outer length covers `02 N serial` and `11 04 time`.
    fn tlv_reply(serial: &str, time: u32) -> Vec<u8> {
        let mut v = vec![0x95, (serial.len() + 8) as u8, 0x02, serial.len() as u8];
        v.extend_from_slice(serial.as_bytes());
        v.extend_from_slice(&[0x11, 0x04]);
        v.extend_from_slice(&time.to_be_bytes());
        v
    }

    #[test]
    fn the_spec_example_parses_as_tlv() {
        // §2.5.1 illustration, status word removed.
        let data = [
            0x95, 0x15, 0x02, 0x0D, 0x38, 0x36, 0x35, 0x39, 0x36, 0x32, 0x32, 0x30, 0x30, 0x30,
            0x31, 0x32, 0x33, 0x11, 0x04, 0x65, 0x53, 0xF0, 0xF0,
        ];
        let info = parse_info(&data).unwrap();
        assert_eq!(info.serial, "8659622000123");
        assert_eq!(info.device_time, 0x6553_F0F0);
    }

    #[test]
    fn tlv_tags_may_come_in_any_order_and_unknown_tags_are_skipped() {
        let mut data = vec![
            0x95, 0x00, 0x11, 0x04, 0x00, 0x00, 0x01, 0x00, 0x33, 0x01, 0xAA,
        ];
        data.extend_from_slice(&[0x02, 0x03, b'1', b'2', b'3']);
        data[1] = (data.len() - 2) as u8;
        let info = parse_info(&data).unwrap();
        assert_eq!(info.serial, "123");
        assert_eq!(info.device_time, 256);
    }

    #[test]
    fn a_zero_header_falls_back_to_the_fixed_offsets() {
        let mut data = tlv_reply("8659632000001", 1_700_000_000);
        data[0] = 0;
        data[1] = 0;
        data[2] = 0;
        data[4 + 13] = 0;
        data[4 + 14] = 0;
        let info = parse_info(&data).unwrap();
        assert_eq!(info.serial, "8659632000001");
        assert_eq!(info.device_time, 1_700_000_000);
    }

    #[test]
    fn malformed_replies_are_errors() {
        assert_eq!(parse_info(&[]), Err(InfoError::TooShort { len: 0 }));
        assert_eq!(
            parse_info(&[0x95, 0x05, 0x02, 0x09, 1, 2, 3, 4, 5, 6, 7]),
            Err(InfoError::Unrecognised)
        );
        let mut letters = tlv_reply("86596ABC", 5);
        assert!(parse_tlv(&letters).is_some(), "the helper builds valid TLV");
        assert_eq!(parse_info(&letters), Err(InfoError::SerialNotDigits));
        letters.push(0);
        assert_eq!(parse_info(&letters), Err(InfoError::Unrecognised));
    }

    #[test]
    fn clock_offset_is_device_minus_host() {
        let info = TokenInfo {
            serial: "1".into(),
            device_time: 1_000,
        };
        assert_eq!(info.clock_offset(1_010), -10);
        assert_eq!(info.clock_offset(990), 10);
    }
}
