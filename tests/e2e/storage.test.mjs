// End-to-end tests of where the worker keeps undo checkpoints and downloads (issues 4 and 16):
// every open database is a page store, so undo checkpoints are its changed chunks and never
// leave it. A chosen file's downloads are Blobs made of the file's unchanged slices and the pages
// written since, whatever the size: nothing of it is written to the origin-private file system
// (OPFS). Downloads of a database not read from a file (the demo) of 256 MiB and more are files
// in OPFS under content-db/<session>/ (the tests lower that size to 0 through the worker's global
// CONTENT_DB_OPFS_FROM; smaller ones are Blobs by default), removed when dropped, a closed tab's
// removed by the next tab to start, another open tab's left alone; and the Blob fallback when
// OPFS is missing or a write fails (quota). Downloads are checked with Python's sqlite3 and real
// Alembic (tests/e2e/fixture.py).
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/storage.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import {
  apply, assertClean, download, env, fixture, generate, idle, listing, openFile, openPage, scratch, start, stop,
  stored, undo, waitFor, waitForText,
} from './harness.mjs';

const BRANCHPOINT = 'b81d3e5f0a27';
const FROM = 'f17b8d2e4c90';
const HEAD = '0a6c9e3f5b71';
/** The demo's revision, and what `current-revision` shows after migrating from head down to it
 * (the other branch's revision stays). */
const DEMO = 'c3e7a1d9f482';
const DOWN_TO_DEMO = 'd5f0b2c8e614 c3e7a1d9f482';
/** The patch that makes a worker keep images of any size in OPFS (small ones are Blobs by default). */
const EVERY_SIZE = 'self.CONTENT_DB_OPFS_FROM = 0;';

before(start);
after(stop);

/**
 * Opens a page to look at the storage from, and its listing once the page's own worker has made
 * its session directory (asynchronously, after the page shows the demo): a later new directory
 * is then another page's. Directory names start with the worker's `Date.now()`.
 */
async function openProbe(name) {
  const opened = Date.now();
  const probe = await openPage(name);
  const own = (list) => Object.keys(list).some((dir) => Number(dir.split('-')[1]) >= opened);
  const list = await waitFor(probe, () => listing(probe), own, `${name}'s own session directory`);
  return [probe, list];
}

/** The session directory that appeared since `before` (the new page's worker's). */
async function newSession(page, before) {
  const list = await waitFor(page, () => listing(page), (l) => Object.keys(l).some((d) => !(d in before)), 'a new session directory');
  return Object.keys(list).find((d) => !(d in before));
}

/** Upgrade, downgrade, download, undo and download again, checking each download. */
async function roundTrip(page, original, label) {
  await apply(page, 'head', HEAD);
  const [, up] = await download(page, 'download', `${label}-up.db`);
  fixture('check', original, up); // exits non-zero (throws) unless it is what Alembic makes
  await apply(page, BRANCHPOINT, BRANCHPOINT);
  const [, down] = await download(page, 'download', `${label}-down.db`);
  const facts = JSON.parse(fixture('facts', down));
  assert.deepEqual(facts.versions, [BRANCHPOINT]);
  assert.deepEqual(facts.integrity, ['ok']);
  await undo(page, HEAD);
  const [, again] = await download(page, 'download', `${label}-again.db`);
  fixture('check', original, again);
  await undo(page, BRANCHPOINT);
  const [, back] = await download(page, 'download', `${label}-back.db`);
  assert.equal(fixture('same', original, back).trim(), 'same', 'byte for byte the file as opened');
}

test('a chosen file\'s checkpoints are never OPFS files, its downloads its slices and written pages (in OPFS with it for every size), and each state is byte for byte right', async () => {
  // Issue 16 changed this: before, with OPFS for every size, each checkpoint and download of a
  // chosen file was a whole copy written to OPFS. Now a checkpoint is the page store's saved
  // chunks, and a download's written pages go into one file (worker/pieces_image.rs).
  const original = scratch('stored.db');
  fixture('make', original, BRANCHPOINT);
  const [probe, before] = await openProbe('s-probe');
  const page = await patchedPage('s-stored', EVERY_SIZE);
  const dir = await newSession(page, before);
  await openFile(page, original, BRANCHPOINT);
  const nothingStored = async (when) => assert.deepEqual(stored(await listing(page), dir), [], `nothing in OPFS ${when}`);

  await apply(page, 'head', HEAD);
  await nothingStored('after the first change');
  await apply(page, BRANCHPOINT, BRANCHPOINT);
  await nothingStored('after the second change');
  await undo(page, HEAD);
  const [, up] = await download(page, 'download', 'stored-up.db');
  fixture('check', original, up); // exits non-zero (throws) unless it is what Alembic makes
  const [, twice] = await download(page, 'download', 'stored-twice.db');
  assert.equal(fixture('same', up, twice).trim(), 'same', 'a second download gives the same bytes');
  await undo(page, BRANCHPOINT);
  const [, back] = await download(page, 'download', 'stored-back.db');
  assert.equal(fixture('same', original, back).trim(), 'same', 'undone to the file as chosen, byte for byte');
  await apply(page, 'head', HEAD);
  const [, again] = await download(page, 'download', 'stored-again.db');
  assert.equal(fixture('same', up, again).trim(), 'same', 'migrated again: the same bytes as the first time');
  // Four downloads: at most a file each (kept a minute after it is posted), none for the undos.
  const files = stored(await listing(page), dir);
  assert.ok(files.length <= 4, `a file per download at most: ${files}`);
  await page.close();
  await probe.close();
});

test('a new tab removes a closed tab\'s files but leaves an open tab\'s alone', async () => {
  // The demo is not read from a file: with OPFS for every size its download is an OPFS file,
  // kept while it is the last download.
  const [probe, beforeFirst] = await openProbe('s-probe-2');
  const first = await patchedPage('s-first', EVERY_SIZE);
  const firstDir = await newSession(first, beforeFirst);
  await apply(first, 'head', HEAD);
  const [, up] = await download(first, 'download', 'tabs-up.db');
  await apply(first, DEMO, DOWN_TO_DEMO);
  await waitFor(first, async () => stored(await listing(first), firstDir), (names) => names.length >= 1, 'a download file of the first tab');

  const beforeSecond = await listing(probe);
  const second = await patchedPage('s-second', EVERY_SIZE);
  const secondDir = await newSession(second, beforeSecond);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the clean-up runs after start
  assert.ok(stored(await listing(second), firstDir).length >= 1, 'the open tab\'s download is still there');
  await undo(first, HEAD);
  const [, again] = await download(first, 'download', 'tabs-again.db');
  const facts = JSON.parse(fixture('facts', again));
  assert.deepEqual(facts.versions, [HEAD]);
  assert.deepEqual(facts.integrity, ['ok']);
  assert.equal(fixture('same', up, again).trim(), 'same', 'the demo undone to head, byte for byte');

  await apply(first, DEMO, DOWN_TO_DEMO);
  await first.close(); // its worker ends, its lock is released, its files stay until…
  const third = await patchedPage('s-third', EVERY_SIZE); // …the next tab starts
  await waitFor(third, () => listing(third), (list) => !(firstDir in list), 'the closed tab\'s directory removed');
  assert.ok(secondDir in (await listing(third)), 'the open tab\'s directory is kept');
  await Promise.all([second.close(), third.close(), probe.close()]);
});

/** A page whose worker runs `patch` before its own script. */
function patchedPage(name, patch) {
  return openPage(name, { workerPatch: patch });
}

test('without OPFS, checkpoints and downloads are Blobs and still right', async () => {
  const original = scratch('no-opfs.db');
  fixture('make', original, BRANCHPOINT);
  const [probe, listed] = await openProbe('s-probe-3');
  const before = Object.keys(listed);
  const page = await patchedPage('s-no-opfs', 'delete StorageManager.prototype.getDirectory;');
  await openFile(page, original, BRANCHPOINT);
  await roundTrip(page, original, 'no-opfs');
  const dirs = Object.keys(await listing(probe));
  assert.deepEqual(dirs.filter((d) => !before.includes(d)), [], 'no session directory was made');
  await Promise.all([page.close(), probe.close()]);
});

test('when a write to OPFS fails (quota), checkpoints and downloads fall back to Blobs', async () => {
  const original = scratch('quota.db');
  fixture('make', original, BRANCHPOINT);
  const [probe, before] = await openProbe('s-probe-4');
  const page = await patchedPage('s-quota', `${EVERY_SIZE}
  FileSystemSyncAccessHandle.prototype.write = function () {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };`);
  const dir = await newSession(page, before);
  await openFile(page, original, BRANCHPOINT);
  await roundTrip(page, original, 'quota');
  assert.deepEqual(stored(await listing(page), dir), [], 'nothing was written: every image went to a Blob');
  await Promise.all([page.close(), probe.close()]);
});

test('by default a small file\'s checkpoints and downloads are Blobs: nothing is written to OPFS', async () => {
  const original = scratch('small.db');
  fixture('make', original, BRANCHPOINT);
  const [probe, before] = await openProbe('s-probe-5');
  const page = await openPage('s-small');
  const dir = await newSession(page, before);
  await openFile(page, original, BRANCHPOINT);
  await roundTrip(page, original, 'small');
  assert.deepEqual(stored(await listing(page), dir), [], 'images under 256 MiB stay Blobs');
  await Promise.all([page.close(), probe.close()]);
});

/**
 * A generated file of 40 MB (images over the worker's 16 MiB Blob read and 1 MiB import piece,
 * so reading back crosses both): upgrade, downgrade (its checkpoint is the upgraded file's
 * chunks), undo twice; each state downloaded byte for byte.
 */
async function largeRoundTrip(label, patch) {
  const original = scratch(`${label}.db`);
  generate(original, 40);
  const page = await patchedPage(label, patch);
  await openFile(page, original, FROM);
  await apply(page, 'head', HEAD);
  const [, up] = await download(page, 'download', `${label}-up.db`);
  await apply(page, FROM, FROM);
  await undo(page, HEAD);
  const [, again] = await download(page, 'download', `${label}-again.db`);
  assert.equal(fixture('same', up, again).trim(), 'same', 'the checkpoint read back is the upgraded file');
  await undo(page, FROM);
  const [, back] = await download(page, 'download', `${label}-back.db`);
  assert.equal(fixture('same', original, back).trim(), 'same', 'the file as chosen read back');
  await page.close();
}

test('a 40 MB file\'s Blob checkpoints read back byte for byte across read slices', async () => {
  await largeRoundTrip('s-large-blobs', 'delete StorageManager.prototype.getDirectory;');
});

test('a 40 MB file\'s checkpoints with OPFS for every size read back byte for byte across read slices', async () => {
  await largeRoundTrip('s-large-opfs', EVERY_SIZE);
});

/**
 * A changed file stays open while the next file is read; when that one does not open, the
 * changed file is still open, with its change and its undo.
 */
async function badFileOverChanged(label, patch) {
  const original = scratch(`${label}.db`);
  fixture('make', original, BRANCHPOINT);
  const page = await patchedPage(label, patch);
  await openFile(page, original, BRANCHPOINT);
  await apply(page, 'head', HEAD);
  await page.getByTestId('open-file').setInputFiles({
    name: 'notes.db',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('These are my notes, not a database.\n'.repeat(200)),
  });
  await waitForText(page, 'error', (text) => text.includes('notes.db') && text.includes('not a SQLite database'), 'the error about notes.db');
  await idle(page);
  assert.equal((await page.getByTestId('file-name').textContent()).trim(), `${label}.db`, 'the changed file stays open');
  assert.equal((await page.getByTestId('current-revision').textContent()).trim(), HEAD, 'with its change');
  const [, up] = await download(page, 'download', `${label}-up.db`);
  fixture('check', original, up);
  await undo(page, BRANCHPOINT);
  const [, back] = await download(page, 'download', `${label}-back.db`);
  assert.equal(fixture('same', original, back).trim(), 'same', 'and its undo');
  await page.close();
}

test('a file that does not open leaves a changed file open with its change and undo (Blobs)', async () => {
  await badFileOverChanged('s-aside-blobs', '');
});

test('a file that does not open leaves a changed file open with its change and undo (OPFS)', async () => {
  await badFileOverChanged('s-aside-opfs', EVERY_SIZE);
});

/** Waits until the session directory `dir` holds exactly the non-empty files `check` accepts. */
const storedSoon = (page, dir, check, what) => waitFor(page, async () => stored(await listing(page), dir), check, what);

test('a chosen file over 32 MiB is read through one copy in OPFS, its undo kept in files beside it, all removed when another file opens; each state byte for byte right', async () => {
  // Issue 16: the page store keeps 32 MiB of a large file in memory and reads the rest again
  // from this copy (worker/file_mirror.rs); what a change overwrites is kept for undo in files
  // beside it (worker/spill_files.rs); downloads are never files there.
  const original = scratch('mirrored.db');
  generate(original, 40);
  const [probe, before] = await openProbe('s-probe-6');
  const page = await openPage('s-mirrored');
  const dir = await newSession(page, before);
  await openFile(page, original, FROM);
  const [copy] = await storedSoon(page, dir, (files) => files.length === 1, 'the copy of the file');
  await apply(page, 'head', HEAD); // the owed quick check reads every page first
  const sizes = (await listing(page))[dir];
  assert.deepEqual(Object.keys(sizes).filter((name) => sizes[name] > 0), [copy], 'still the copy alone, no checkpoint');
  assert.equal(sizes[copy], statSync(original).size, 'the whole file copied once checked');
  const [, up] = await download(page, 'download', 'mirrored-up.db');
  fixture('check', original, up);
  // A download of 32 MiB of written pages or more is a file there too, kept a minute after.
  const downloads = stored(await listing(page), dir).filter((name) => name !== copy);
  await apply(page, FROM, FROM);
  // The downgrade rewrote pages the upgrade wrote: those are kept for undo in the storage.
  const kept = stored(await listing(page), dir).filter((name) => name !== copy && !downloads.includes(name));
  assert.ok(kept.length >= 1, `undo's pages kept beside the copy: ${JSON.stringify(await listing(page))}`);
  await undo(page, HEAD);
  assert.deepEqual(stored(await listing(page), dir).sort(), [copy, ...downloads, ...kept].sort(), 'the undo wrote nothing');
  const [, again] = await download(page, 'download', 'mirrored-again.db');
  assert.equal(fixture('same', up, again).trim(), 'same', 'undone to the upgrade, byte for byte');
  await undo(page, FROM);
  const [, back] = await download(page, 'download', 'mirrored-back.db');
  assert.equal(fixture('same', original, back).trim(), 'same', 'undone to the file as chosen, byte for byte');
  const small = scratch('after-mirrored.db');
  fixture('make', small, BRANCHPOINT);
  await openFile(page, small, BRANCHPOINT);
  await storedSoon(page, dir, (files) => ![copy, ...kept].some((name) => files.includes(name)), 'the copy and the kept pages removed once another file is open');
  await Promise.all([page.close(), probe.close()]);
});

test('when the copy of a large file cannot be written (quota), the file itself is read: migrated, undone and downloaded right', async () => {
  const original = scratch('mirror-quota.db');
  generate(original, 40);
  const page = await patchedPage('s-mirror-quota', `
  FileSystemSyncAccessHandle.prototype.write = function () {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };`);
  await openFile(page, original, FROM);
  await apply(page, 'head', HEAD);
  const [, up] = await download(page, 'download', 'mirror-quota-up.db');
  fixture('check', original, up);
  await undo(page, FROM);
  const [, back] = await download(page, 'download', 'mirror-quota-back.db');
  assert.equal(fixture('same', original, back).trim(), 'same', 'undone to the file as chosen, byte for byte');
  await page.close();
});

test('an ordinary window\'s private storage is judged on disk: no page kept to memory for it', () => {
  // private-window.test.mjs is the other side: there the worker does keep to memory.
  assert.deepEqual(env.warnings.filter((text) => text.includes('private storage is not on disk')), []);
});

test('storage pages made no request outside the origin and logged no error', assertClean);
