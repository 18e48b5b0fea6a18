"""Enrollment-QR payloads of the kinds Kiln meets, built from a seeded RNG.

Shared by the corpus generator and the fixture generator. Nothing here is random unless the
caller passes an RNG, so every payload is reproducible.
"""

import base64
import urllib.parse

BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

COMPANIES = ["Some Company", "Contoso", "Fabrikam Ltd", "Northwind Traders", "Tailspin Toys",
             "Woodgrove Bank", "Adatum Corp", "Litware Inc"]
USERS = ["me", "alice", "bob", "carol.smith", "d.jones", "erin", "frank_w", "grace.hopper",
         "heidi", "ivan.petrov", "judy", "mallory"]
ISSUERS = ["AWS", "Dropbox", "Bitwarden", "Proton", "Cloudflare", "GitLab", "Okta", "Slack",
           "Discord", "Binance", "Kraken", "Namecheap", "Hetzner", "Fastmail"]


def base32(data: bytes, padding: bool) -> str:
    text = base64.b32encode(data).decode("ascii")
    return text if padding else text.rstrip("=")


# ---------------------------------------------------------------- protobuf (hand encoder)
# MigrationPayload{repeated OtpParameters otp_parameters=1; int32 version=2; int32 batch_size=3;
#                  int32 batch_index=4; int32 batch_id=5}
# OtpParameters{bytes secret=1; string name=2; string issuer=3; enum algorithm=4; enum digits=5;
#               enum type=6; int64 counter=7}
ALGORITHM = {"SHA1": 1, "SHA256": 2, "SHA512": 3, "MD5": 4}
DIGITS = {6: 1, 8: 2}
OTP_TYPE = {"HOTP": 1, "TOTP": 2}


def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64  # proto3 int32/int64 negatives are 10-byte two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field_varint(number: int, value: int) -> bytes:
    return _varint(number << 3 | 0) + _varint(value)


def _field_bytes(number: int, value: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(value)) + value


def otp_parameters(secret: bytes, name: str, issuer: str, algorithm: str = "SHA1",
                   digits: int = 6, otp_type: str = "TOTP", counter: int = 0) -> bytes:
    """One OtpParameters message; proto3 default values (0 / empty) are omitted like protoc does."""
    out = _field_bytes(1, secret) + _field_bytes(2, name.encode("utf-8"))
    if issuer:
        out += _field_bytes(3, issuer.encode("utf-8"))
    out += _field_varint(4, ALGORITHM[algorithm])
    out += _field_varint(5, DIGITS[digits])
    out += _field_varint(6, OTP_TYPE[otp_type])
    if counter:
        out += _field_varint(7, counter)
    return out


def migration_payload(accounts: list, version: int = 1, batch_size: int = 1,
                      batch_index: int = 0, batch_id: int = 0) -> bytes:
    """MigrationPayload. `batch_index` is always written, even when 0, as Google Authenticator's
    exports do (`... 20 00 ...`, i.e. Base64 `IAA`); a zero `batch_id` is left out."""
    out = b"".join(_field_bytes(1, otp_parameters(**account)) for account in accounts)
    out += _field_varint(2, version) + _field_varint(3, batch_size)
    out += _field_varint(4, batch_index)
    if batch_id:
        out += _field_varint(5, batch_id)
    return out


def migration_uri(payload: bytes) -> str:
    """Google's form: standard Base64, then percent-encoded (`+` `/` `=` become %2B %2F %3D)."""
    data = base64.b64encode(payload).decode("ascii")
    return "otpauth-migration://offline?data=" + urllib.parse.quote(data, safe="")


# ---------------------------------------------------------------- random payloads
def _pick(rng, items):
    return items[int(rng.integers(len(items)))]


def m365(rng) -> str:
    company = _pick(rng, COMPANIES).replace(" ", "+")
    user = _pick(rng, USERS)
    domain = company.lower().replace("+", "") + ".net"
    secret = base32(rng.bytes(10), padding=False).lower()
    return (f"otpauth://totp/{company}%3a{user}%40{domain}?secret={secret}&issuer=Microsoft")


def github(rng) -> str:
    user = _pick(rng, USERS).replace(".", "-")
    secret = base32(rng.bytes(int(_pick(rng, [10, 20]))), padding=False)
    return f"otpauth://totp/GitHub:{user}?secret={secret}&issuer=GitHub"


def google(rng) -> str:
    user = _pick(rng, USERS)
    secret = base32(rng.bytes(int(_pick(rng, [16, 20, 26]))), padding=True)
    if rng.random() < 0.5:
        secret = secret.replace("=", "%3D")
    return f"otpauth://totp/Google%3A{user}%40gmail.com?secret={secret}&issuer=Google"


def long_sha256(rng) -> str:
    issuer = _pick(rng, ISSUERS)
    user = _pick(rng, USERS)
    secret = base32(rng.bytes(64), padding=False)
    return (f"otpauth://totp/{issuer}:{user}%40example.org?secret={secret}&issuer={issuer}"
            "&algorithm=SHA256&digits=8&period=60")


def google_export(rng) -> str:
    count = int(rng.integers(1, 11))
    accounts = []
    for _ in range(count):
        issuer = _pick(rng, ISSUERS)
        accounts.append(dict(
            secret=rng.bytes(int(_pick(rng, [10, 16, 20, 32]))),
            name=f"{_pick(rng, USERS)}@example.com",
            issuer=issuer,
            algorithm=_pick(rng, ["SHA1", "SHA1", "SHA1", "SHA256", "SHA512"]),
            digits=int(_pick(rng, [6, 6, 6, 8])),
            otp_type=_pick(rng, ["TOTP", "TOTP", "TOTP", "HOTP"]),
        ))
        if accounts[-1]["otp_type"] == "HOTP":
            accounts[-1]["counter"] = int(rng.integers(0, 1000))
    payload = migration_payload(accounts, version=1, batch_size=1, batch_index=0,
                                batch_id=int(rng.integers(1, 2**31 - 1)))
    return migration_uri(payload)


KINDS = {"m365": m365, "github": github, "google": google, "long_sha256": long_sha256,
         "google_export": google_export}
