// Independent reference implementations for the e2e tests, written from the RFCs with
// node:crypto (never from Kiln's code): Base32 (RFC 4648 §6), HOTP/TOTP (RFC 4226 / RFC 6238),
// and a tiny protobuf encoder for Google Authenticator export payloads
// (otpauth-migration://offline?data=…, MigrationPayload of google-authenticator-android).
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 Base32, case-insensitive, spaces and '=' padding ignored. */
export function base32Decode(text) {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not Base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: dynamic truncation of HMAC(key, counter), `digits` long. */
export function hotp(key, counter, { algorithm = 'sha1', digits = 6 } = {}) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac(algorithm, key).update(message).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 TOTP at `unixSeconds`. */
export function totp(key, unixSeconds, { algorithm = 'sha1', period = 30, digits = 6 } = {}) {
  return hotp(key, Math.floor(unixSeconds / period), { algorithm, digits });
}

/** The codes of the previous, current and next step: what "now" may show around a boundary. */
export function totpWindow(key, unixSeconds, options = {}) {
  const period = options.period ?? 30;
  return [-1, 0, 1].map((step) => totp(key, unixSeconds + step * period, options));
}

// --- protobuf (proto3 wire format: varints and length-delimited fields only) -------------------

function varint(value) {
  const out = [];
  let v = BigInt(value);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}

function field(number, wireType, payload) {
  return Buffer.concat([varint((number << 3) | wireType), payload]);
}

const varintField = (number, value) => field(number, 0, varint(value));
const bytesField = (number, bytes) => {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8');
  return field(number, 2, Buffer.concat([varint(buf.length), buf]));
};

/** MigrationPayload.Algorithm / DigitCount / OtpType enum values. */
export const MIGRATION = {
  algorithm: { sha1: 1, sha256: 2, sha512: 3, md5: 4 },
  digits: { six: 1, eight: 2 },
  type: { hotp: 1, totp: 2 },
};

/**
 * A MigrationPayload: `accounts` = [{secret: Buffer, name, issuer, algorithm, digits, type}],
 * with the enum numbers of MIGRATION. Returns the otpauth-migration:// URI.
 */
export function migrationUri(accounts, { version = 1, batchSize = 1, batchIndex = 0, batchId = 1 } = {}) {
  const parts = accounts.map((a) =>
    bytesField(
      1,
      Buffer.concat([
        bytesField(1, a.secret),
        bytesField(2, a.name),
        bytesField(3, a.issuer),
        varintField(4, a.algorithm),
        varintField(5, a.digits),
        varintField(6, a.type),
      ]),
    ),
  );
  parts.push(varintField(2, version), varintField(3, batchSize), varintField(4, batchIndex), varintField(5, batchId));
  const data = Buffer.concat(parts).toString('base64');
  return `otpauth-migration://offline?data=${encodeURIComponent(data)}`;
}
