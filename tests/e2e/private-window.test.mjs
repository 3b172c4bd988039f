// End-to-end test of the page in a private (Incognito) window: there Chromium keeps the
// origin-private file system in the browser's memory, each call of a sync access handle a round
// trip to it (0.5–2.3 ms for a 4 KiB read here against ~3 µs on disk), and the worker's use of it for
// a large file (its copy, undo's pages, downloads' written pages) made the 500 MB benchmark
// file's overview take 61 s and its upgrade 30 s. The worker times a few reads at start and, when
// they say the storage is not on disk, keeps to memory and Blobs (worker/storage_speed.rs).
// Downloads are checked with Python's sqlite3 and real Alembic (tests/e2e/fixture.py).
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/private-window.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apply, assertClean, download, env, fixture, generate, listing, openFile, openPage, scratch, start, stop, stored,
  undo, waitForText,
} from './harness.mjs';

const FROM = 'f17b8d2e4c90';
const HEAD = '0a6c9e3f5b71';

before(() => start({ privateWindow: true }));
after(stop);

/** Every non-empty file the app keeps in the private storage, as `session/file`. */
async function storedFiles(page) {
  const list = await listing(page);
  return Object.keys(list).flatMap((dir) => stored(list, dir).map((file) => `${dir}/${file}`));
}

test('in a private window a large file is kept in memory, not in the slow private storage, and migrates, undoes and downloads right', async () => {
  // 40 MB: over the 32 MiB from which an ordinary window reads the file through a copy in the
  // private storage (storage.test.mjs checks that it does there).
  const original = scratch('private.db');
  generate(original, 40);
  const page = await openPage('private');
  assert.ok(env.warnings.some((text) => text.includes('private storage is not on disk')),
    `the worker said why it keeps to memory: ${JSON.stringify(env.warnings)}`);
  await openFile(page, original, FROM);
  await waitForText(page, 'integrity', (text) => text === 'ok', 'the overview\'s check');
  await apply(page, 'head', HEAD);
  const [, up] = await download(page, 'download', 'private-up.db');
  fixture('check', original, up); // exits non-zero (throws) unless it is what Alembic makes
  assert.deepEqual(await storedFiles(page), [], 'no copy, undo pages or download in the private storage');
  await undo(page, FROM);
  const [, back] = await download(page, 'download', 'private-back.db');
  assert.equal(fixture('same', original, back).trim(), 'same', 'undone to the file as chosen, byte for byte');
  assert.deepEqual(await storedFiles(page), [], 'still nothing in the private storage');
  await page.close();
});

test('private-window pages made no request outside the origin and logged no error', assertClean);
