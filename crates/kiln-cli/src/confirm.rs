//! Yes/no questions before anything is written.
//!
//! The answer is read from stdin, or from the terminal (`/dev/tty`) when stdin already carried
//! the secret. With no way to ask, kiln stops and says to use `--yes`: it never writes to a
//! token without an answer.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use crate::exit::CliError;

/// Asks `question` on stderr; `Ok(true)` only for "y" or "yes".
pub fn ask(question: &str, stdin_used: bool) -> Result<bool, CliError> {
    {
        let mut err = io::stderr().lock();
        let _ = write!(err, "{question} [y/N] ");
        let _ = err.flush();
    }
    let mut line = String::new();
    let read = if stdin_used {
        File::open("/dev/tty").and_then(|tty| BufReader::new(tty).read_line(&mut line))
    } else {
        io::stdin().lock().read_line(&mut line)
    };
    match read {
        Ok(0) | Err(_) => Err(CliError::usage(
            "no_answer",
            "kiln could not ask for confirmation (no input to read an answer from). Nothing \
             was written. Add --yes to go ahead without asking.",
        )),
        Ok(_) => {
            let answer = line.trim().to_ascii_lowercase();
            Ok(answer == "y" || answer == "yes")
        }
    }
}
