//! Writing CSV exactly as RFC 4180 describes it, quoting a field only when it needs it.

use zeroize::Zeroizing;

/// How lines end in a written CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    /// `\r\n`, as RFC 4180 specifies and Windows tools (Excel, the Entra admin center's own
    /// downloads) write.
    #[default]
    Crlf,
    /// `\n`.
    Lf,
}

impl LineEnding {
    /// The line break itself.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Crlf => "\r\n",
            LineEnding::Lf => "\n",
        }
    }
}

/// True when `field` must be quoted: it holds a separator, a quote or a line break, or starts
/// or ends with a space (which some readers would trim).
fn needs_quotes(field: &str) -> bool {
    field.contains([',', '"', '\r', '\n']) || field.starts_with(' ') || field.ends_with(' ')
}

/// Builds a CSV document. The text may hold secrets, so it is wiped when dropped.
pub(crate) struct CsvWriter {
    out: Zeroizing<String>,
    ending: LineEnding,
}

impl CsvWriter {
    /// An empty document; `capacity` should cover the whole output, so that growing the buffer
    /// never leaves a stale copy of a secret behind.
    pub(crate) fn new(ending: LineEnding, capacity: usize) -> CsvWriter {
        CsvWriter {
            out: Zeroizing::new(String::with_capacity(capacity)),
            ending,
        }
    }

    /// Appends one record and its line break.
    pub(crate) fn record(&mut self, fields: &[&str]) {
        for (index, field) in fields.iter().enumerate() {
            if index > 0 {
                self.out.push(',');
            }
            if needs_quotes(field) {
                self.out.push('"');
                for piece in field.split('"').enumerate() {
                    if piece.0 > 0 {
                        self.out.push_str("\"\"");
                    }
                    self.out.push_str(piece.1);
                }
                self.out.push('"');
            } else {
                self.out.push_str(field);
            }
        }
        self.out.push_str(self.ending.as_str());
    }

    /// The finished document.
    pub(crate) fn finish(self) -> Zeroizing<String> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fields_that_need_it_are_quoted() {
        let mut writer = CsvWriter::new(LineEnding::Lf, 64);
        writer.record(&["plain", "a,b", "say \"hi\"", "two\nlines", " pad", ""]);
        assert_eq!(
            writer.finish().as_str(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\",\n"
        );
    }
}
