// End-to-end tests of files larger than the page used to refuse (issue 16): a chosen file of
// any size opens (only the pages SQLite needs are read), and a change that would not fit in
// the worker's memory is refused before it starts, naming the CLI command that does it. The
// room is made small through the worker's global CONTENT_DB_MEMORY_LEFT (bytes of memory taken
// as all that is left). The multi-gigabyte run is benches/big_file.mjs (BENCHMARKS.md).
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/big-file.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import {
  env, fixture, idle, openFile, openPage, preview, scratch, screenshot, showView, start, stop,
  waitForText,
} from './harness.mjs';

const MERGE = 'e9a4c6b1d358';
const CHAT = 'f17b8d2e4c90';

before(start);
after(stop);

test('a file over 1 GiB opens, takes a cheap step, and a rebuild that would not fit is refused up front', async () => {
  const file = scratch('big.db');
  fixture('make', file, MERGE);
  fixture('pad', file, '1030');
  const size = statSync(file).size;
  assert.ok(size > 2 ** 30, `the file is over 1 GiB (${size} bytes)`);
  // 1 MiB left: less than any copy of a table needs with its margin.
  const page = await openPage('b-big', { workerPatch: `self.CONTENT_DB_MEMORY_LEFT = ${2 ** 20};` });
  const requestsBefore = env.requests.length;
  await openFile(page, file, MERGE);
  assert.match(await page.getByTestId('file-size').textContent(), new RegExp(`${size} bytes`));

  // f17b8d2e4c90 only creates a table and its index: it runs in any room.
  await preview(page, CHAT);
  await page.getByTestId('apply').click();
  await waitForText(page, 'current-revision', (text) => text === CHAT, 'the cheap step');
  await idle(page);

  // The posts rebuild copies a table: refused before anything runs, with the CLI command.
  await page.getByTestId('upgrade-head').click();
  const message = await waitForText(page, 'error', (text) => text.length > 0, 'the refusal');
  assert.match(message, /^upgrading big\.db to heads would need about .* and only 1\.0 MiB is left/);
  assert.match(message, /Nothing was changed\./);
  assert.match(message, /`content-db --db big\.db upgrade heads`/);
  assert.equal((await page.getByTestId('current-revision').textContent()).trim(), CHAT);
  assert.equal((await page.getByTestId('upgrade-summary').textContent()).trim(),
    'Stopped before any step completed: nothing was changed.');
  await screenshot(page, 'b-1-refused');
  // Nothing but the app's own worker files, for the background checker (worker/checker.rs):
  // the file itself is never sent anywhere.
  const since = env.requests.slice(requestsBefore);
  const own = (url) => url.startsWith(env.origin) && /\/(worker-loader\.js|web-worker\.js|web-worker_bg\.wasm)$/.test(url);
  assert.deepEqual(since.filter((url) => !own(url)), [], 'nothing else is fetched');
  await page.close();
});
