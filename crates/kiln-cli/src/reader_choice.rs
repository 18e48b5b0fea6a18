//! Which reader to use, from `--reader` or from where the token is.
//!
//! `--reader` matches a reader's full name exactly, or a unique part of it ignoring case (PC/SC
//! names are long: "ACS ACR122U PICC Interface 00 00"). Without it, kiln uses a reader only when
//! it is the one reader with a contactless (ISO 14443-4) card on it, so a help desk with one NFC
//! reader never needs the option, and a smart card in a laptop's contact slot is never taken for
//! the token. Otherwise it lists the readers with what is on each and asks for `--reader`:
//! exit 4 (`no_card`) when no reader has a contactless card (the fix is to put the token on the
//! reader), exit 2 (`several_cards`) when several have one (the fix is an option).

use kiln_pcsc::CardKind;

use crate::exit::CliError;
use crate::pcsc_errors::no_reader;

/// A reader's name and what is on it (`None`: nothing).
pub type Listed<'a> = (&'a str, Option<CardKind>);

/// The index in `readers` to use.
pub fn choose(readers: &[Listed], wanted: Option<&str>) -> Result<usize, CliError> {
    if readers.is_empty() {
        return Err(no_reader());
    }
    match wanted {
        Some(wanted) => by_name(readers, wanted),
        None => by_card(readers),
    }
}

fn by_name(readers: &[Listed], wanted: &str) -> Result<usize, CliError> {
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
                quoted(readers, |_| true)
            ),
        )),
        _ => Err(CliError::usage(
            "ambiguous_reader",
            format!(
                "Several readers match \"{wanted}\": {}. Give more of the name.",
                quoted(readers, |name| name.to_lowercase().contains(&lower))
            ),
        )),
    }
}

fn by_card(readers: &[Listed]) -> Result<usize, CliError> {
    let contactless: Vec<usize> = readers
        .iter()
        .enumerate()
        .filter(|(_, (_, card))| *card == Some(CardKind::Contactless))
        .map(|(i, _)| i)
        .collect();
    match contactless.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::device(
            "no_card",
            format!(
                "No token was found on any reader. Readers: {}. Switch the token on (hold its \
                 button until the display lights up), lay it flat on the NFC reader and try \
                 again. If it is on a reader already, name that reader with --reader NAME.",
                with_contents(readers)
            ),
        )),
        _ => Err(CliError::usage(
            "several_cards",
            format!(
                "Several readers have a contactless card on them. Readers: {}. Choose the \
                 token's reader with --reader NAME.",
                with_contents(readers)
            ),
        )),
    }
}

/// `"A" (empty), "B" (contactless card)`: every reader with what is on it.
fn with_contents(readers: &[Listed]) -> String {
    readers
        .iter()
        .map(|(name, card)| format!("\"{name}\" ({})", contents(*card)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What is on a reader, in a few words.
pub fn contents(card: Option<CardKind>) -> &'static str {
    match card {
        None => "empty",
        Some(CardKind::Contactless) => "contactless card",
        Some(CardKind::ContactlessMemory) => "contactless memory card, not a token",
        Some(CardKind::Other) => "contact or other card, not a token",
    }
}

/// `"A", "B"`: the names of the readers `keep` selects.
fn quoted(readers: &[Listed], keep: impl Fn(&str) -> bool) -> String {
    readers
        .iter()
        .filter(|(name, _)| keep(name))
        .map(|(name, _)| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: Option<CardKind> = Some(CardKind::Contactless);
    const CONTACT: Option<CardKind> = Some(CardKind::Other);
    const MIFARE: Option<CardKind> = Some(CardKind::ContactlessMemory);

    const TWO: [Listed; 2] = [
        ("ACS ACR122U PICC Interface 00 00", None),
        ("Alcor Micro AU9540 01 00", TOKEN),
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
        let readers = [("Reader 1 00", None), ("Reader 1", None)];
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
        let none = [("A", None), ("B", None)];
        assert_eq!(choose(&none, None).unwrap_err().code, "no_card");
        let both = [("A", TOKEN), ("B", TOKEN)];
        let e = choose(&both, None).unwrap_err();
        assert_eq!(e.code, "several_cards");
        assert!(
            e.message
                .contains("\"A\" (contactless card), \"B\" (contactless card)"),
            "{}",
            e.message
        );
        assert_eq!(choose(&[], None).unwrap_err().code, "no_reader");
    }

    #[test]
    fn the_only_reader_is_used_only_when_a_contactless_card_is_on_it() {
        assert_eq!(choose(&[("Only", TOKEN)], None).unwrap(), 0);
        for card in [None, CONTACT, MIFARE] {
            let e = choose(&[("Only", card)], None).unwrap_err();
            assert_eq!((e.code, e.exit.code()), ("no_card", 4), "{card:?}");
            let expected = format!("Readers: \"Only\" ({}).", contents(card));
            assert!(e.message.contains(&expected), "{}", e.message);
            assert!(e.message.contains("--reader NAME"), "{}", e.message);
        }
    }

    #[test]
    fn contact_and_memory_cards_do_not_count_when_one_reader_has_the_token() {
        let readers = [
            ("Laptop smart-card slot", CONTACT),
            ("ACR122U", MIFARE),
            ("ACR1252U PICC", TOKEN),
            ("Spare", None),
        ];
        assert_eq!(choose(&readers, None).unwrap(), 2);
    }

    #[test]
    fn several_contactless_cards_are_a_usage_error_that_lists_every_reader() {
        let readers = [("Slot", CONTACT), ("Left", TOKEN), ("Right", TOKEN)];
        let e = choose(&readers, None).unwrap_err();
        assert_eq!((e.code, e.exit.code()), ("several_cards", 2));
        assert!(
            e.message.contains(
                "\"Slot\" (contact or other card, not a token), \"Left\" (contactless card), \
                 \"Right\" (contactless card)"
            ),
            "{}",
            e.message
        );
        assert!(e.message.contains("--reader NAME"), "{}", e.message);
        // Naming a reader picks it, whatever is on it.
        assert_eq!(choose(&readers, Some("slot")).unwrap(), 0);
    }

    #[test]
    fn no_contactless_card_on_any_of_several_readers_lists_them_all() {
        let readers = [("Slot", CONTACT), ("NFC", MIFARE), ("Spare", None)];
        let e = choose(&readers, None).unwrap_err();
        assert_eq!((e.code, e.exit.code()), ("no_card", 4));
        assert!(
            e.message.contains(
                "Readers: \"Slot\" (contact or other card, not a token), \"NFC\" (contactless \
                 memory card, not a token), \"Spare\" (empty)."
            ),
            "{}",
            e.message
        );
    }
}
