// Shared set-up of the end-to-end tests that came after page.test.mjs (history, inspect): serve
// dist/ on 127.0.0.1, run the system Chromium through playwright-core, record every request and
// every console error / CSP violation, and run tests/e2e/fixture.py (real Alembic). Not a test
// file itself (node --test only picks up *.test.mjs).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
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

/** Runs fixture.py with the venv's Python; returns its stdout. */
export function fixture(...args) {
  return execFileSync(python, [fixtureScript, ...args], { encoding: 'utf8' });
}

/** Registers before/after hooks for one test file; returns the live session. */
export function useBrowser() {
  const session = { requests: [], consoleProblems: [], work: null, origin: null, context: null, server: null };

  session.openPage = async (name, { width = 1280, height = 900 } = {}) => {
    const page = await session.context.newPage();
    await page.setViewportSize({ width, height });
    page.on('console', (message) => {
      if (message.type() === 'error') session.consoleProblems.push(`${name}: ${message.text()}`);
    });
    page.on('pageerror', (error) => session.consoleProblems.push(`${name}: uncaught ${error.message}`));
    page.on('worker', (worker) => session.requests.push(worker.url()));
    await page.goto(`${session.origin}/`);
    return page;
  };

  before(async () => {
    assert.ok(existsSync(path.join(dist, 'index.html')), 'dist/ is missing: run `bash scripts/test-e2e.sh`');
    mkdirSync(artifacts, { recursive: true });
    session.work = mkdtempSync(path.join(tmpdir(), 'content-db-e2e-'));
    session.origin = await new Promise((resolve, reject) => {
      session.server = spawn('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '0', '--directory', dist], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      session.server.on('error', reject);
      session.server.stdout.on('data', (chunk) => {
        const match = /port (\d+)/.exec(chunk.toString());
        if (match) resolve(`http://127.0.0.1:${match[1]}`);
      });
    });
    session.context = await chromium.launchPersistentContext(path.join(session.work, 'profile'), {
      executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true,
    });
    session.context.on('request', (request) => session.requests.push(request.url()));
    await session.context.exposeFunction('reportCspViolation', (text) =>
      session.consoleProblems.push(`CSP violation: ${text}`));
    await session.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        window.reportCspViolation(`${event.effectiveDirective} refused ${event.blockedURI || 'inline code'}`));
    });
  });

  after(async () => {
    await session.context?.close();
    session.server?.kill();
    if (session.work) rmSync(session.work, { recursive: true, force: true });
  });

  return session;
}

/** The text of the visible `error` element, or null. */
export async function visibleError(page) {
  const locator = page.getByTestId('error');
  return (await locator.count()) > 0 && (await locator.isVisible()) ? (await locator.textContent()).trim() : null;
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

/** Polls the text of the first element with `testId`. */
export function waitForText(page, testId, accept, what) {
  const locator = page.getByTestId(testId);
  return waitFor(page, async () => ((await locator.count()) > 0 ? (await locator.first().textContent()).trim() : undefined),
    (text) => text !== undefined && accept(text), what);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** Opens `file` through the `open-file` input and waits until `current-revision` reads `revision`. */
export async function openFile(page, file, revision) {
  await waitForText(page, 'current-revision', (text) => text.length > 0, 'the demo');
  await page.getByTestId('open-file').setInputFiles(file);
  await waitForText(page, 'current-revision', (text) => text === revision, `revision ${revision}`);
}

/** Asserts that no request left the origin and nothing broke the CSP. */
export function assertClean(session) {
  assert.deepEqual(session.consoleProblems, [], 'console errors (CSP violations, uncaught exceptions)');
  const outside = session.requests.filter(
    (url) => !url.startsWith(`${session.origin}/`) && !url.startsWith(`blob:${session.origin}/`));
  assert.deepEqual(outside, [], 'requests outside the served origin');
}
