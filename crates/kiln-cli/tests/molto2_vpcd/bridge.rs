//! A Molto2 through `kiln bridge`: recognised by its reader name, connected after GET INFO, a
//! profile burned by kiln-core's Molto2 session over the bridge's protocol, and the single-profile
//! commands refused.

use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_core::molto2::{
    CustomerKey, Digits, Outcome, ProfileNumber, ProfileSettings, Replace, Session, Title,
};
use kiln_core::session_runner::run_session;
use kiln_core::{Algorithm, Period, Secret};
use kiln_sim::molto2::SimMolto2;
use kiln_sim::molto2::crypto::totp;
use kiln_sim::totp::Hash;
use serde_json::json;

use super::bridge_support::{Bridge, LOCAL_PAGE, Page};
use super::{READER, Rig, SEED, SERIAL, now};

struct BridgeLink<'a>(&'a mut Page);

impl Link for BridgeLink<'_> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        let reply = self.0.transmit(apdu);
        if reply["type"] == "reply" {
            return Ok(hex::decode(reply["apdu"].as_str().unwrap()).unwrap());
        }
        Err(LinkError::NoReply(LinkFault::Reader(reply.to_string())))
    }
}

#[test]
fn a_molto2_profile_is_burned_through_the_bridge_and_token_commands_are_refused() {
    let rig = Rig::with(SimMolto2::new(SERIAL, now()));
    let bridge = Bridge::start(&[]);
    let mut page = bridge.paired_page();
    let reply = page.request(json!({"type": "connect", "reader": READER}));
    assert_eq!(reply["type"], "connected", "{reply}");
    assert_eq!(reply["kind"], "molto2");
    // The bridge's own GET INFO is the Molto2 form.
    assert_eq!(
        rig.device().received(),
        [vec![0x80, 0x41, 0x00, 0x00, 0x00]]
    );

    // The single-profile GET INFO and the undocumented screen lock are not Molto2 commands.
    for apdu in [
        &[0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11][..],
        &[0x80, 0xD8, 0x0C, 0x02, 0x00],
    ] {
        let reply = page.transmit(apdu);
        assert_eq!(reply["error"], "refused_command", "{reply}");
    }
    bridge.wait_for_stderr(&format!("refused command CLA=80 INS=D8 from {LOCAL_PAGE}"));
    assert_eq!(rig.device().received().len(), 1);

    rig.device().set_wall_time(now());
    let settings = ProfileSettings {
        algorithm: Algorithm::Sha256,
        period: Period::S60,
        digits: Digits::from_count(8).unwrap(),
        ..ProfileSettings::default()
    };
    let session = Session::burn(
        &CustomerKey::factory_default(),
        ProfileNumber::new(7).unwrap(),
        &Secret::from_slice(SEED),
        Title::new("Acme").unwrap(),
        settings,
        Replace::No,
    )
    .unwrap();
    let report = pollster::block_on(run_session(
        session,
        &mut BridgeLink(&mut page),
        &now,
        |_| {},
    ));
    assert_eq!(report.outcome(), Outcome::Success, "{report:?}");
    let device = rig.device();
    let t = now();
    assert_eq!(
        device.displayed_code(7, t).unwrap(),
        totp(SEED, Hash::Sha256, 60, 8, device.device_time_at(t))
    );
    assert_eq!(device.profile(7).unwrap().title, b"Acme");
    assert!(!bridge.all_output().contains("GEZDGNBV"));
}
