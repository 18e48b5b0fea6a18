//! A virtual card for vsmartcard's `vpcd` reader driver, so the real PC/SC stack (pcscd) can
//! talk to a simulated token.
//!
//! `vpcd` is a pcsc-lite reader driver that listens on TCP (port 35963 for its first slot). The
//! virtual card ("vicc") connects to it; the card is "in the reader" for as long as the
//! connection is open. Every message in either direction is a 2-byte big-endian length followed
//! by the payload. From the reader, a 1-byte payload is a control message — `00` power off,
//! `01` power on, `02` reset (no answer to any of these) and `04` get ATR (answered with the
//! ATR) — and anything else is a command APDU, answered with the response APDU.
//!
//! [`VirtualCard`] runs that protocol in a thread around any [`Card`] shared with the test as
//! `Arc<Mutex<_>>`, so the test can inject faults and look at the card while pcscd uses it.
//! When the card leaves the field ([`CardReply::Removed`], or [`Card::present`] turns false)
//! the connection is closed, which pcscd sees as a card removal; when it is present again a new
//! connection is made. vpcd has no reply timeout, so a mute card ([`CardReply::Mute`]) is also
//! shown as a removal rather than as a silence that would hang pcscd.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::card::{Card, CardReply};
use crate::ccid::atr;

/// The TCP port vpcd listens on for its first slot (`Virtual PCD 00 00`).
pub const DEFAULT_PORT: u16 = 35963;

/// How often the card thread wakes up to notice a removal or a stop request.
const POLL: Duration = Duration::from_millis(20);

/// A message from vpcd to the virtual card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// `00`: the reader switched the card off.
    PowerOff,
    /// `01`: the reader switched the card on.
    PowerOn,
    /// `02`: the reader reset the card.
    Reset,
    /// `04`: the reader asks for the ATR.
    GetAtr,
    /// Any other 1-byte payload (ignored, as vsmartcard's own cards do).
    UnknownControl(u8),
    /// A command APDU.
    Apdu(Vec<u8>),
}

impl Message {
    /// Interprets one payload (the bytes after the length prefix).
    pub fn parse(payload: &[u8]) -> Message {
        match payload {
            [0x00] => Message::PowerOff,
            [0x01] => Message::PowerOn,
            [0x02] => Message::Reset,
            [0x04] => Message::GetAtr,
            [other] => Message::UnknownControl(*other),
            apdu => Message::Apdu(apdu.to_vec()),
        }
    }
}

/// Prefixes `payload` with its 2-byte big-endian length. `None` when it is longer than 65535
/// bytes, which the framing cannot carry.
pub fn frame(payload: &[u8]) -> Option<Vec<u8>> {
    let len = u16::try_from(payload.len()).ok()?;
    let mut out = Vec::with_capacity(payload.len() + 2);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    Some(out)
}

/// Takes every complete message off the front of `buffer`, leaving a partial one in place.
pub fn take_messages(buffer: &mut Vec<u8>) -> Vec<Message> {
    let mut messages = Vec::new();
    let mut start = 0;
    while let (Some(&hi), Some(&lo)) = (buffer.get(start), buffer.get(start + 1)) {
        let len = usize::from(u16::from_be_bytes([hi, lo]));
        let Some(payload) = buffer.get(start + 2..start + 2 + len) else {
            break;
        };
        messages.push(Message::parse(payload));
        start += 2 + len;
    }
    buffer.drain(..start);
    messages
}

/// What the card thread has seen, for tests that wait for pcscd.
#[derive(Debug, Default)]
struct Counters {
    connections: AtomicUsize,
    atr_requests: AtomicUsize,
    apdus: AtomicUsize,
}

/// A simulated card inserted into vpcd's reader, served from a background thread.
///
/// Dropping it (or calling [`VirtualCard::stop`]) closes the connection: the card leaves the
/// reader.
pub struct VirtualCard {
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
    thread: Option<JoinHandle<()>>,
}

impl VirtualCard {
    /// Connects `card` to vpcd at `addr` (usually `127.0.0.1:35963`) and serves it until
    /// stopped. Fails when nothing listens there, i.e. pcscd with the vpcd driver is not running.
    pub fn insert<C, A>(card: Arc<Mutex<C>>, addr: A) -> io::Result<VirtualCard>
    where
        C: Card + Send + 'static,
        A: ToSocketAddrs,
    {
        let addr = addr.to_socket_addrs()?.next().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "no address to connect to")
        })?;
        let first = connect(addr)?;
        let stop = Arc::new(AtomicBool::new(false));
        let counters = Arc::new(Counters::default());
        counters.connections.fetch_add(1, Ordering::SeqCst);
        let worker = Worker {
            card,
            addr,
            stop: Arc::clone(&stop),
            counters: Arc::clone(&counters),
        };
        let thread = thread::Builder::new()
            .name("vpcd-card".to_string())
            .spawn(move || worker.run(Some(first)))?;
        Ok(VirtualCard {
            stop,
            counters,
            thread: Some(thread),
        })
    }

    /// How many times the card connected to vpcd (1, plus one per reinsertion).
    pub fn connections(&self) -> usize {
        self.counters.connections.load(Ordering::SeqCst)
    }

    /// How many times the reader asked for the ATR (pcscd does when it notices the card).
    pub fn atr_requests(&self) -> usize {
        self.counters.atr_requests.load(Ordering::SeqCst)
    }

    /// How many APDUs the card received through vpcd.
    pub fn apdus(&self) -> usize {
        self.counters.apdus.load(Ordering::SeqCst)
    }

    /// Takes the card out of the reader for good and waits for the thread to end.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            // A panic in the card thread has already been reported on stderr.
            let _ = thread.join();
        }
    }
}

impl Drop for VirtualCard {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(POLL))?;
    Ok(stream)
}

struct Worker<C> {
    card: Arc<Mutex<C>>,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
}

impl<C: Card> Worker<C> {
    fn lock(&self) -> MutexGuard<'_, C> {
        // A test that panicked while holding the card must not wedge the reader thread.
        self.card.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn run(self, mut connection: Option<TcpStream>) {
        while !self.stop.load(Ordering::SeqCst) {
            match connection.take() {
                Some(stream) => {
                    // Serve until the card leaves, vpcd hangs up, or the test stops us; dropping
                    // the stream closes the connection.
                    self.serve(stream);
                }
                None if self.lock().present() => match connect(self.addr) {
                    Ok(stream) => {
                        self.counters.connections.fetch_add(1, Ordering::SeqCst);
                        connection = Some(stream);
                    }
                    Err(_) => thread::sleep(POLL),
                },
                None => thread::sleep(POLL),
            }
        }
    }

    /// Answers vpcd on one connection; returns when the connection should close.
    fn serve(&self, mut stream: TcpStream) {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 512];
        loop {
            if self.stop.load(Ordering::SeqCst) || !self.lock().present() {
                return;
            }
            match stream.read(&mut chunk) {
                Ok(0) => return, // vpcd closed the connection
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return,
            }
            for message in take_messages(&mut buffer) {
                let Some(answer) = self.answer(message) else {
                    return; // the card left the field: hang up
                };
                let Some(framed) = answer.as_deref().and_then(frame) else {
                    continue; // control messages other than GET ATR get no answer
                };
                if stream.write_all(&framed).is_err() {
                    return;
                }
            }
        }
    }

    /// `Some(Some(bytes))` to answer, `Some(None)` for no answer, `None` to hang up.
    fn answer(&self, message: Message) -> Option<Option<Vec<u8>>> {
        match message {
            Message::GetAtr => {
                self.counters.atr_requests.fetch_add(1, Ordering::SeqCst);
                Some(Some(atr::iso14443_4(&self.lock().ats())))
            }
            Message::PowerOff | Message::PowerOn | Message::Reset | Message::UnknownControl(_) => {
                Some(None)
            }
            Message::Apdu(apdu) => {
                self.counters.apdus.fetch_add(1, Ordering::SeqCst);
                match self.lock().transmit(&apdu) {
                    CardReply::Reply(bytes) => Some(Some(bytes)),
                    CardReply::Mute | CardReply::Removed => None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_carry_a_big_endian_length() {
        assert_eq!(frame(&[0x04]).unwrap(), vec![0x00, 0x01, 0x04]);
        let long = vec![0xAA; 300];
        let framed = frame(&long).unwrap();
        assert_eq!(&framed[..2], &[0x01, 0x2C]);
        assert!(frame(&vec![0; 70_000]).is_none());
    }

    #[test]
    fn messages_are_split_across_and_within_reads() {
        let mut buffer = vec![0x00, 0x01, 0x01, 0x00, 0x01, 0x04, 0x00, 0x07, 0x80, 0x41];
        assert_eq!(
            take_messages(&mut buffer),
            vec![Message::PowerOn, Message::GetAtr]
        );
        assert_eq!(buffer, vec![0x00, 0x07, 0x80, 0x41]);
        buffer.extend_from_slice(&[0x00, 0x00, 0x02, 0x02, 0x11]);
        assert_eq!(
            take_messages(&mut buffer),
            vec![Message::Apdu(vec![
                0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11
            ])]
        );
        assert!(buffer.is_empty());
    }

    #[test]
    fn control_bytes_follow_the_vpcd_protocol() {
        assert_eq!(Message::parse(&[0x00]), Message::PowerOff);
        assert_eq!(Message::parse(&[0x02]), Message::Reset);
        assert_eq!(Message::parse(&[0x03]), Message::UnknownControl(3));
    }

    #[test]
    fn an_ats_without_historical_bytes_gives_the_pc_sc_part_3_atr() {
        // TL=05, T0=78 (TA, TB, TC present), no historical bytes: 3B 80 80 01 01.
        assert_eq!(
            atr::iso14443_4(&[0x05, 0x78, 0x80, 0x70, 0x02]),
            vec![0x3B, 0x80, 0x80, 0x01, 0x01]
        );
    }

    #[test]
    fn historical_bytes_of_the_ats_go_into_the_atr() {
        // TL=07, T0=70 (TA, TB, TC) + 2 historical bytes C1 05.
        // TCK = 82 ^ 80 ^ 01 ^ C1 ^ 05 = C7.
        assert_eq!(
            atr::iso14443_4(&[0x07, 0x70, 0x80, 0x70, 0x02, 0xC1, 0x05]),
            vec![0x3B, 0x82, 0x80, 0x01, 0xC1, 0x05, 0xC7]
        );
    }
}
