//! What the bridge prints. Standard output: the address, the allowed origins, pairing codes and
//! one line per pairing, connection and release. Standard error: refusals. APDUs only with
//! `--debug`, and then a seed or key write shows its header and length, never its body.
//! Nothing here ever receives a seed in clear: the bridge never has one.

use std::io::Write;

use kiln_core::command_filter::Allowed;

/// Prints one line on standard output (the bridge's event log).
pub fn event(line: &str) {
    let mut out = std::io::stdout().lock();
    // A closed terminal must not stop the bridge.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Prints one line on standard error (refusals and failures).
pub fn refusal(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// A command APDU for the debug log: hex, with the body of a seed or key write replaced by
/// `**` (header and length stay, so the log still shows which command went where).
pub fn command_for_debug(apdu: &[u8], allowed: Allowed) -> String {
    if allowed.body_is_secret() {
        let header = apdu.get(..5).unwrap_or(apdu);
        return format!(
            "{} ** ({} bytes hidden)",
            hex::encode_upper(header),
            apdu.len().saturating_sub(5)
        );
    }
    hex::encode_upper(apdu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_and_key_writes_show_only_their_header() {
        let mut write_seed = vec![0x84, 0xC5, 0x01, 0x00, 0x18];
        write_seed.extend([0xAB; 0x18]);
        let shown = command_for_debug(&write_seed, Allowed::WriteSeed);
        assert_eq!(shown, "84C5010018 ** (24 bytes hidden)");
        assert!(!shown.contains("AB"));
        assert_eq!(
            command_for_debug(
                &[0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11],
                Allowed::GetInfo
            ),
            "80410000020211"
        );
    }
}
