//! A small protocol-buffers wire reader: just enough for the Google Authenticator export.
//!
//! Every read is bounds-checked and returns an error on damaged input; nothing here can panic.

use super::migration_error::MigrationError;

/// One field value as it appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 2: bytes, strings and embedded messages.
    Bytes(&'a [u8]),
    /// Wire types 1 and 5 (no field of the export uses them; they are skipped).
    Fixed,
}

/// Reads `(field number, value)` pairs from a message.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(message: &'a [u8]) -> Reader<'a> {
        Reader { rest: message }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], MigrationError> {
        if n > self.rest.len() {
            return Err(MigrationError::Truncated);
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn varint(&mut self) -> Result<u64, MigrationError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let (&byte, tail) = self.rest.split_first().ok_or(MigrationError::Truncated)?;
            self.rest = tail;
            // The 10th byte may only carry the top bit of a u64.
            if shift == 63 && byte > 1 {
                return Err(MigrationError::BadVarint);
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(MigrationError::BadVarint)
    }

    /// The next field, or `None` at the end of the message.
    pub(crate) fn next_field(&mut self) -> Result<Option<(u64, Value<'a>)>, MigrationError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let tag = self.varint()?;
        let field = tag >> 3;
        if field == 0 {
            return Err(MigrationError::BadField);
        }
        let value = match tag & 7 {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Value::Fixed
            }
            2 => {
                let len = usize::try_from(self.varint()?).map_err(|_| MigrationError::Truncated)?;
                Value::Bytes(self.take(len)?)
            }
            5 => {
                self.take(4)?;
                Value::Fixed
            }
            // 3 and 4 are deprecated groups, 6 and 7 do not exist.
            _ => return Err(MigrationError::BadField),
        };
        Ok(Some((field, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_follow_the_protobuf_encoding_examples() {
        // From the protobuf encoding guide: 150 is 96 01.
        let mut r = Reader::new(&[0x08, 0x96, 0x01]);
        assert_eq!(r.next_field(), Ok(Some((1, Value::Varint(150)))));
        assert_eq!(r.next_field(), Ok(None));
    }

    #[test]
    fn length_delimited_fields_are_bounds_checked() {
        let mut r = Reader::new(&[0x12, 0x07, b't', b'e', b's', b't', b'i', b'n', b'g']);
        assert_eq!(r.next_field(), Ok(Some((2, Value::Bytes(b"testing")))));
        let mut cut = Reader::new(&[0x12, 0x08, b't']);
        assert_eq!(cut.next_field(), Err(MigrationError::Truncated));
    }

    #[test]
    fn overlong_varints_and_groups_are_errors() {
        let mut r = Reader::new(&[
            0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
        ]);
        assert_eq!(r.next_field(), Err(MigrationError::BadVarint));
        let mut g = Reader::new(&[0x0b]);
        assert_eq!(g.next_field(), Err(MigrationError::BadField));
    }

    #[test]
    fn fixed_width_fields_are_skipped() {
        let mut r = Reader::new(&[0x0d, 1, 2, 3, 4, 0x08, 0x01]);
        assert_eq!(r.next_field(), Ok(Some((1, Value::Fixed))));
        assert_eq!(r.next_field(), Ok(Some((1, Value::Varint(1)))));
    }
}
