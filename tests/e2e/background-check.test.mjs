// End-to-end tests of the overview's checks of a large chosen file (issue 16): they run in a
// second worker (worker/checker.rs), so the page answers meanwhile; `integrity` tells how far
// they are; `stop-check` ends them (and the checker's files in the private storage), the file
// still migrates and downloads right (the quick check it owes runs first), and `check-again`
// runs them again; a checker that fails hands its checks back to the page's worker. The checker
// is slowed down here by its worker name so there is time to act.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/background-check.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import {
  apply, assertClean, download, fixture, generate, openFile, openPage, preview, scratch, showView, start, stop, visibleError,
  waitFor, waitForText,
} from './harness.mjs';

const FROM = 'f17b8d2e4c90';
const HEAD = '0a6c9e3f5b71';
/**
 * The page's worker hands the overview request to its checker 4 s late (a patch of
 * Worker.prototype.postMessage in the page's worker: the checker is the only worker it posts to),
 * so the check lasts long enough to act meanwhile, however fast the machine.
 */
const SLOW_CHECKER = `const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (envelope, transfer) {
  if (envelope && envelope.message && envelope.message.kind === 'Overview') {
    setTimeout(() => post.call(this, envelope, transfer), 4000);
    return;
  }
  return post.call(this, envelope, transfer);
};`;

/**
 * The page's worker starts its checker from a script that throws at once (a Blob URL in place of
 * the worker's own script), as a checker whose script fails to load or run does.
 */
const CHECKER_THROWS = `if (self.name !== 'content-db-checker') {
  const RealWorker = Worker;
  self.Worker = function (url, options) {
    if (options && options.name === 'content-db-checker') {
      url = URL.createObjectURL(new Blob(["throw new Error('the checker broken by the test');"], { type: 'text/javascript' }));
    }
    return new RealWorker(url, options);
  };
  self.Worker.prototype = RealWorker.prototype;
}`;

/** Records every text `integrity` shows from now on, in the page (`window.__integrityTexts`). */
function recordIntegrity(page) {
  return page.evaluate(() => {
    window.__integrityTexts = [];
    const seen = () => {
      const text = document.querySelector('[data-testid="integrity"]')?.textContent ?? '';
      if (window.__integrityTexts.at(-1) !== text) window.__integrityTexts.push(text);
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

before(start);
after(stop);

/** The session directories under content-db/ in the origin's private storage. */
function sessionDirs(page) {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const names = [];
    try {
      for await (const name of (await root.getDirectoryHandle('content-db')).keys()) names.push(name);
    } catch { /* none yet */ }
    return names.sort();
  });
}

/** The files of each session directory with their sizes: { dir: { file: size } }. */
function sessionFiles(page) {
  return page.evaluate(async () => {
    const out = {};
    try {
      const app = await (await navigator.storage.getDirectory()).getDirectoryHandle('content-db');
      for await (const [dir, handle] of app.entries()) {
        out[dir] = {};
        for await (const [name, file] of handle.entries()) {
          try { out[dir][name] = (await file.getFile()).size; } catch { /* open elsewhere, or gone */ }
        }
      }
    } catch { /* none, or removed meanwhile */ }
    return out;
  });
}

test('a large file is checked in the background: progress shows, the page answers meanwhile, stop ends the check and its files, check again finds the file sound, and it migrates and downloads right', async () => {
  const original = scratch('background.db');
  generate(original, 40);
  const page = await openPage('bg-check', { workerPatch: SLOW_CHECKER });
  const before = await waitFor(page, () => sessionDirs(page), (dirs) => dirs.length > 0, 'the worker\'s own directory');
  await recordIntegrity(page);
  await openFile(page, original, FROM);
  const withChecker = await waitFor(page, () => sessionDirs(page), (dirs) => dirs.length > before.length, 'the checker\'s directory');

  // The page answers while the file is checked.
  await preview(page, 'head');
  assert.equal(await page.getByTestId('integrity').getAttribute('aria-busy'), 'true', 'the preview came while the check runs');

  await showView(page, 'overview');
  await page.getByTestId('stop-check').click();
  await waitForText(page, 'integrity', (text) => text === 'not checked: stopped', 'the check stopped');
  assert.equal(await page.getByTestId('integrity').getAttribute('aria-busy'), 'false');
  await waitFor(page, () => sessionDirs(page), (dirs) => dirs.length === before.length, 'the checker\'s files removed');
  assert.ok(withChecker.length > before.length);

  await page.getByTestId('check-again').click();
  await waitForText(page, 'integrity', (text) => text.startsWith('checking'), 'checking again');
  await waitForText(page, 'integrity', (text) => text === 'ok', 'the file found sound');
  // The checker read the file through its own copy in the private storage (its folder is
  // removed a second after it ends): the whole file is there.
  const files = await sessionFiles(page);
  const copies = Object.entries(files).filter(([dir]) => !before.includes(dir))
    .flatMap(([, inside]) => Object.values(inside));
  assert.ok(copies.includes(statSync(original).size), `the checker's copy of the whole file: ${JSON.stringify(files)}`);
  const texts = await page.evaluate(() => window.__integrityTexts);
  assert.ok(texts.some((text) => /^checking… \d+ %$/.test(text)), `the check's progress shown: ${JSON.stringify(texts)}`);
  await page.waitForSelector('[data-testid="table-counts"][aria-busy="false"]');
  await waitFor(page, () => sessionDirs(page), (dirs) => dirs.length === before.length, 'the finished checker\'s files removed');

  await apply(page, 'head', HEAD);
  const [, up] = await download(page, 'download', 'background-up.db');
  fixture('check', original, up); // exits non-zero (throws) unless it is what Alembic makes
  await page.close();
});

test('stopped, a large file still gets its quick check before it is migrated, and migrates right', async () => {
  const original = scratch('stopped.db');
  generate(original, 40);
  const page = await openPage('bg-stopped', { workerPatch: SLOW_CHECKER });
  await openFile(page, original, FROM);
  await page.getByTestId('stop-check').click();
  await waitForText(page, 'integrity', (text) => text === 'not checked: stopped', 'the check stopped');
  await apply(page, 'head', HEAD);
  // A new state: its overview is checked again (here, in the page's own worker).
  await waitForText(page, 'integrity', (text) => text === 'ok', 'the upgraded file checked');
  const [, up] = await download(page, 'download', 'stopped-up.db');
  fixture('check', original, up);
  await page.close();
});

test('a checker that fails leaves the page working: the checks run in the page\'s own worker, and the file migrates right', async () => {
  // The checker's error once reached the page as its own worker's, which then showed "stopped:
  // reload the page" (seen in CI when a checker ended while its script still loaded).
  const original = scratch('broken-checker.db');
  generate(original, 40);
  const page = await openPage('bg-broken', { workerPatch: CHECKER_THROWS });
  const warnings = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  await openFile(page, original, FROM);
  await waitForText(page, 'integrity', (text) => text === 'ok', 'the file checked here instead');
  assert.equal(await visibleError(page), null);
  assert.equal((await page.getByTestId('status').textContent()).trim(), 'Ready.');
  assert.ok(warnings.some((text) => text.includes('the background check could not run') && text.includes('the checker broken by the test')),
    `the reason in the console: ${JSON.stringify(warnings)}`);
  await apply(page, 'head', HEAD);
  const [, up] = await download(page, 'download', 'broken-checker-up.db');
  fixture('check', original, up);
  await page.close();
});

test('background check pages made no request outside the origin and logged no error', assertClean);
