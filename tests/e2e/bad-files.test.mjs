// End-to-end tests of issue 5's bad input in the page: every kind of file that is not a usable
// ContentEngine database gets a specific message in `error`, the file on disk is untouched, and
// the page stays usable (the demo opens again right after). A file larger than the tab can hold
// is refused from its size alone, before a byte is read.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import {
  env, fixture, idle, openPage, scratch, screenshot, start, stop, visibleError, waitForText,
} from './harness.mjs';

before(start);
after(stop);

/** Deterministic pseudo-random bytes (xorshift32), so a failure is reproducible. */
function noise(length, seed) {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A real populated database at head made by Alembic, as bytes (the material to damage). */
function realDatabase() {
  const file = scratch('real.db');
  fixture('make', file, 'head');
  return readFileSync(file);
}

/** Each case: a file name, how to make its bytes, and what the message must say. */
function cases() {
  const real = realDatabase();
  const pageSize = real.readUInt16BE(16);
  const lyingCount = Buffer.from(real);
  lyingCount.writeUInt32BE(real.length / pageSize + 40, 28); // header claims 40 more pages
  const headerThenGarbage = Buffer.concat([real.subarray(0, 100), noise(real.length - 100, 7)]);
  return [
    ['empty.db', Buffer.alloc(0), /empty \(0 bytes\)/],
    ['random.db', noise(32 * 1024, 1), /not a SQLite database|encrypted/],
    ['notes.txt', Buffer.from('id,content\n1,hello\n2,world\n'), /text file/],
    ['header-then-garbage.db', headerThenGarbage, /damaged|encrypted/],
    ['truncated-mid.db', real.subarray(0, Math.floor(real.length / 2) + 17), /truncated/],
    ['truncated-header.db', real.subarray(0, 60), /truncated|not a SQLite database/],
    ['lying-page-count.db', lyingCount, /truncated|header says|damaged/],
  ];
}

test('every bad file gets its own message, the file is untouched, and the page stays usable', async () => {
  const page = await openPage('bad-files');
  for (const [name, bytes, expected] of cases()) {
    const file = scratch(name);
    writeFileSync(file, bytes);
    const before = sha(file);
    await page.getByTestId('open-file').setInputFiles(file);
    const message = await waitForText(page, 'error', (text) => text.length > 0, `the error for ${name}`);
    assert.match(message, expected, `${name}: ${message}`);
    assert.equal(sha(file), before, `${name} was changed on disk`);
    await idle(page);
    if (name === 'truncated-mid.db') await screenshot(page, 'r-1-truncated');

    // Still usable: the demo opens again and the error goes away.
    await page.getByTestId('demo-db').click();
    await waitForText(page, 'demo-badge', (text) => text.length > 0, `the demo after ${name}`);
    await idle(page);
    assert.equal(await visibleError(page), null, `an error is still shown after reopening the demo (${name})`);
  }
  await page.close();
});

test('a file larger than the tab can hold is refused from its size, before it is read', async () => {
  const file = scratch('huge.db');
  // A sparse file: 1 GiB + 1 byte that take no room on disk and are never read.
  const handle = openSync(file, 'w');
  ftruncateSync(handle, 2 ** 30 + 1);
  closeSync(handle);
  const page = await openPage('too-big');
  const requestsBefore = env.requests.length;
  await page.getByTestId('open-file').setInputFiles(file);
  const message = await waitForText(page, 'error', (text) => text.length > 0, 'the size refusal');
  assert.match(message, /huge\.db is 1\.0 GiB/);
  assert.match(message, /Nothing was read/);
  assert.match(message, /content-db --db huge\.db upgrade head/);
  // The demo is still the open database.
  assert.equal(await page.getByTestId('demo-badge').count() > 0, true);
  assert.equal(env.requests.length, requestsBefore, 'refusing must not fetch anything');
  await screenshot(page, 'r-2-too-big');
  await page.close();
});
