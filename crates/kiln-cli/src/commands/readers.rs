//! `kiln readers`: the PC/SC readers and what is on each.

use serde_json::{Value, json};

use kiln_pcsc::{CardKind, Pcsc};

use crate::exit::CliError;
use crate::output::Done;
use crate::pcsc_errors::{no_reader, pcsc_error};
use crate::reader_choice::contents;

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
                "card": r.card().map(card_json),
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
        let busy = if r.exclusive {
            " (in use by another program)"
        } else {
            ""
        };
        human.push_str(&format!("{}: {}{busy}\n", r.name, contents(r.card())));
    }
    human.truncate(human.trim_end().len());
    Ok(Done::success(json!({"readers": entries}), human))
}

/// The `card` field: what kind of card the ATR says it is.
fn card_json(card: CardKind) -> &'static str {
    match card {
        CardKind::Contactless => "contactless",
        CardKind::ContactlessMemory => "contactless_memory",
        CardKind::Other => "other",
    }
}
