// End-to-end tests of issue 5's bad input in the page: every kind of file that is not a usable
// ContentEngine database gets a specific message in `error`, the file on disk is untouched, and
// the page stays usable (the demo opens again right after). A file larger than the tab can hold
// is refused from its size alone, before a byte is read. Files that open but are not in a state
// Alembic can migrate from (not versioned, at base beside tables, rows that are not both heads)
// say so and offer the way out; odd values survive an upgrade in the page byte for byte.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  assertClean, download, env, fixture, idle, openFile, openPage, preview, scratch, screenshot, showView, start,
  stop, visibleError, waitForText,
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
    ['random.db', noise(32 * 1024, 1), /not a SQLite database \(it looks encrypted/],
    // SQLCipher writes whole pages of random-looking bytes, header included: 4096 × N bytes.
    ['encrypted.db', noise(4096 * 24, 99), /looks encrypted.*decrypt it first/],
    ['notes.txt', Buffer.from('id,content\n1,hello\n2,world\n'), /looks like a text file starting with "id,content"/],
    ['header-then-garbage.db', headerThenGarbage, /the database is damaged .*its pages look encrypted/],
    ['truncated-mid.db', real.subarray(0, Math.floor(real.length / 2) + 17),
      new RegExp(`truncated: SQLite needs ${real.length} bytes but got only ${Math.floor(real.length / 2) + 17}`)],
    ['truncated-header.db', real.subarray(0, 60), /truncated: SQLite needs 100 bytes but got only 60/],
    ['lying-page-count.db', lyingCount,
      new RegExp(`truncated: SQLite needs ${real.length + 40 * pageSize} bytes but got only ${real.length}`)],
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
    assert.ok(message.includes(name), `${name}: the message names the file: ${message}`);
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

const BRANCHPOINT = 'b81d3e5f0a27';
const HEAD = '0a6c9e3f5b71';

/** Opens the demo again and checks the page is usable, with no error left over. */
async function demoAgain(page, after) {
  await page.getByTestId('demo-db').click();
  await waitForText(page, 'demo-badge', (text) => text.length > 0, `the demo after ${after}`);
  await idle(page);
  assert.equal(await visibleError(page), null, `an error is still shown after reopening the demo (${after})`);
}

test('no alembic_version: "Not versioned" with the stamp offered; an empty one is base', async () => {
  const page = await openPage('r-unversioned');
  const plain = scratch('plain.db');
  fixture('make-unversioned', plain);
  const plainSha = sha(plain);
  await openFile(page, plain, 'base');
  assert.equal(await visibleError(page), null, 'not versioned is a state, not an error');
  assert.match(await page.getByTestId('migration-status').textContent(), /^Not versioned: the file has no alembic_version table/);
  await showView(page, 'migrate');
  assert.equal(await page.getByTestId('offer-stamp').isVisible(), true, 'the stamp is offered');
  await screenshot(page, 'r-3-unversioned');
  assert.equal(sha(plain), plainSha);
  await demoAgain(page, 'plain.db');

  // `alembic downgrade base` leaves an empty alembic_version and no other table: at base, and
  // the upgrade button gives what real Alembic gives.
  const base = scratch('base.db');
  fixture('make-base', base);
  const baseSha = sha(base);
  await openFile(page, base, 'base');
  assert.match(await page.getByTestId('migration-status').textContent(), /^Empty \(base\): \d+ steps behind head/);
  assert.equal(await visibleError(page), null);
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'base upgraded');
  await idle(page);
  const [, upgraded] = await download(page, 'download', 'base-upgraded.db');
  fixture('check', base, upgraded); // exits non-zero unless it is what Alembic makes
  assert.equal(sha(base), baseSha);

  // An empty alembic_version beside ContentEngine's tables: a notice says a stamp is needed,
  // and an upgrade stops at the first table that exists, changing nothing.
  const tables = scratch('base-tables.db');
  fixture('make-base-tables', tables);
  const tablesSha = sha(tables);
  await openFile(page, tables, 'base');
  const notice = await page.getByTestId('notices').textContent();
  assert.match(notice, /base-tables\.db is at base \(its alembic_version is empty\) but already has tables: .*posts/);
  assert.match(notice, /tick “stamp only”/);
  await page.getByTestId('upgrade-head').click();
  const failure = await waitForText(page, 'error', (text) => text.length > 0, 'the upgrade from base over tables');
  assert.match(failure, /upgrade 4f2a9c1e7b3d failed at the statement `CREATE TABLE [^`]*`: table \w+ already exists/);
  await idle(page);
  assert.equal((await page.getByTestId('current-revision').textContent()).trim(), 'base');
  await screenshot(page, 'r-4-base-with-tables');
  assert.equal(sha(tables), tablesSha);
  await demoAgain(page, 'base-tables.db');
  await page.close();
});

test('rows that are not both heads: the page names them, refuses to migrate, and the stamp it advises works', async () => {
  const file = scratch('overlap.db');
  const made = JSON.parse(fixture('make-overlap', file));
  assert.deepEqual(made.versions.sort(), [BRANCHPOINT, 'c3e7a1d9f482']);
  const before = sha(file);
  const page = await openPage('r-overlap');
  await page.getByTestId('open-file').setInputFiles(file);
  const message = await waitForText(page, 'error', (text) => text.length > 0, 'the overlap message');
  assert.match(message, /overlap\.db's alembic_version holds both c3e7a1d9f482 and b81d3e5f0a27, but b81d3e5f0a27 is an ancestor of c3e7a1d9f482/);
  assert.match(message, /type c3e7a1d9f482 in “Migrate to”, tick “stamp only”, preview and apply/);
  await idle(page);
  assert.match(await page.getByTestId('migration-status').textContent(), /^Inconsistent: alembic_version holds both/);
  assert.equal(await page.getByTestId('upgrade-head').isEnabled(), false, 'no one-click upgrade from these rows');
  await screenshot(page, 'r-5-overlap');

  // A migration is refused with the same words, and changes nothing.
  await preview(page, 'heads');
  assert.match(await visibleError(page), /b81d3e5f0a27 is an ancestor of c3e7a1d9f482/);
  assert.equal(await page.getByTestId('undo').isEnabled(), false, 'nothing ran');

  // The way out: stamp the revision the schema is at, then upgrade as usual.
  await preview(page, 'c3e7a1d9f482', { stamp: true });
  assert.equal(await page.getByTestId('preview').getAttribute('data-action'), 'stamp');
  await page.getByTestId('apply').click();
  await waitForText(page, 'current-revision', (text) => text === 'c3e7a1d9f482', 'stamped');
  await idle(page);
  assert.equal(await visibleError(page), null, 'the stamp puts the rows right');
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'upgraded after the stamp');
  await idle(page);
  const [, upgraded] = await download(page, 'download', 'overlap-upgraded.db');
  const state = JSON.parse(fixture('alembic-state', upgraded));
  assert.equal(state.current, `${HEAD} (head)`);
  assert.match(state.check, /No new upgrade operations detected/);
  assert.equal(fixture('count', upgraded, 'posts').trim(), fixture('count', file, 'posts').trim());
  assert.equal(sha(file), before, 'overlap.db was changed on disk');
  await demoAgain(page, 'overlap.db');
  await page.close();
});

test('a 20,000-character table name, NULs, invalid UTF-8 and 10 MB blobs survive an upgrade in the page byte for byte', async () => {
  const file = scratch('exotic.db');
  const made = JSON.parse(fixture('make-exotic', file));
  assert.equal(made.name_length, 20000);
  const before = sha(file);
  const page = await openPage('r-exotic');
  await openFile(page, file, BRANCHPOINT);
  assert.equal(await visibleError(page), null);
  assert.match(await page.getByTestId('table-counts').textContent(), /odd "name" \[x\] `y`; -- ünï 表/);
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'exotic upgraded');
  await idle(page);
  assert.equal(await visibleError(page), null);
  // The window only: a whole-page capture of the 20,000-character name timed out under load.
  await screenshot(page, 'r-6-exotic', { fullPage: false });
  const [name, upgraded] = await download(page, 'download', 'exotic-upgraded.db');
  assert.equal(name, 'exotic.db');
  // Exits non-zero unless every value is byte-exact, the odd table is there and integrity is ok.
  const checked = JSON.parse(fixture('check-exotic', file, upgraded));
  assert.deepEqual(checked.versions, [HEAD]);
  assert.equal(checked.blob_bytes, 10 * 1024 * 1024);
  assert.equal(sha(file), before, 'exotic.db was changed on disk');
  await demoAgain(page, 'exotic.db');
  await page.close();
});

test('bad-file pages made no request outside the origin and broke no CSP rule', assertClean);
