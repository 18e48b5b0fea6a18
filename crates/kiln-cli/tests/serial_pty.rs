//! `kiln --serial-port` against the simulated PN532 board through a pseudo-terminal pair: the
//! real binary opens the pty's slave side as its serial port (as it would a USB-serial
//! adapter), and this test serves kiln-sim's board on the master side. The token's state and
//! displayed code are checked on the simulator.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use kiln_sim::pn532::SimPn532;
use kiln_sim::token::SimToken;
use kiln_sim::{SimIn, SimSerialDevice};
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use support::kiln;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A pty whose master side is served by `board` until [`Served::stop`].
struct Served<B> {
    path: String,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<B>,
}

/// What sits on the master side.
trait Line: Send + 'static {
    fn receive(&mut self, bytes: &[u8]);
    fn send(&mut self) -> Option<Vec<u8>>;
}

impl Line for SimPn532<SimToken> {
    fn receive(&mut self, bytes: &[u8]) {
        self.card_mut().set_wall_time(now());
        let _ = self.write(bytes);
    }
    fn send(&mut self) -> Option<Vec<u8>> {
        match self.read() {
            SimIn::Data(bytes) => Some(bytes),
            _ => None,
        }
    }
}

/// A serial device that takes every byte and never answers.
struct Silent;

impl Line for Silent {
    fn receive(&mut self, _: &[u8]) {}
    fn send(&mut self) -> Option<Vec<u8>> {
        None
    }
}

fn serve<B: Line>(mut board: B) -> Served<B> {
    let master: OwnedFd = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let path = ptsname(&master, Vec::new()).unwrap().into_string().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let thread = std::thread::spawn(move || {
        let mut buffer = [0u8; 512];
        let tick = Timespec {
            tv_sec: 0,
            tv_nsec: 5_000_000,
        };
        while !stopping.load(Ordering::Relaxed) {
            let mut fds = [PollFd::new(&master, PollFlags::IN)];
            if poll(&mut fds, Some(&tick)).unwrap_or(0) > 0
                && fds[0].revents().contains(PollFlags::IN)
            {
                // EIO while no one has the slave open: nothing to read.
                if let Ok(n) = rustix::io::read(&master, &mut buffer)
                    && n > 0
                {
                    board.receive(&buffer[..n]);
                }
            } else if fds[0].revents().contains(PollFlags::HUP) {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            while let Some(bytes) = board.send() {
                let _ = rustix::io::write(&master, &bytes);
            }
        }
        board
    });
    Served { path, stop, thread }
}

impl<B> Served<B> {
    fn stop(self) -> B {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}

fn board(serial: &str) -> SimPn532<SimToken> {
    SimPn532::new(SimToken::new(serial, now()).with_clock_offset(-300))
}

#[test]
fn info_reads_the_token_on_a_pn532_board_through_a_serial_port() {
    let served = serve(board("8659622000123"));
    let run = kiln(&["--json", "--serial-port", &served.path, "info"], None);
    let board = served.stop();
    assert_eq!(run.status, 0, "{}", run.all_output());
    let json = run.json();
    assert_eq!(json["serial"], "8659622000123");
    assert_eq!(json["restricted_sync"], true);
    assert!(
        json["reader"]
            .as_str()
            .unwrap()
            .starts_with("PN532 v1.6 on /dev/pts/"),
        "{json}"
    );
    let offset = json["offset_seconds"].as_i64().unwrap();
    assert!((-302..=-298).contains(&offset), "{offset}");
    // Wake-up and SAMConfiguration first, then the PN533 connect, GET INFO, nothing written.
    assert_eq!(
        board.command_codes()[..6],
        [0x14, 0x02, 0x12, 0x32, 0x32, 0x4A]
    );
    assert!(board.normal_mode());
    assert_eq!(board.card().seed(), None);
}

#[test]
fn burn_through_the_serial_port_puts_the_seed_on_the_token_and_it_shows_the_codes() {
    let served = serve(board("8659632000001"));
    // RFC 6238's SHA-1 key "12345678901234567890" in Base32.
    let run = kiln(
        &[
            "burn",
            "--json",
            "--secret",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "--yes",
            "--serial-port",
            &served.path,
        ],
        None,
    );
    let board = served.stop();
    assert_eq!(run.status, 0, "{}", run.all_output());
    let json = run.json();
    let token = board.card();
    assert_eq!(token.seed(), Some(&b"12345678901234567890"[..]));
    // The simulator's own TOTP (written from RFC 6238) shows what kiln said is current.
    let shown_at = json["codes"]["time"].as_u64().unwrap();
    assert_eq!(
        token.displayed_code(shown_at).unwrap(),
        json["codes"]["current"].as_str().unwrap()
    );
    // RFC 6238 appendix B: at T = 59 the SHA-1 code is 94287082, six digits shown.
    let at_59 = (59 - token.clock_offset()) as u64;
    assert_eq!(token.displayed_code(at_59).unwrap(), "287082");
}

#[test]
fn a_serial_device_that_is_not_a_pn532_is_named_as_such() {
    let served = serve(Silent);
    let run = kiln(&["--json", "--serial-port", &served.path, "info"], None);
    served.stop();
    assert_eq!(run.status, 4, "{}", run.all_output());
    let json = run.json();
    assert_eq!(json["error"]["code"], "not_a_pn532", "{json}");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a PN532 board in HSU mode"),
        "{json}"
    );
}

#[test]
fn a_missing_port_and_reader_with_serial_port_are_plain_errors() {
    let run = kiln(
        &["--json", "--serial-port", "/dev/kiln-no-such-port", "info"],
        None,
    );
    assert_eq!(run.status, 4, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "serial_port_missing");
    let run = kiln(
        &[
            "--json",
            "--serial-port",
            "/dev/null",
            "info",
            "--reader",
            "ACR",
        ],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
}
