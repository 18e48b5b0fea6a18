//! CCID message codec and reader session (in progress).
