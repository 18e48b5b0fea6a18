//! PN53x frame codec and reader session (in progress).
