//! A strict RFC 4180 CSV reader for the lists an operator loads (seed lists, user lists).
//!
//! Our own rather than the `csv` crate: that crate reads malformed quoting permissively
//! (`"abc"def` becomes `abcdef`, an unterminated quote silently swallows the rest of the file),
//! which for a list of secrets would hide exactly the damage an operator needs to see. Here:
//!
//! * fields are separated by `,`; records end at CRLF, LF or a lone CR; a final line break is
//!   optional; a leading byte-order mark is ignored;
//! * a field that starts with `"` is quoted: `""` inside it is one `"`, and it may span lines;
//!   text after its closing quote, a `"` inside an unquoted field, or a quote that never closes
//!   is an error naming the line;
//! * records whose fields are all blank (empty lines, `,,,,` left by spreadsheets) are skipped;
//! * line numbers count physical lines from 1, so they match what an editor shows.
//!
//! After a damaged record the reader resumes on the next line, so one pass lists every problem.
//! Fields are kept as written (no trimming); callers trim where a value allows it.

use core::fmt;

use zeroize::{Zeroize, Zeroizing};

/// One record: its fields and the line it starts on. The fields may hold secrets, so they are
/// wiped on drop and `Debug` shows only their number.
#[derive(Clone, PartialEq, Eq)]
pub struct CsvRecord {
    /// Physical line (from 1) where the record starts.
    pub line: usize,
    /// The fields, unquoted.
    pub fields: Zeroizing<Vec<String>>,
}

impl CsvRecord {
    /// Field `index`, or `""` when the record is shorter.
    pub fn field(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", String::as_str)
    }
}

impl fmt::Debug for CsvRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CsvRecord {{ line: {}, fields: <{} redacted> }}",
            self.line,
            self.fields.len()
        )
    }
}

/// A record that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvError {
    /// A quoted field opened on `line` never closes: every later line would be part of it.
    UnterminatedQuote {
        /// Line of the opening quote.
        line: usize,
    },
    /// Text follows a quoted field's closing quote (`"abc"def`).
    TextAfterQuote {
        /// The line.
        line: usize,
    },
    /// A `"` inside a field that does not start with one (`ab"c`).
    QuoteInsideField {
        /// The line.
        line: usize,
    },
}

impl CsvError {
    /// The line the problem is on.
    pub fn line(self) -> usize {
        match self {
            CsvError::UnterminatedQuote { line }
            | CsvError::TextAfterQuote { line }
            | CsvError::QuoteInsideField { line } => line,
        }
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::UnterminatedQuote { .. } => f.write_str(
                "a quoted field starts here but its closing quote is missing, so the rest of \
                 the file cannot be read. Add the missing \" (or remove the stray one).",
            ),
            CsvError::TextAfterQuote { .. } => f.write_str(
                "there is text after a quoted field's closing quote. Put the whole field in \
                 quotes, and write a quote inside it as two quotes (\"\").",
            ),
            CsvError::QuoteInsideField { .. } => f.write_str(
                "a field contains a quote (\") but does not start with one. Put the whole field \
                 in quotes and write the quote inside it as two quotes (\"\").",
            ),
        }
    }
}

/// Reads every record of `text`, in order. Damaged records come back as errors and reading goes
/// on with the next line, except after an unterminated quote, which ends the file.
pub fn read_csv(text: &str) -> Vec<Result<CsvRecord, CsvError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        text,
        pos: 0,
        line: 1,
    };
    let mut out = Vec::new();
    while reader.pos < text.len() {
        let start_line = reader.line;
        match reader.record() {
            Ok(fields) => {
                if fields.iter().any(|f| !f.trim().is_empty()) {
                    out.push(Ok(CsvRecord {
                        line: start_line,
                        fields,
                    }));
                }
            }
            Err(error @ CsvError::UnterminatedQuote { .. }) => {
                out.push(Err(error));
                break;
            }
            Err(error) => {
                out.push(Err(error));
                reader.skip_rest_of_line();
            }
        }
    }
    out
}

/// The canonical form of a header name for matching: lower case, without spaces, tabs,
/// underscores and hyphens, so `Serial Number`, `serial_number` and `serialNumber` all match.
pub fn header_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// One record, consuming its line break.
    fn record(&mut self) -> Result<Zeroizing<Vec<String>>, CsvError> {
        let mut fields = Zeroizing::new(Vec::new());
        loop {
            let field = if self.peek() == Some(b'"') {
                self.quoted_field()?
            } else {
                self.plain_field()?
            };
            fields.push(field);
            match self.peek() {
                Some(b',') => self.pos += 1,
                _ => {
                    self.line_break();
                    return Ok(fields);
                }
            }
        }
    }

    fn plain_field(&mut self) -> Result<String, CsvError> {
        let start = self.pos;
        while let Some(byte) = self.peek() {
            match byte {
                b',' | b'\r' | b'\n' => break,
                b'"' => return Err(CsvError::QuoteInsideField { line: self.line }),
                _ => self.pos += 1,
            }
        }
        Ok(self.text.get(start..self.pos).unwrap_or("").to_string())
    }

    fn quoted_field(&mut self) -> Result<String, CsvError> {
        let open_line = self.line;
        let bytes = self.text.as_bytes();
        let start = self.pos + 1;
        let mut at = start;
        let end = loop {
            match bytes.get(at) {
                None => return Err(CsvError::UnterminatedQuote { line: open_line }),
                Some(b'"') if bytes.get(at + 1) == Some(&b'"') => at += 2,
                Some(b'"') => break at,
                Some(b'\n') => {
                    self.line += 1;
                    at += 1;
                }
                Some(b'\r') => {
                    if bytes.get(at + 1) != Some(&b'\n') {
                        self.line += 1;
                    }
                    at += 1;
                }
                Some(_) => at += 1,
            }
        };
        let raw = self.text.get(start..end).unwrap_or("");
        // Sized once, so no partial copy of a secret is left behind by a reallocation.
        let mut field = String::with_capacity(raw.len());
        for (index, piece) in raw.split("\"\"").enumerate() {
            if index > 0 {
                field.push('"');
            }
            field.push_str(piece);
        }
        self.pos = end + 1;
        match self.peek() {
            None | Some(b',' | b'\r' | b'\n') => Ok(field),
            Some(_) => {
                field.zeroize();
                Err(CsvError::TextAfterQuote { line: self.line })
            }
        }
    }

    /// Consumes one CRLF, LF or CR, if there is one.
    fn line_break(&mut self) {
        match self.peek() {
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
                self.line += 1;
            }
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
            }
            _ => {}
        }
    }

    /// After a damaged record: skips to the start of the next line.
    fn skip_rest_of_line(&mut self) {
        while let Some(byte) = self.peek() {
            if byte == b'\r' || byte == b'\n' {
                self.line_break();
                return;
            }
            self.pos += 1;
        }
    }
}
