//! Human text or one JSON document: every command builds both, and this decides which is
//! printed and where.
//!
//! JSON goes to stdout, always exactly one document, errors included. Human output of a
//! successful command goes to stdout; failures, warnings, questions and progress go to stderr,
//! so `kiln … > file` keeps only results.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::exit::{CliError, Exit};

/// What a command produced when it ran to its end (which may still be a failed burn).
pub struct Done {
    /// The exit status.
    pub exit: Exit,
    /// The JSON document for `--json`.
    pub json: Value,
    /// The text for people.
    pub human: String,
}

impl Done {
    /// A successful result.
    pub fn success(json: Value, human: String) -> Done {
        Done {
            exit: Exit::Success,
            json,
            human,
        }
    }
}

/// Where output goes, chosen once from `--json`.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    json: bool,
}

impl Output {
    /// JSON mode when `json` is true.
    pub fn new(json: bool) -> Output {
        Output { json }
    }

    /// True in `--json` mode.
    pub fn is_json(self) -> bool {
        self.json
    }

    /// True when progress and questions reach a person (stderr is a terminal).
    pub fn stderr_is_terminal(self) -> bool {
        io::stderr().is_terminal()
    }

    /// Text for people only (what will be burned, warnings): stderr, and nothing in JSON mode.
    pub fn note(self, text: &str) {
        if !self.json {
            let mut err = io::stderr().lock();
            // Nothing sensible to do when stderr is closed.
            let _ = writeln!(err, "{text}");
        }
    }

    /// Prints the command's result and returns the process exit status.
    pub fn finish(self, result: Result<Done, CliError>) -> ExitCode {
        let (exit, json, human) = match result {
            Ok(done) => (done.exit, done.json, done.human),
            Err(error) => (error.exit, error_json(&error), error.message),
        };
        if self.json {
            print_stdout(&format!("{json:#}"));
        } else if exit == Exit::Success {
            print_stdout(&human);
        } else {
            let mut err = io::stderr().lock();
            let _ = writeln!(err, "{human}");
        }
        ExitCode::from(exit.code())
    }
}

/// `{"error": {"code", "message", "exit_status"}, …extra fields}`.
pub fn error_json(error: &CliError) -> Value {
    let mut doc = serde_json::Map::new();
    doc.extend(error.fields.clone());
    doc.insert(
        "error".to_string(),
        json!({
            "code": error.code,
            "message": error.message,
            "exit_status": error.exit.code(),
        }),
    );
    Value::Object(doc)
}

fn print_stdout(text: &str) {
    let mut out = io::stdout().lock();
    // A closed stdout (`kiln … | head -1`) is not worth a panic.
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}
