//! Which kind of token an account is judged for. Most rules are the same for every Token2
//! token; the code length is not: a single-profile token has a 6-digit display, a Molto2 shows
//! 4, 6, 8 or 10 digits. So an 8-digit account is burnable on a Molto2 and refused, with the
//! digits reason, for a single-profile token.

/// The token an input is classified for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Target {
    /// The single-profile tokens (OTPC, miniOTP, C301/C302 -i): 6-digit codes only. The default, and
    /// what [`classify`](super::classify) judges for.
    #[default]
    SingleProfile,
    /// A Molto2 or Molto2v2 multi-profile token: 4, 6, 8 or 10 digits.
    Molto2,
}

impl Target {
    /// The code lengths this token can show, shortest first.
    pub fn digit_counts(self) -> &'static [u8] {
        match self {
            Target::SingleProfile => &[6],
            Target::Molto2 => &[4, 6, 8, 10],
        }
    }

    /// True when this token can show codes of `digits` digits.
    pub fn shows_digits(self, digits: u64) -> bool {
        self.digit_counts()
            .iter()
            .any(|&count| u64::from(count) == digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_molto2_shows_other_lengths_than_six() {
        let shown =
            |target: Target| -> Vec<u64> { (0..=12).filter(|&n| target.shows_digits(n)).collect() };
        assert_eq!(shown(Target::SingleProfile), [6]);
        assert_eq!(shown(Target::Molto2), [4, 6, 8, 10]);
        assert!(!Target::Molto2.shows_digits(u64::from(u8::MAX) + 8));
        assert_eq!(Target::default(), Target::SingleProfile);
    }
}
