// Driving the Batch screen by keyboard, and reading what it downloads.
import { byTestId, waitForAttribute } from './wizard-driver.mjs';

/** Focuses the element (as Tab would) and presses `key` on it (Enter, or Space for radios). */
export async function keyboardActivate(page, testId, key = 'Enter') {
  await byTestId(page, testId).focus();
  await page.keyboard.press(key === ' ' ? 'Space' : key);
}

/** Focuses a field and types `text` into it (replacing what was there). */
export async function keyboardFill(page, testId, text) {
  const field = byTestId(page, testId);
  await field.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** How many presses of the burn button have finished so far. */
export const finishedCount = async (page) => Number(await byTestId(page, 'batch-status').getAttribute('data-finished'));

/**
 * Runs `press` (the operator's action) and waits until the page has finished with that token;
 * returns where the loop is then: `ready` or `question`.
 */
export async function pressAndFinish(page, press) {
  const before = await finishedCount(page);
  await press();
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="batch-status"]')?.dataset.finished) > n,
    before,
    { timeout: 30_000 },
  );
  return waitForAttribute(page, 'batch-status', 'data-state', ['ready', 'question'], 5_000);
}

/** Presses an export button (keyboard) and returns the downloaded file's text. */
export async function download(page, kind) {
  const started = page.waitForEvent('download', { timeout: 15_000 });
  await keyboardActivate(page, `batch-export-${kind}`);
  const file = await started;
  const stream = await file.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** RFC 4180 CSV: rows of fields (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
