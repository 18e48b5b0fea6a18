//! A token clock's offset from the clock it was compared with, in words: one wording for the
//! web app and the CLI.

/// Offsets up to this many seconds either way read as "in sync": reading the token's clock and
/// this device's clock each rounds to whole seconds, so a smaller difference is noise.
pub const IN_SYNC_WITHIN_SECONDS: u64 = 2;

/// Describes `offset` (token minus `reference`, in seconds): "in sync with this computer
/// (within 2 s)", "16 s behind this computer", "1 h 2 min 5 s ahead of this device".
/// `reference` names the clock compared with ("this computer", "this device").
pub fn describe_clock_offset(offset: i64, reference: &str) -> String {
    let total = offset.unsigned_abs();
    if total <= IN_SYNC_WITHIN_SECONDS {
        return format!("in sync with {reference} (within {IN_SYNC_WITHIN_SECONDS} s)");
    }
    let direction = if offset > 0 { "ahead of" } else { "behind" };
    format!("{} {direction} {reference}", duration_words(total))
}

/// A duration as people say it: "2 min 5 s", "1 h 2 min", "3 d 1 h".
pub(crate) fn duration_words(total: u64) -> String {
    let (days, rest) = (total / 86_400, total % 86_400);
    let (hours, rest) = (rest / 3_600, rest % 3_600);
    let (minutes, seconds) = (rest / 60, rest % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days} d"));
    }
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    // Past a day, minutes and seconds are noise for a person deciding what to do.
    if minutes > 0 && days == 0 {
        parts.push(format!("{minutes} min"));
    }
    if seconds > 0 && days == 0 && hours == 0 {
        parts.push(format!("{seconds} s"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::describe_clock_offset;

    #[test]
    fn small_offsets_are_in_sync() {
        for offset in [-2, -1, 0, 1, 2] {
            assert_eq!(
                describe_clock_offset(offset, "this computer"),
                "in sync with this computer (within 2 s)"
            );
        }
    }

    #[test]
    fn offsets_read_naturally() {
        assert_eq!(
            describe_clock_offset(-16, "this computer"),
            "16 s behind this computer"
        );
        assert_eq!(
            describe_clock_offset(125, "this device"),
            "2 min 5 s ahead of this device"
        );
        assert_eq!(
            describe_clock_offset(3_725, "this computer"),
            "1 h 2 min ahead of this computer"
        );
        assert_eq!(
            describe_clock_offset(-(3 * 86_400 + 3_725), "this device"),
            "3 d 1 h behind this device"
        );
        assert_eq!(
            describe_clock_offset(i64::MIN, "this device"),
            "106751991167300 d 15 h behind this device"
        );
    }
}
