// End-to-end tests of issue 13's served page offline: after one visit its service worker
// (src/web/assets/service-worker.js, with the build's files listed by scripts/service-worker.mjs)
// keeps the whole build, so the page reloads with the network off and the server gone and does
// everything (a populated file upgraded to head as real Alembic does, download, undo). A new
// build is on the next load and replaces the kept one whole; a build whose files do not match
// their list is never kept. The manifest makes the page installable.
//
// Serves a copy of dist/ (the test changes it to make "new builds").
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/offline.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  download, env, fixture, idle, openFile, openPage, root, scratch, screenshot, serve, start, stop, stopServing,
  visibleError, waitFor, waitForText,
} from './harness.mjs';

const BRANCHPOINT = 'b81d3e5f0a27';
const HEAD = '0a6c9e3f5b71';
const site = mkdtempSync(path.join(tmpdir(), 'content-db-site-'));
cpSync(path.join(root, 'dist'), site, { recursive: true });

before(() => start({ directory: site, serviceWorkers: 'allow' }));
after(async () => {
  await stop();
  rmSync(site, { recursive: true, force: true });
});

/** Marks the copy of dist/ as build `name` (in index.html) and lists its files again. */
function rebuild(name) {
  const index = path.join(site, 'index.html');
  const html = readFileSync(index, 'utf8').replace(/<meta name="test-build"[^>]*>/, '');
  writeFileSync(index, html.replace('<head>', `<head><meta name="test-build" content="${name}">`));
  execFileSync('node', [path.join(root, 'scripts/service-worker.mjs'), site]);
}

/** The test-build marker of the page shown, or null. */
const shownBuild = (page) => page.evaluate(() => document.querySelector('meta[name="test-build"]')?.content ?? null);

/** The caches the service worker keeps. */
const kept = (page) => page.evaluate(() => caches.keys());

/** The version in the service worker script the copy of dist/ serves now. */
function servedVersion() {
  return /"version": "([0-9a-f]+)"/.exec(readFileSync(path.join(site, 'service-worker.js'), 'utf8'))[1];
}

/** Waits until the page is controlled by an active service worker whose cache is `version`'s. */
async function controlledBy(page, version) {
  await waitFor(page, () => page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return Boolean(navigator.serviceWorker.controller) && !registration?.installing && !registration?.waiting;
  }), Boolean, 'an active service worker controlling the page');
  await waitFor(page, () => kept(page), (names) => names.length === 1 && names[0] === `content-db-${version}`,
    `only the cache of build ${version}`);
}

/** Reloads `page` and waits for the demo. */
async function reload(page) {
  await page.reload();
  await waitForText(page, 'current-revision', (text) => text.length > 0, 'the demo after the reload');
  await idle(page);
}

test('the manifest makes the page installable', async () => {
  const page = await openPage('o-install');
  await controlledBy(page, servedVersion());
  const cdp = await env.context.newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, [], 'the manifest parses');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'Chromium would offer to install it');
  await page.close();
});

test('a new build is on the next load and replaces the kept one; one whose files do not match is never kept', async () => {
  rebuild('one');
  const page = await openPage('o-builds');
  assert.equal(await shownBuild(page), 'one');
  await controlledBy(page, servedVersion());

  rebuild('two');
  const two = servedVersion();
  await reload(page);
  assert.equal(await shownBuild(page), 'two', 'the new build on the next load');
  await controlledBy(page, two);

  // A build whose worker script changed after its files were listed (as if the server was
  // half-way through an update): its service worker must not install, the kept build stays.
  rebuild('three');
  appendFileSync(path.join(site, 'worker-loader.js'), '\n// changed after the list was made\n');
  await reload(page);
  assert.equal(await shownBuild(page), 'three', 'online, the page is what the server has');
  await waitFor(page, () => page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return Boolean(registration) && !registration.installing && !registration.waiting;
  }), Boolean, 'the third service worker to give up');
  assert.deepEqual(await kept(page), [`content-db-${two}`], 'build two is still the one kept');
  await page.close();

  // Offline now: build two, whole.
  await stopServing();
  await env.context.setOffline(true);
  const offline = await env.context.newPage();
  offline.on('console', (message) => {
    if (message.type() === 'error') env.problems.push(`o-builds offline: ${message.text()}`);
  });
  await offline.goto(env.url);
  await waitForText(offline, 'current-revision', (text) => text.length > 0, 'the demo offline');
  assert.equal(await shownBuild(offline), 'two');
  await offline.close();
  await env.context.setOffline(false);
  env.origin = await serve(site);
  env.url = `${env.origin}/`;
});

test('after one visit, offline and without the server: open a populated file, upgrade to head as Alembic does, download, undo', async () => {
  const original = scratch('content.db');
  fixture('make', original, BRANCHPOINT);
  rebuild('online');
  const page = await openPage('o-offline');
  await controlledBy(page, servedVersion());

  await stopServing();
  await env.context.setOffline(true);
  const before = env.requests.length;
  await reload(page);
  assert.equal(await shownBuild(page), 'online');
  assert.equal(await page.getByTestId('demo-badge').isVisible(), true);
  await screenshot(page, 'o-1-offline-demo');

  await openFile(page, original, BRANCHPOINT);
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'head');
  await idle(page);
  const [, upgraded] = await download(page, 'download', 'offline-upgraded.db');
  assert.equal(JSON.parse(fixture('check', original, upgraded)).current, `${HEAD} (head)`);
  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === BRANCHPOINT, 'undo of the upgrade');
  await idle(page);
  const [, back] = await download(page, 'download', 'offline-undone.db');
  assert.equal(fixture('same', original, back).trim(), 'same', 'byte for byte the file as opened');
  assert.equal(await visibleError(page), null);
  await screenshot(page, 'o-2-offline-undone');

  const outside = env.requests.slice(before).filter((url) => !url.startsWith(env.origin) && !url.startsWith('blob:'));
  assert.deepEqual(outside, [], 'no request left the origin');
  assert.deepEqual(env.problems, [], 'console errors, CSP violations, uncaught exceptions');
  await page.close();
});
