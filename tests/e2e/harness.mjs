// Shared set-up for the end-to-end tests added with issue 3 (page.test.mjs keeps its own): serve
// dist/ on 127.0.0.1 (or open a page from disk), one headless Chromium, the fixture script with real Alembic, polling
// helpers, screenshots. Not a test file itself (node --test only runs *.test.mjs).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = process.env.CONTENT_DB_DIST ?? path.join(root, 'dist');
export const artifacts = path.join(root, 'tests/e2e/artifacts');
const venv = process.env.CONTENT_DB_VENV ?? path.join(root, '.venv');
const python = path.join(venv, 'bin/python');
const fixtureScript = path.join(root, 'tests/e2e/fixture.py');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const TIMEOUT_MS = 60_000;
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

/**
 * The state of one test file's browser: start with `start()`, end with `stop()`. `url` is the
 * page `openPage` opens: the served dist/ (`origin`/), or a file.
 */
export const env = {
  server: null, origin: null, url: null, browser: null, context: null, work: null, requests: [], problems: [], warnings: [],
};

/** Runs fixture.py with the venv's Python (paths made absolute: Alembic runs elsewhere). */
export function fixture(...args) {
  return execFileSync(python, [fixtureScript, ...args], { encoding: 'utf8' });
}

/**
 * Writes a generated ContentEngine database of about `sizeMb` MB at f17b8d2e4c90 to `file`
 * (examples/gen_content_db, deterministic: the release or debug build in the cargo target dir,
 * else built now).
 */
export function generate(file, sizeMb) {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
  let binary = ['release', 'debug'].map((profile) => path.join(target, profile, 'examples', 'gen_content_db'))
    .find((candidate) => existsSync(candidate));
  if (!binary) {
    execFileSync('cargo', ['build', '--release', '--example', 'gen_content_db'], { cwd: root, stdio: 'inherit' });
    binary = path.join(target, 'release', 'examples', 'gen_content_db');
  }
  execFileSync(binary, ['--size-mb', String(sizeMb), '--seed', '1', '-o', file]);
}

/** A path in this run's scratch directory. */
export function scratch(name) {
  return path.join(env.work, name);
}

/** Serves `directory` on 127.0.0.1 (a free port); resolves to its origin. */
export function serve(directory = dist) {
  return new Promise((resolve, reject) => {
    env.server = spawn('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '0', '--directory', directory], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    env.server.on('error', reject);
    env.server.stdout.on('data', (chunk) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    env.server.on('exit', (code) => reject(new Error(`http.server exited with ${code}`)));
  });
}

/** Stops serving (the served page's server goes away, as when the machine is offline). */
export async function stopServing() {
  const server = env.server;
  env.server = null;
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill();
    await exited;
  }
}

/**
 * Starts the browser on the served dist/, or, with `file`, on that page opened from disk (no
 * server). Service workers are blocked unless `serviceWorkers` is 'allow': a page they control
 * escapes `page.route` (the worker patches of storage.test.mjs), and only offline.test.mjs tests them.
 * With `privateWindow`, the pages open in a private (Incognito) window's context: no profile on
 * disk, and the origin-private file system kept in the browser's memory.
 */
export async function start({ file, directory, serviceWorkers = 'block', privateWindow = false } = {}) {
  assert.ok(file || existsSync(path.join(directory ?? dist, 'index.html')), 'dist/ is missing: run `bash scripts/test-e2e.sh`');
  assert.ok(existsSync(python), `${python} is missing: run \`bash scripts/setup.sh\``);
  mkdirSync(artifacts, { recursive: true });
  env.work = mkdtempSync(path.join(tmpdir(), 'content-db-e2e-'));
  if (file) {
    env.url = pathToFileURL(file).href;
  } else {
    env.origin = await serve(directory);
    env.url = `${env.origin}/`;
  }
  const launch = { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS };
  if (privateWindow) {
    env.browser = await chromium.launch(launch);
    env.context = await env.browser.newContext({ acceptDownloads: true, serviceWorkers });
  } else {
    env.context = await chromium.launchPersistentContext(path.join(env.work, 'profile'), {
      ...launch, acceptDownloads: true, serviceWorkers,
    });
  }
  env.context.on('request', (request) => env.requests.push(request.url()));
  // Chromium does not always log a Content-Security-Policy violation to the console (a refused
  // WebAssembly compile only rejects a promise): listen for the violation events themselves.
  await env.context.exposeFunction('reportCspViolation', (text) => env.problems.push(`CSP violation: ${text}`));
  await env.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      window.reportCspViolation(`${event.effectiveDirective} refused ${event.blockedURI || 'inline code'}`));
  });
}

export async function stop() {
  await env.context?.close();
  await env.browser?.close();
  await stopServing();
  if (env.work) rmSync(env.work, { recursive: true, force: true });
}

/**
 * The visible `error` text, or null. Read in one step in the page: asked in three (is there one,
 * is it visible, its text), an error that went away between them left the last one waiting 30 s
 * for it (CI saw it when loading migrations replaced an error).
 */
export async function visibleError(page) {
  return page.evaluate(() => {
    const error = document.querySelector('[data-testid="error"]');
    if (!error) return null;
    const box = error.getBoundingClientRect();
    const shown = box.width > 0 && box.height > 0 && error.checkVisibility({ visibilityProperty: true });
    return shown ? error.textContent.trim() : null;
  });
}

/**
 * content-db/ in the origin's OPFS, read from the page: { session dir: { file: size } }. A
 * folder or file removed while it is being listed (a new tab cleaning up after a closed one, a
 * worker dropping a file) is left out: it is gone.
 */
export async function listing(page) {
  return page.evaluate(async () => {
    const gone = (error) => {
      if (error.name !== 'NotFoundError') throw error;
    };
    const root = await navigator.storage.getDirectory();
    let app;
    try {
      app = await root.getDirectoryHandle('content-db');
    } catch {
      return {};
    }
    const out = {};
    for await (const [name, handle] of app.entries()) {
      if (handle.kind !== 'directory') continue;
      try {
        const files = {};
        for await (const [file, fileHandle] of handle.entries()) {
          try {
            files[file] = (await fileHandle.getFile()).size;
          } catch (error) {
            gone(error);
          }
        }
        out[name] = files;
      } catch (error) {
        gone(error);
      }
    }
    return out;
  });
}

/** The names of the non-empty files of one session directory. */
export const stored = (list, dir) => Object.entries(list[dir] ?? {}).filter(([, size]) => size > 0).map(([name]) => name);

/** Polls `testId`'s text until `accept(text)`. */
export async function waitForText(page, testId, accept, what) {
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
  throw new Error(`timed out waiting for ${what}; ${testId} was ${JSON.stringify(last)}; error: ${await visibleError(page)}`);
}

/** Waits until the worker is idle again (the status line is not busy). */
export async function idle(page) {
  await page.waitForSelector('[data-testid="status"][aria-busy="false"]', { timeout: TIMEOUT_MS });
}

/**
 * Waits until the overview's integrity check and row counts (their own request to the worker,
 * sent after every change of the database) are shown: `integrity` stops being aria-busy.
 */
export async function overviewChecked(page) {
  await page.waitForSelector('[data-testid="integrity"][aria-busy="false"]', { timeout: TIMEOUT_MS });
  await page.waitForSelector('[data-testid="table-counts"][aria-busy="false"]', { timeout: TIMEOUT_MS });
}

/** A new page on the app, with the demo loaded; `workerPatch` is script its worker runs first. */
export async function openPage(name, { workerPatch } = {}) {
  const page = await env.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') env.problems.push(`${name}: ${message.text()}`);
    if (message.type() === 'warning') env.warnings.push(`${name}: ${message.text()}`);
  });
  page.on('pageerror', (error) => env.problems.push(`${name}: uncaught ${error.message}`));
  // The worker's own script is a request of the page too.
  page.on('worker', (worker) => env.requests.push(worker.url()));
  if (workerPatch) {
    // Script run in the worker before its own (e.g. to take a browser API away).
    await page.route('**/worker-loader.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: `${workerPatch}\n${await response.text()}` });
    });
  }
  await page.goto(env.url);
  await waitForText(page, 'current-revision', (text) => text.length > 0, 'the demo');
  await idle(page);
  return page;
}

/** Opens the file at `file` through the picker and waits for its revision. */
export async function openFile(page, file, revision) {
  await page.getByTestId('open-file').setInputFiles(file);
  await waitForText(page, 'file-name', (text) => text === path.basename(file), `${file} open`);
  await idle(page);
  if (revision !== undefined) {
    assert.equal((await page.getByTestId('current-revision').textContent()).trim(), revision);
  }
}

/**
 * Drops the file at `file` on the drop zone (a real DataTransfer carrying a File named
 * `basename(file)`) and waits for it to be open.
 */
export async function dropFile(page, file) {
  const name = path.basename(file);
  const transfer = await page.evaluateHandle(([data, fileName]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], fileName));
    return dt;
  }, [[...readFileSync(file)], name]);
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
  await waitForText(page, 'file-name', (text) => text === name, `${name} dropped`);
  await idle(page);
}

/** Clicks `testId` and saves the download it starts; returns [suggested name, saved path]. */
export async function download(page, testId, saveAs) {
  const [event] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const saved = scratch(saveAs);
  await event.saveAs(saved);
  await idle(page);
  return [event.suggestedFilename(), saved];
}

/** The page's views, in the order of their tabs (each tab is `view-NAME`, its panel `#panel-NAME`). */
export const VIEWS = ['overview', 'migrate', 'schema', 'data'];

/**
 * Shows the view `name` (`overview`, `migrate`, `schema` or `data`) by clicking its tab, as a
 * user would, and waits until its panel is shown. The header (file, revision, upgrade, undo,
 * download, status) and the file input work from every view; other elements only in theirs.
 */
export async function showView(page, name) {
  await page.getByTestId(`view-${name}`).click();
  await page.waitForSelector(`#panel-${name}:not([hidden])`, { timeout: TIMEOUT_MS });
}

/**
 * The badges (and ids) of the revision graph's rows that reach past their fixed-height row, as
 * `"<revision> <badge>"`: cut off on screen.
 */
export async function clippedBadges(page) {
  return page.evaluate(() => [...document.querySelectorAll('.history-list .revision-row')]
    .flatMap((row) => {
      const box = row.getBoundingClientRect();
      return [...row.querySelectorAll('.mark, .revision-id')]
        .filter((mark) => { const r = mark.getBoundingClientRect(); return r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5; })
        .map((mark) => `${row.parentElement.dataset.revision} ${mark.textContent}`);
    }));
}

/** Shows the Migrate view, types `target` into migrate-target, presses Enter and waits for the preview. */
export async function preview(page, target, { stamp = false } = {}) {
  await showView(page, 'migrate');
  await page.getByTestId('migrate-target').fill(target);
  const box = page.getByTestId('stamp-only');
  if ((await box.isChecked()) !== stamp) await box.click();
  await page.getByTestId('migrate-target').press('Enter');
  await idle(page);
}

/** Previews the migration to `target`, applies it and waits until `current-revision` shows `shown`. */
export async function apply(page, target, shown) {
  await preview(page, target);
  await page.getByTestId('apply').click();
  await waitForText(page, 'current-revision', (text) => text === shown, shown);
  await idle(page);
}

/** Clicks `undo` and waits until `current-revision` shows `shown` and the worker is idle. */
export async function undo(page, shown) {
  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === shown, `undo to ${shown}`);
  await idle(page);
}

/** Saves a screenshot (the whole page unless `fullPage` is false) to tests/e2e/artifacts/NAME.png. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage });
}

/** Polls `read()` until `accept(value)`; names what it waited for when it times out. */
export async function waitFor(page, read, accept, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  let last;
  while (Date.now() < deadline) {
    last = await read();
    if (accept(last)) return last;
    const error = await visibleError(page);
    if (error?.includes('worker stopped')) throw new Error(`waiting for ${what}: ${error}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(last)}; error: ${await visibleError(page)}`);
}

/** Asserts that no page logged an error or broke the CSP, and no request left the origin. */
export function assertClean() {
  assert.deepEqual(env.problems, [], 'console errors (CSP violations, uncaught exceptions)');
  const outside = env.requests.filter(
    (url) => !url.startsWith(`${env.origin}/`) && !url.startsWith(`blob:${env.origin}/`));
  assert.deepEqual(outside, [], 'requests outside the served origin');
}
