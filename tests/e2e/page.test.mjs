// End-to-end test of the page in Chromium with playwright-core (no Playwright browser download:
// the system's /usr/bin/chromium). Serves dist/ (built by scripts/test-e2e.sh) on 127.0.0.1,
// drives the public data-testid contract, and checks the downloaded file with real Alembic
// (tests/e2e/fixture.py). Every network request is recorded: none may leave the served origin.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertClean, env, fixture, openPage, scratch, screenshot, start, stop, visibleError, waitForText,
} from './harness.mjs';

const OLDER_REVISION = 'b81d3e5f0a27'; // the branchpoint: upgrading runs both branches and the merge

before(start);
after(stop);

test('the built-in demo database shows on load, behind head', async () => {
  const page = await openPage('demo');
  const revision = await waitForText(page, 'current-revision', (text) => /^[0-9a-f]{12}( [0-9a-f]{12})*$/.test(text),
    'the demo revision');
  const head = fixture('head').trim();
  assert.notEqual(revision, head, 'the demo is at an older revision');
  assert.equal(await page.getByTestId('demo-badge').isVisible(), true);
  assert.match(await page.getByTestId('file-name').first().textContent(), /\.db$/);
  assert.equal(await page.getByTestId('upgrade-head').isEnabled(), true);
  assert.equal(await visibleError(page), null);
  await screenshot(page, '1-demo');

  // Keyboard only: Tab reaches the upgrade button and Enter runs it.
  const upgradeFocused = page.locator('[data-testid="upgrade-head"]:focus');
  for (let presses = 0; presses < 10 && (await upgradeFocused.count()) === 0; presses += 1) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await upgradeFocused.count(), 1, 'Tab reaches the upgrade button');
  await page.keyboard.press('Enter');
  await waitForText(page, 'current-revision', (text) => text === head, `the demo upgraded to ${head}`);
  assert.ok((await page.getByTestId('step-log').locator('li').count()) > 0, 'the steps are listed');
  await page.close();
});

test('a populated file at an older revision opens, upgrades to head and downloads', async () => {
  const original = scratch('content.db');
  const made = JSON.parse(fixture('make', original, OLDER_REVISION));
  assert.equal(made.revision, OLDER_REVISION);
  const page = await openPage('upgrade');
  await waitForText(page, 'current-revision', (text) => text.length > 0, 'the demo');

  await page.getByTestId('open-file').setInputFiles(original);
  await waitForText(page, 'current-revision', (text) => text === OLDER_REVISION, `revision ${OLDER_REVISION}`);
  assert.equal((await page.getByTestId('file-name').first().textContent()).trim(), 'content.db');
  assert.equal(await page.getByTestId('demo-badge').count(), 0);
  await screenshot(page, '2-opened');

  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === made.head, `head ${made.head}`);
  const log = (await page.getByTestId('step-log').locator('li').allTextContents()).map((line) => line.trim());
  assert.deepEqual(log, made.upgrade_log, 'the same steps, in the same order and words, as real Alembic');
  assert.equal(await page.getByTestId('upgrade-head').isEnabled(), false, 'nothing left to upgrade');
  await screenshot(page, '3-upgraded');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  assert.equal(download.suggestedFilename(), 'content.db', 'downloaded under the name it was opened with');
  const downloaded = scratch('downloaded.db');
  await download.saveAs(downloaded);
  const verdict = JSON.parse(fixture('check', original, downloaded));
  assert.equal(verdict.current, `${made.head} (head)`);
  assert.match(verdict.check, /No new upgrade operations detected/);
  await waitForText(page, 'status', (text) => text.includes('content.db'), 'the download status');
  await screenshot(page, '4-downloaded');
  await page.close();
});

test('a garbage file and an unknown revision show a specific error; the page stays usable', async () => {
  const page = await openPage('errors');
  const demo = await waitForText(page, 'current-revision', (text) => text.length > 0, 'the demo');

  await page.getByTestId('open-file').setInputFiles({
    name: 'notes.db',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('These are my notes, not a database.\n'.repeat(200)),
  });
  await waitForText(page, 'error', (text) => text.includes('notes.db'), 'an error about notes.db');
  const error = await visibleError(page);
  assert.match(error, /not a SQLite database/);
  assert.equal((await page.getByTestId('current-revision').textContent()).trim(), demo, 'the demo stays open');
  await screenshot(page, '5-garbage');

  const unknown = scratch('future.db');
  fixture('make-unknown', unknown);
  await page.getByTestId('open-file').setInputFiles(unknown);
  await waitForText(page, 'current-revision', (text) => text === 'fedcba987654', 'the unknown revision');
  assert.match(await visibleError(page), /fedcba987654/);
  assert.equal(await page.getByTestId('upgrade-head').isEnabled(), false);
  await screenshot(page, '6-unknown-revision');

  // Still usable: a good file opens and clears the error.
  const good = scratch('good.db');
  fixture('make', good, OLDER_REVISION);
  await page.getByTestId('open-file').setInputFiles(good);
  await waitForText(page, 'current-revision', (text) => text === OLDER_REVISION, 'the good file');
  assert.equal(await visibleError(page), null, 'the error is gone');
  assert.equal(await page.getByTestId('upgrade-head').isEnabled(), true);
  await page.close();
});

test('no request left the served origin, and nothing broke the Content-Security-Policy', () => {
  // The worker's own fetches are recorded too, so the check below covers it.
  for (const file of ['worker-loader.js', 'web-worker_bg.wasm']) {
    assert.ok(env.requests.includes(`${env.origin}/${file}`), `the request for ${file} was recorded`);
  }
  assertClean();
});
