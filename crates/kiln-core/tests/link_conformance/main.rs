//! The `Link` conformance suite: every test in [`suite`] runs against every simulated reader in
//! [`readers`] (PN533, CCID, PN532), so all links keep the same promises: the token's reply comes back
//! whole, a failure says truthfully whether the APDU may have reached the token
//! (`NotSent`/`NoReply`), and the reader is left idle and reusable. What only one reader has
//! (NACK, MI chaining, `bSeq`, time extensions…) is tested in `link_pn533_sim.rs` and
//! `link_ccid_sim.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

#[path = "../support/mod.rs"]
mod support;

mod readers;
mod suite;

/// Runs every shared test against `$reader`, in a module named `$name`.
macro_rules! conformance {
    ($name:ident, $reader:ty) => {
        mod $name {
            use crate::suite;
            type R = $reader;

            #[test]
            fn connect_exposes_the_tokens_historical_bytes() {
                suite::connect_exposes_the_tokens_historical_bytes::<R>();
            }
            #[test]
            fn transmit_returns_the_token_reply() {
                suite::transmit_returns_the_token_reply::<R>();
            }
            #[test]
            fn no_token_on_the_reader_is_not_sent_and_leaves_it_idle() {
                suite::no_token_on_the_reader_is_not_sent_and_leaves_it_idle::<R>();
            }
            #[test]
            fn a_mifare_classic_is_not_a_token_and_leaves_the_reader_idle() {
                suite::a_mifare_classic_is_not_a_token_and_leaves_the_reader_idle::<R>();
            }
            #[test]
            fn mute_token_is_no_reply_token_mute_and_the_next_apdu_works() {
                suite::mute_token_is_no_reply_token_mute_and_the_next_apdu_works::<R>();
            }
            #[test]
            fn token_leaving_during_the_exchange_is_no_reply_token_removed() {
                suite::token_leaving_during_the_exchange_is_no_reply_token_removed::<R>();
            }
            #[test]
            fn token_gone_before_the_exchange_is_reported_as_removed() {
                suite::token_gone_before_the_exchange_is_reported_as_removed::<R>();
            }
            #[test]
            fn unplugged_reader_means_not_sent() {
                suite::unplugged_reader_means_not_sent::<R>();
            }
            #[test]
            fn unplug_after_the_command_means_no_reply() {
                suite::unplug_after_the_command_means_no_reply::<R>();
            }
            #[test]
            fn stalled_reply_is_no_reply_and_no_later_command_gets_the_late_answer() {
                suite::stalled_reply_is_no_reply_and_no_later_command_gets_the_late_answer::<R>();
            }
            #[test]
            fn close_leaves_the_reader_idle_and_gives_the_pipe_back() {
                suite::close_leaves_the_reader_idle_and_gives_the_pipe_back::<R>();
            }
            #[test]
            fn a_failed_connect_through_a_borrowed_pipe_leaves_the_pipe_with_the_caller() {
                suite::a_failed_connect_through_a_borrowed_pipe_leaves_the_pipe_with_the_caller::<R>();
            }
            #[test]
            fn every_apdu_up_to_the_reader_limit_comes_back_whole_once() {
                suite::every_apdu_up_to_the_reader_limit_comes_back_whole_once::<R>();
            }
        }
    };
}

conformance!(pn533, crate::readers::Pn533);
conformance!(ccid, crate::readers::Ccid);
conformance!(pn532, crate::readers::Pn532);

/// The token identifies itself by its historical bytes: every reader must report the same ones.
#[test]
fn every_reader_sees_the_same_historical_bytes() {
    use readers::{Ccid, Pn532, Pn533};
    let (pn533, _) = suite::connected::<Pn533>(support::TestCard::echo());
    let (ccid, _) = suite::connected::<Ccid>(support::TestCard::echo());
    let (pn532, _) = suite::connected::<Pn532>(support::TestCard::echo());
    assert_eq!(
        <Ccid as readers::SimReader>::historical_bytes(&ccid),
        <Pn533 as readers::SimReader>::historical_bytes(&pn533)
    );
    assert_eq!(
        <Pn532 as readers::SimReader>::historical_bytes(&pn532),
        <Pn533 as readers::SimReader>::historical_bytes(&pn533)
    );
}
