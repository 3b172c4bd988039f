// End-to-end test of the page in Chromium with playwright-core (no Playwright browser download:
// the system's /usr/bin/chromium). Serves dist/ (built by scripts/test-e2e.sh) on 127.0.0.1,
// drives the public data-testid contract, and checks the downloaded file with real Alembic
// (tests/e2e/fixture.py). Every network request is recorded: none may leave the served origin.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = process.env.CONTENT_DB_DIST ?? path.join(root, 'dist');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const venv = process.env.CONTENT_DB_VENV ?? path.join(root, '.venv');
const python = path.join(venv, 'bin/python');
const fixtureScript = path.join(root, 'tests/e2e/fixture.py');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OLDER_REVISION = 'b81d3e5f0a27'; // the branchpoint: upgrading runs both branches and the merge
const TIMEOUT_MS = 60_000;

// Chromium as root, and never reaching for the (closed) network by itself.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

let server;
let origin;
let context;
let work;
const requests = [];
const consoleProblems = [];

/** Runs fixture.py with the venv's Python; returns its stdout. */
function fixture(...args) {
  return execFileSync(python, [fixtureScript, ...args], { encoding: 'utf8' });
}

/** Serves dist/ on a free port of 127.0.0.1; resolves with the origin. */
function serveDist() {
  return new Promise((resolve, reject) => {
    server = spawn('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '0', '--directory', dist], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.on('error', reject);
    server.stdout.on('data', (chunk) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    server.on('exit', (code) => reject(new Error(`http.server exited with ${code}`)));
  });
}

/** Polls the text of the element with `testId` until `accept(text)`; names what it waited for. */
async function waitForText(page, testId, accept, what) {
  const locator = page.getByTestId(testId);
  const deadline = Date.now() + TIMEOUT_MS;
  let last;
  while (Date.now() < deadline) {
    last = (await locator.count()) > 0 ? (await locator.first().textContent()).trim() : undefined;
    if (last !== undefined && accept(last)) return last;
    const error = await visibleError(page);
    if (error?.includes('worker stopped')) throw new Error(`waiting for ${what}: ${error}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const error = await visibleError(page);
  throw new Error(`timed out waiting for ${what}; ${testId} was ${JSON.stringify(last)}; error: ${error}`);
}

/** The text of the visible `error` element, or null. */
async function visibleError(page) {
  const locator = page.getByTestId('error');
  return (await locator.count()) > 0 && (await locator.isVisible()) ? (await locator.textContent()).trim() : null;
}

async function openPage(name) {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleProblems.push(`${name}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleProblems.push(`${name}: uncaught ${error.message}`));
  page.on('worker', (worker) => requests.push(worker.url()));
  await page.goto(`${origin}/`);
  return page;
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

before(async () => {
  assert.ok(existsSync(path.join(dist, 'index.html')), 'dist/ is missing: run `bash scripts/test-e2e.sh`');
  assert.ok(existsSync(python), `${python} is missing: run \`bash scripts/setup.sh\``);
  mkdirSync(artifacts, { recursive: true });
  work = mkdtempSync(path.join(tmpdir(), 'content-db-e2e-'));
  origin = await serveDist();
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
  });
  context.on('request', (request) => requests.push(request.url()));
  // Chromium does not always log a Content-Security-Policy violation to the console (a refused
  // WebAssembly compile only rejects a promise): listen for the violation events themselves.
  await context.exposeFunction('reportCspViolation', (text) => consoleProblems.push(`CSP violation: ${text}`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      window.reportCspViolation(`${event.effectiveDirective} refused ${event.blockedURI || 'inline code'}`));
  });
});

after(async () => {
  await context?.close();
  server?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

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
  const original = path.join(work, 'content.db');
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
  const downloaded = path.join(work, 'downloaded.db');
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

  const unknown = path.join(work, 'future.db');
  fixture('make-unknown', unknown);
  await page.getByTestId('open-file').setInputFiles(unknown);
  await waitForText(page, 'current-revision', (text) => text === 'fedcba987654', 'the unknown revision');
  assert.match(await visibleError(page), /fedcba987654/);
  assert.equal(await page.getByTestId('upgrade-head').isEnabled(), false);
  await screenshot(page, '6-unknown-revision');

  // Still usable: a good file opens and clears the error.
  const good = path.join(work, 'good.db');
  fixture('make', good, OLDER_REVISION);
  await page.getByTestId('open-file').setInputFiles(good);
  await waitForText(page, 'current-revision', (text) => text === OLDER_REVISION, 'the good file');
  assert.equal(await visibleError(page), null, 'the error is gone');
  assert.equal(await page.getByTestId('upgrade-head').isEnabled(), true);
  await page.close();
});

test('no request left the served origin, and nothing broke the Content-Security-Policy', () => {
  assert.deepEqual(consoleProblems, [], 'console errors (CSP violations, uncaught exceptions)');
  // The worker's own fetches are recorded too, so the check below covers it.
  for (const file of ['worker-loader.js', 'web-worker_bg.wasm']) {
    assert.ok(requests.includes(`${origin}/${file}`), `the request for ${file} was recorded`);
  }
  const outside = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`));
  assert.deepEqual(outside, [], 'requests outside the served origin');
});
