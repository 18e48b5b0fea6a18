//! `kiln readers`: the PC/SC readers and whether a card is on each.

use serde_json::{Value, json};

use kiln_pcsc::Pcsc;

use crate::exit::CliError;
use crate::output::Done;
use crate::pcsc_errors::{no_reader, pcsc_error};

/// Lists the readers. No reader at all is an error (exit 4) with advice.
pub fn run() -> Result<Done, CliError> {
    let readers = Pcsc::establish()
        .and_then(|pcsc| pcsc.readers())
        .map_err(|e| pcsc_error(e, None))?;
    let entries: Vec<Value> = readers
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "card_present": r.card_present,
                "in_use_exclusively": r.exclusive,
                "atr": (!r.atr.is_empty()).then(|| hex::encode_upper(&r.atr)),
            })
        })
        .collect();
    if readers.is_empty() {
        return Err(no_reader().with_fields(json!({"readers": entries})));
    }
    let mut human = String::new();
    for r in &readers {
        let state = match (r.card_present, r.exclusive) {
            (true, true) => "card present (in use by another program)",
            (true, false) => "card present",
            (false, _) => "no card",
        };
        human.push_str(&format!("{}: {state}\n", r.name));
    }
    human.truncate(human.trim_end().len());
    Ok(Done::success(json!({"readers": entries}), human))
}
