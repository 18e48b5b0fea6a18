//! What `kiln batch` tells the operator as it goes: with `--json`, one JSON object per line on
//! stdout (`{"event": "burned", …}`); otherwise a line of text per event on stderr and the
//! final summary on stdout. No event ever holds a seed.

use std::io::{self, Write};
use std::process::ExitCode;

use serde_json::{Map, Value, json};

use crate::exit::{CliError, Exit};

/// The batch's event stream.
#[derive(Debug, Clone, Copy)]
pub struct Events {
    json: bool,
}

impl Events {
    /// JSON lines when `json` is true.
    pub fn new(json: bool) -> Events {
        Events { json }
    }

    /// True in `--json` mode.
    pub fn is_json(self) -> bool {
        self.json
    }

    /// One event: `fields` (an object) with `"event": name`, or `human` on stderr.
    pub fn emit(self, name: &str, fields: Value, human: &str) {
        if self.json {
            print_line(&mut io::stdout().lock(), &event(name, fields));
        } else if !human.is_empty() {
            print_line(&mut io::stderr().lock(), human);
        }
    }

    /// The last event of a batch that ran: `done` with `fields`, or `human` on stdout.
    pub fn done(self, exit: Exit, fields: Value, human: &str) -> ExitCode {
        let mut fields = fields;
        if let Value::Object(map) = &mut fields {
            map.insert("exit_status".to_string(), json!(exit.code()));
        }
        if self.json {
            print_line(&mut io::stdout().lock(), &event("done", fields));
        } else {
            print_line(&mut io::stdout().lock(), human);
        }
        ExitCode::from(exit.code())
    }

    /// A batch that stopped before burning anything (or could not go on): an `error` event.
    pub fn fail(self, error: &CliError) -> ExitCode {
        if self.json {
            let mut fields = Map::new();
            fields.extend(error.fields.clone());
            fields.insert("code".to_string(), json!(error.code));
            fields.insert("message".to_string(), json!(error.message));
            fields.insert("exit_status".to_string(), json!(error.exit.code()));
            print_line(
                &mut io::stdout().lock(),
                &event("error", Value::Object(fields)),
            );
        } else {
            print_line(&mut io::stderr().lock(), &error.message);
        }
        ExitCode::from(error.exit.code())
    }
}

fn event(name: &str, fields: Value) -> String {
    let mut map = Map::new();
    map.insert("event".to_string(), json!(name));
    if let Value::Object(fields) = fields {
        map.extend(fields);
    }
    Value::Object(map).to_string()
}

fn print_line(out: &mut impl Write, text: &str) {
    // A closed pipe is no reason to stop a batch: the files are what matters.
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}
