// End-to-end test of issue 13's single file: package/content-db.html (scripts/single-file.mjs,
// built by scripts/test-e2e.sh and scripts/package.sh) opened from disk (file://) with no
// server, every network request refused and the browser offline. It must do what the served
// page does: the demo, drop a populated file, upgrade to head (checked with real Alembic),
// download, undo back to the exact bytes; within its Content-Security-Policy, and in at most 2 MiB.
//
// run: bash scripts/test-e2e.sh   (or, with package/ built: node --test tests/e2e/single-file.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  download, dropFile, env, fixture, idle, openFile, openPage, root, scratch, screenshot, start, stop, visibleError,
  waitForText,
} from './harness.mjs';

const BRANCHPOINT = 'b81d3e5f0a27';
const HEAD = '0a6c9e3f5b71';
const PACKAGE = process.env.CONTENT_DB_PACKAGE ?? path.join(root, 'package/content-db.html');
const MAX_BYTES = 2 * 1024 * 1024;

/** Every request the browser tried that the route refused. */
const refused = [];

before(async () => {
  assert.ok(existsSync(PACKAGE), `${PACKAGE} is missing: run \`bash scripts/test-e2e.sh\` or \`bash scripts/package.sh\``);
  await start({ file: PACKAGE });
  // Everything but the page file itself (which Playwright routes too) is refused.
  await env.context.route((url) => url.href !== env.url, async (route) => {
    refused.push(route.request().url());
    await route.abort('internetdisconnected');
  });
  await env.context.setOffline(true);
});
after(stop);

test('the file weighs at most 2 MiB and allows no connection, no script but its own', () => {
  const bytes = statSync(PACKAGE).size;
  assert.ok(bytes <= MAX_BYTES, `${bytes} bytes`);
  const html = readFileSync(PACKAGE, 'utf8');
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(policy, 'a Content-Security-Policy');
  const directives = Object.fromEntries(policy.split(';').map((part) => part.trim().split(/\s+/))
    .map(([name, ...values]) => [name, values]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['connect-src'], ["'none'"]);
  assert.deepEqual(directives['worker-src'], ['blob:']);
  const scripts = directives['script-src'];
  const inline = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((match) => match[1]);
  assert.equal(inline.length, 1, 'one inline script');
  const hash = `'sha256-${createHash('sha256').update(inline[0]).digest('base64')}'`;
  assert.deepEqual(scripts, [hash, "'wasm-unsafe-eval'"], 'the inline script is the one the policy allows');
});

test('from disk, offline: the demo, a dropped populated file upgraded to head as Alembic does, download, undo, open again', async () => {
  const original = scratch('content.db');
  fixture('make', original, BRANCHPOINT);
  const workers = [];
  env.context.on('page', (page) => page.on('worker', (worker) => workers.push(worker.url())));

  const page = await openPage('f-single-file');
  assert.ok(page.url().startsWith('file://'), page.url());
  assert.ok(workers.length > 0 && workers.every((url) => url.startsWith('blob:')), `worker from a Blob: ${workers}`);
  assert.equal(await page.getByTestId('demo-badge').isVisible(), true);
  await screenshot(page, 'f-1-demo');

  // Dropped on the page, as a user would from a file manager.
  await dropFile(page, original);
  assert.equal((await page.getByTestId('current-revision').textContent()).trim(), BRANCHPOINT);
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'head');
  await idle(page);
  const [name, upgraded] = await download(page, 'download', 'single-file-upgraded.db');
  assert.equal(name, 'content.db');
  const verdict = JSON.parse(fixture('check', original, upgraded));
  assert.equal(verdict.current, `${HEAD} (head)`);
  await screenshot(page, 'f-2-upgraded');

  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === BRANCHPOINT, 'undo of the upgrade');
  await idle(page);
  const [, back] = await download(page, 'download', 'single-file-undone.db');
  assert.equal(fixture('same', original, back).trim(), 'same', 'byte for byte the file as opened');
  assert.equal(await visibleError(page), null, 'no alarm about storage the file:// page lacks');

  // The download opens again through the file picker, at head.
  await openFile(page, upgraded, HEAD);
  await page.close();
});

test('no request was made and nothing broke the Content-Security-Policy', () => {
  assert.deepEqual(refused, [], 'requests the route refused');
  const other = env.requests.filter((url) => url !== env.url && !url.startsWith('blob:') && !url.startsWith('data:'));
  assert.deepEqual(other, [], 'requests other than the page itself');
  assert.deepEqual(env.problems, [], 'console errors, CSP violations, uncaught exceptions');
});
