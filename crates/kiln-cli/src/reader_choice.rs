//! Which reader to use, from `--reader` or from where the token is.
//!
//! `--reader` matches a reader's full name exactly, or a unique part of it ignoring case (PC/SC
//! names are long: "ACS ACR122U PICC Interface 00 00"). Without it, the one reader with a card
//! on it is used, so a help desk with one reader never needs the option.

use crate::exit::CliError;
use crate::pcsc_errors::no_reader;

/// The index in `readers` (name, card present) to use.
pub fn choose(readers: &[(&str, bool)], wanted: Option<&str>) -> Result<usize, CliError> {
    if readers.is_empty() {
        return Err(no_reader());
    }
    match wanted {
        Some(wanted) => by_name(readers, wanted),
        None => by_card(readers),
    }
}

fn by_name(readers: &[(&str, bool)], wanted: &str) -> Result<usize, CliError> {
    if let Some(exact) = readers.iter().position(|(name, _)| *name == wanted) {
        return Ok(exact);
    }
    let lower = wanted.to_lowercase();
    let matching: Vec<usize> = readers
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| name.to_lowercase().contains(&lower))
        .map(|(i, _)| i)
        .collect();
    match matching.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::usage(
            "unknown_reader",
            format!(
                "No reader is called \"{wanted}\". Readers: {}.",
                quoted(readers, |_, _| true)
            ),
        )),
        _ => Err(CliError::usage(
            "ambiguous_reader",
            format!(
                "Several readers match \"{wanted}\": {}. Give more of the name.",
                quoted(readers, |name, _| name.to_lowercase().contains(&lower))
            ),
        )),
    }
}

fn by_card(readers: &[(&str, bool)]) -> Result<usize, CliError> {
    let with_card: Vec<usize> = readers
        .iter()
        .enumerate()
        .filter(|(_, (_, present))| *present)
        .map(|(i, _)| i)
        .collect();
    match (with_card.as_slice(), readers.len()) {
        ([one], _) => Ok(*one),
        // A single reader: connecting to it reports "no token on this reader" by name.
        ([], 1) => Ok(0),
        ([], _) => Err(CliError::device(
            "no_card",
            format!(
                "No token was found on any reader ({}). Switch the token on (hold its button \
                 until the display lights up), lay it flat on the NFC reader and try again.",
                quoted(readers, |_, _| true)
            ),
        )),
        _ => Err(CliError::usage(
            "several_cards",
            format!(
                "Several readers have a card on them: {}. Choose one with --reader NAME.",
                quoted(readers, |_, present| present)
            ),
        )),
    }
}

/// `"A", "B"`: the names of the readers `keep` selects (by name and card presence).
fn quoted(readers: &[(&str, bool)], keep: impl Fn(&str, bool) -> bool) -> String {
    readers
        .iter()
        .filter(|(name, present)| keep(name, *present))
        .map(|(name, _)| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: [(&str, bool); 2] = [
        ("ACS ACR122U PICC Interface 00 00", false),
        ("Alcor Micro AU9540 01 00", true),
    ];

    #[test]
    fn without_reader_option_the_reader_with_the_card_is_used() {
        assert_eq!(choose(&TWO, None).unwrap(), 1);
    }

    #[test]
    fn a_unique_part_of_the_name_is_enough_and_case_does_not_matter() {
        assert_eq!(choose(&TWO, Some("acr122")).unwrap(), 0);
        assert_eq!(choose(&TWO, Some("Alcor Micro AU9540 01 00")).unwrap(), 1);
    }

    #[test]
    fn an_exact_name_wins_over_longer_names_containing_it() {
        let readers = [("Reader 1 00", false), ("Reader 1", false)];
        assert_eq!(choose(&readers, Some("Reader 1")).unwrap(), 1);
    }

    #[test]
    fn ambiguous_or_unknown_names_are_usage_errors_that_list_the_readers() {
        let e = choose(&TWO, Some("00")).unwrap_err();
        assert_eq!(e.code, "ambiguous_reader");
        assert!(
            e.message.contains("ACR122U") && e.message.contains("AU9540"),
            "{}",
            e.message
        );
        let e = choose(&TWO, Some("omnikey")).unwrap_err();
        assert_eq!(e.code, "unknown_reader");
        assert!(e.message.contains("ACR122U"), "{}", e.message);
    }

    #[test]
    fn no_card_anywhere_or_cards_on_several_readers_are_explained() {
        let none = [("A", false), ("B", false)];
        assert_eq!(choose(&none, None).unwrap_err().code, "no_card");
        let both = [("A", true), ("B", true)];
        let e = choose(&both, None).unwrap_err();
        assert_eq!(e.code, "several_cards");
        assert!(e.message.contains("\"A\", \"B\""), "{}", e.message);
        assert_eq!(choose(&[("Only", false)], None).unwrap(), 0);
        assert_eq!(choose(&[], None).unwrap_err().code, "no_reader");
    }
}
