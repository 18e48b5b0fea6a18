//! Loading seed lists and user lists: every line checked with the wizard's classifier, every
//! problem listed with its line before anything is burned.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::fleet::{
    CsvError, ListProblem, ProblemReason, SeedList, SeedListFormat, ShortUserList, UserList,
    detect_format,
};
use kiln_core::{Algorithm, Period, Secret};

fn problems(
    result: Result<SeedList, kiln_core::fleet::ListRefused>,
) -> Vec<(usize, ProblemReason)> {
    result
        .unwrap_err()
        .problems
        .into_iter()
        .map(|ListProblem { line, reason }| (line, reason))
        .collect()
}

fn secret_advice(line: usize, advice_contains: &str, found: &(usize, ProblemReason)) {
    assert_eq!(found.0, line);
    match &found.1 {
        ProblemReason::Secret { advice } => {
            assert!(advice.contains(advice_contains), "line {line}: {advice}")
        }
        other => panic!("line {line}: expected a secret problem, got {other:?}"),
    }
}

#[test]
fn an_entra_csv_is_read_whatever_its_header_spelling() {
    let text = "\u{feff}UPN, Serial Number ,Secret_Key,TIME INTERVAL,Manufacturer,Model\r\n\
                helga@contoso.com,8659622000123,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,30,Token2,OTPC-P2-i\r\n\
                \r\n\
                ,8659600000456,\"gezd gnbv gy3t qojq\",60,Token2,miniOTP-2-i\r\n\
                ,,MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK,30,,\r\n";
    assert_eq!(detect_format(text), SeedListFormat::EntraCsv);
    let list = SeedList::parse(text).unwrap();
    let rows = list.rows();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].upn.as_deref(), Some("helga@contoso.com"));
    assert_eq!(rows[0].serial.as_deref(), Some("8659622000123"));
    assert_eq!(
        rows[0].account.secret,
        Secret::from_slice(b"12345678901234567890")
    );
    assert_eq!(rows[0].account.algorithm, Algorithm::Sha1);
    assert_eq!(rows[0].account.period, Period::S30);
    // Lower case and grouped Base32 is read the way the wizard reads it.
    assert_eq!((rows[1].line, rows[1].upn.clone()), (4, None));
    assert_eq!(rows[1].account.secret, Secret::from_slice(b"1234567890"));
    assert_eq!(rows[1].account.period, Period::S60);
    // No serial: any token may take the row.
    assert_eq!((rows[2].line, rows[2].serial.clone()), (5, None));
}

#[test]
fn microsofts_own_sample_is_refused_only_for_its_serial() {
    let text = "upn,serial number,secret key,time interval,manufacturer,model\n\
                Helga@contoso.com,1234567,2234567abcdef2234567abcdef,60,Contoso,HardwareKey\n";
    let found = problems(SeedList::parse(text));
    assert_eq!(
        found,
        vec![(
            2,
            ProblemReason::UnsupportedSerial {
                serial: "1234567".into()
            }
        )]
    );
}

#[test]
fn every_bad_entra_row_is_listed_with_its_line_and_reason() {
    let text = "upn,serial number,secret key,time interval,manufacturer,model\n\
                a@contoso.com,8659622000001,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,45,Token2,x\n\
                b@contoso.com,8659622000002,GEZDGNBVGY3TQOJQ1EZDGNBV,30,Token2,x\n\
                c@contoso.com,8659622000003,GEZDGNBV,30,Token2,x\n\
                not a user,8659699000004,MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK,30,Token2,x\n\
                e@contoso.com,8659622000005,\"MZXW6YTB\"OI,30,Token2,x\n\
                f@contoso.com,8659622000001,IFBEGRCFIZDUQSKKJNGE2TSPKBIVEU2U,30,Token2,x\n\
                g@contoso.com,8659622000007,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,60,Token2,x\n\
                h@contoso.com,8659622000008,,30,Token2,x\n\
                i@contoso.com,8659622000009,KRSXG5CUMVZXIVDFON2FIZLTOQ,30,Token2,x,extra\n";
    let found = problems(SeedList::parse(text));
    assert_eq!(found.len(), 10, "{found:#?}");
    assert_eq!(
        found[0],
        (2, ProblemReason::BadInterval { value: "45".into() })
    );
    // The position counts from the cell's first character (the 17th is the `1`).
    secret_advice(3, "'1' at character 17", &found[1]);
    secret_advice(4, "only 5 bytes long", &found[2]);
    assert_eq!(
        found[3],
        (
            5,
            ProblemReason::BadUser {
                value: "not a user".into()
            }
        )
    );
    assert_eq!(
        found[4],
        (
            5,
            ProblemReason::UnsupportedSerial {
                serial: "8659699000004".into()
            }
        )
    );
    assert_eq!(
        found[5],
        (6, ProblemReason::Csv(CsvError::TextAfterQuote { line: 6 }))
    );
    assert_eq!(
        found[6],
        (
            7,
            ProblemReason::DuplicateSerial {
                serial: "8659622000001".into(),
                first_line: 2
            }
        )
    );
    // Line 2 was refused for its interval, but its secret still counts for duplicates.
    assert_eq!(
        found[7],
        (8, ProblemReason::DuplicateSecret { first_line: 2 })
    );
    assert_eq!(found[8], (9, ProblemReason::MissingSecret));
    assert_eq!(found[9], (10, ProblemReason::ExtraValues { expected: 6 }));
}

#[test]
fn a_missing_column_is_named_on_the_header_line() {
    let text = "upn,serial number,secret key,manufacturer,model\n\
                a@contoso.com,8659622000001,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,Token2,x\n";
    assert_eq!(
        problems(SeedList::parse_as(text, SeedListFormat::EntraCsv)),
        vec![(
            1,
            ProblemReason::MissingColumn {
                column: "time interval"
            }
        )]
    );
}

#[test]
fn an_empty_file_is_refused() {
    for text in ["", "\n\n", "\u{feff}"] {
        assert_eq!(
            problems(SeedList::parse(text)),
            vec![(1, ProblemReason::EmptyList)],
            "{text:?}"
        );
    }
    assert_eq!(
        problems(SeedList::parse_as(
            "# only a comment\n",
            SeedListFormat::OtpauthLinks
        )),
        vec![(1, ProblemReason::EmptyList)]
    );
}

#[test]
fn a_upn_secret_csv_takes_any_secret_the_wizard_takes() {
    let text = "upn,secret\n\
                a@contoso.com,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n\
                b@contoso.com,hex:3132333435363738393031323334353637383930313233343536373839303132\n\
                ,otpauth://totp/Contoso:c@contoso.com?secret=MFRGGZDFMZTWQ2LK&algorithm=SHA256&period=60\n";
    assert_eq!(detect_format(text), SeedListFormat::UpnSecretCsv);
    let list = SeedList::parse(text).unwrap();
    let rows = list.rows();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0].account.secret,
        Secret::from_slice(b"12345678901234567890")
    );
    assert_eq!(
        rows[1].account.secret,
        Secret::from_slice(b"12345678901234567890123456789012")
    );
    assert_eq!(rows[2].upn, None);
    assert_eq!(rows[2].account.algorithm, Algorithm::Sha256);
    assert_eq!(rows[2].account.period, Period::S60);
    assert_eq!(rows[2].account.secret, Secret::from_slice(b"abcdefghij"));
}

#[test]
fn a_upn_secret_csv_may_have_no_header() {
    let text = "a@contoso.com,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n";
    let list = SeedList::parse(text).unwrap();
    assert_eq!(list.rows()[0].line, 1);
}

#[test]
fn wrong_qr_codes_in_a_list_get_the_wizards_advice() {
    let text = "a@contoso.com,phonefactor://activate_account?code=123\n\
                b@contoso.com,otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ&counter=1\n\
                c@contoso.com,GEZDGNBVGY3TQOJQ,extra\n\
                d@contoso.com,ABCDEF23\n";
    let found = problems(SeedList::parse(text));
    assert_eq!(found.len(), 4, "{found:#?}");
    secret_advice(1, "push notifications", &found[0]);
    secret_advice(2, "HOTP", &found[1]);
    assert_eq!(found[2], (3, ProblemReason::ExtraValues { expected: 2 }));
    secret_advice(4, "hex:", &found[3]);
}

#[test]
fn a_links_file_skips_blanks_and_comments_and_checks_each_link() {
    let text = "# Contoso tokens, batch 7\n\
                \n\
                otpauth://totp/Contoso:a@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n\
                   otpauth://totp/Contoso:b@contoso.com?secret=MFRGGZDFMZTWQ2LK&digits=8\n\
                otpauth-migration://offline?data=AAAA\n\
                otpauth://totp/Contoso:c@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n";
    assert_eq!(detect_format(text), SeedListFormat::OtpauthLinks);
    let found = problems(SeedList::parse(text));
    assert_eq!(found.len(), 3, "{found:#?}");
    secret_advice(4, "6", &found[0]);
    assert_eq!(found[1].0, 5);
    assert_eq!(
        found[2],
        (6, ProblemReason::DuplicateSecret { first_line: 3 })
    );
}

#[test]
fn a_good_links_file_keeps_line_numbers() {
    let text = "# header\n\
                otpauth://totp/A:a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n\
                \n\
                otpauth://totp/B:b?secret=MFRGGZDFMZTWQ2LK&period=60\n";
    let list = SeedList::parse(text).unwrap();
    let lines: Vec<_> = list.rows().iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 4]);
    assert_eq!(list.rows()[1].account.period, Period::S60);
}

#[test]
fn the_refusal_lists_every_line() {
    let text = "x@contoso.com,GEZD\ny@contoso.com,\n";
    let refused = SeedList::parse(text).unwrap_err();
    let message = refused.to_string();
    assert!(
        message.starts_with("The list was not loaded: 2 line(s)"),
        "{message}"
    );
    assert!(message.contains("\nLine 1: "), "{message}");
    assert!(
        message.contains("\nLine 2: this row has no secret"),
        "{message}"
    );
    assert!(message.contains("Nothing has been written"), "{message}");
}

#[test]
fn seed_list_debug_hides_the_secrets() {
    let list = SeedList::parse("a@contoso.com,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n").unwrap();
    let printed = format!("{list:?}");
    assert!(!printed.contains("GEZD"), "{printed}");
    assert!(!printed.contains("12345678901234567890"), "{printed}");
    assert!(!printed.contains("49, 50, 51"), "{printed}");
}

#[test]
fn wiping_a_seed_list_empties_it() {
    let mut list = SeedList::parse("a@contoso.com,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n").unwrap();
    list.wipe();
    assert!(list.rows().is_empty());
}

#[test]
fn a_plain_user_list_has_one_user_per_line() {
    let users = UserList::parse("# staff\nhelga@contoso.com\r\n\r\n  bob@contoso.com \n").unwrap();
    let upns: Vec<_> = users
        .users()
        .iter()
        .map(|u| (u.line, u.upn.as_str()))
        .collect();
    assert_eq!(upns, [(2, "helga@contoso.com"), (4, "bob@contoso.com")]);
    assert!(users.users().iter().all(|u| u.object_id.is_none()));
}

#[test]
fn a_user_csv_may_carry_object_ids() {
    let text = "Display name,UPN,objectId\n\
                Helga,helga@contoso.com,00aa00aa-bb11-cc22-dd33-44ee44ee44ee\n\
                \"Bob, Jr.\",bob@contoso.com,\n";
    let users = UserList::parse(text).unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(
        users.users()[0].object_id.as_deref(),
        Some("00aa00aa-bb11-cc22-dd33-44ee44ee44ee")
    );
    assert_eq!(users.users()[1].upn, "bob@contoso.com");
    assert_eq!(users.users()[1].object_id, None);
}

#[test]
fn every_bad_user_line_is_listed() {
    let text = "upn,id\n\
                helga@contoso.com,00aa00aa-bb11-cc22-dd33-44ee44ee44ee\n\
                Helga Smith,\n\
                bob@contoso.com,not-a-guid\n\
                HELGA@contoso.com,\n";
    let refused = UserList::parse(text).unwrap_err();
    let found: Vec<_> = refused
        .problems
        .into_iter()
        .map(|p| (p.line, p.reason))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                3,
                ProblemReason::BadUser {
                    value: "Helga Smith".into()
                }
            ),
            (
                4,
                ProblemReason::BadObjectId {
                    value: "not-a-guid".into()
                }
            ),
            (
                5,
                ProblemReason::DuplicateUser {
                    upn: "HELGA@contoso.com".into(),
                    first_line: 2
                }
            ),
        ]
    );
}

#[test]
fn a_user_list_shorter_than_the_batch_is_reported() {
    let users = UserList::parse("a@contoso.com\nb@contoso.com\n").unwrap();
    assert_eq!(users.check_count(2), Ok(()));
    let short = users.check_count(5).unwrap_err();
    assert_eq!(
        short,
        ShortUserList {
            users: 2,
            tokens: 5
        }
    );
    let message = short.to_string();
    assert!(message.contains("2 user(s)"), "{message}");
    assert!(message.contains("5 tokens"), "{message}");
    assert!(message.contains("last 3 token(s)"), "{message}");
}
