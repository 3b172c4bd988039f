// The History section: the revision graph with its marks for a file at a known revision and for
// a two-head file (both branches applied, made by real Alembic), the "loses data" badges, the
// SQL of a selected revision, and clicking a revision filling `migrate-target`.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/history.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  artifacts, assertClean, clippedBadges, fixture, openFile, openPage, scratch, screenshot, showView, start, stop,
  waitFor,
} from './harness.mjs';

before(start);
after(stop);
const ALL = ['0a6c9e3f5b71', 'f17b8d2e4c90', 'e9a4c6b1d358', 'c3e7a1d9f482', 'd5f0b2c8e614', 'b81d3e5f0a27', '4f2a9c1e7b3d'];

/** `{ id: status }` of every revision in the graph, once it shows `current` for `currentIds`. */
async function marks(page, currentIds) {
  const history = page.getByTestId('history');
  return waitFor(page, async () => {
    const items = await history.locator(':scope > [data-revision]').all();
    const found = {};
    for (const item of items) found[await item.getAttribute('data-revision')] = await item.getAttribute('data-status');
    return found;
  }, (found) => currentIds.every((id) => found[id] === 'current') && Object.keys(found).length === ALL.length,
  `the graph marking ${currentIds} current`);
}

test('a file at a known revision: current, applied, pending, head and loses-data marks', async () => {
  const file = scratch('history.db');
  fixture('make', file, 'c3e7a1d9f482');
  const page = await openPage('history');
  await openFile(page, file, 'c3e7a1d9f482');
  await showView(page, 'migrate');
  const found = await marks(page, ['c3e7a1d9f482']);
  assert.deepEqual(found, {
    '0a6c9e3f5b71': 'pending', 'f17b8d2e4c90': 'pending', 'e9a4c6b1d358': 'pending',
    'c3e7a1d9f482': 'current', 'd5f0b2c8e614': 'pending', 'b81d3e5f0a27': 'applied', '4f2a9c1e7b3d': 'applied',
  });
  const order = await page.getByTestId('history').locator(':scope > [data-revision]').evaluateAll(
    (items) => items.map((item) => item.dataset.revision));
  assert.equal(order[0], '0a6c9e3f5b71', 'the head on top');
  assert.equal(order.at(-1), '4f2a9c1e7b3d', 'the base at the bottom');
  const head = page.locator('[data-revision="0a6c9e3f5b71"]');
  assert.equal(await head.getAttribute('data-head'), 'true');
  assert.match(await head.textContent(), /head/);
  assert.match(await head.textContent(), /add scheduled status/);
  assert.match(await head.textContent(), /2025-05-22/);
  // Derived from the replayed schemas: every downgrade but the merge's drops something.
  for (const id of ALL) {
    const loses = await page.locator(`[data-revision="${id}"]`).getAttribute('data-loses-data');
    assert.equal(loses, id === 'e9a4c6b1d358' ? 'false' : 'true', `loses-data mark of ${id}`);
  }
  // The graph: one node per revision, one edge per parent link (the merge has two).
  assert.equal(await page.locator('.history-graph circle.node').count(), ALL.length);
  assert.equal(await page.locator('.history-graph path.edge').count(), ALL.length);
  const lanes = await page.locator('.history-graph circle.node').evaluateAll(
    (nodes) => [...new Set(nodes.map((node) => node.getAttribute('cx')))].length);
  assert.equal(lanes, 2, 'the branch is drawn in a second lane');

  // Selecting a revision shows its SQL and fills the migrate target.
  await page.locator('[data-revision="0a6c9e3f5b71"] button').click();
  const detail = page.getByTestId('revision-detail');
  await waitFor(page, () => detail.getAttribute('data-revision').catch(() => null), (id) => id === '0a6c9e3f5b71', 'the detail');
  assert.match(await page.getByTestId('upgrade-sql').textContent(), /scheduled_at/);
  assert.match(await page.getByTestId('downgrade-sql').textContent(), /UPDATE posts SET status = 'draft'/);
  assert.match(await page.getByTestId('revision-loss').textContent(), /posts\.scheduled_at.*rewrites rows/);
  assert.equal(await page.getByTestId('migrate-target').inputValue(), '0a6c9e3f5b71',
    'clicking a revision fills migrate-target');

  // Keyboard: a revision is a button; Enter selects it and fills the target too.
  await page.locator('[data-revision="b81d3e5f0a27"] button').focus();
  await page.keyboard.press('Enter');
  await waitFor(page, () => page.getByTestId('migrate-target').inputValue(), (value) => value === 'b81d3e5f0a27',
    'the target from the keyboard');
  assert.match(await page.getByTestId('revision-loss').textContent(), /drops table\(s\) sessions, users/);
  await page.locator('[data-revision="0a6c9e3f5b71"] button').click();
  await screenshot(page, 'history-1-known-revision');
  await page.locator('section[aria-labelledby="history-heading"]').screenshot({ path: `${artifacts}/history-1b-section.png` });
  await page.close();
});

test('a two-head file shows both branch heads current, the merge and head pending', async () => {
  const file = scratch('two-heads.db');
  const versions = JSON.parse(fixture('make-two-heads', file)).revision.split(' ').sort();
  assert.deepEqual(versions, ['c3e7a1d9f482', 'd5f0b2c8e614']);
  const page = await openPage('two-heads');
  await page.setViewportSize({ width: 360, height: 780 });
  await openFile(page, file);
  await showView(page, 'migrate');
  const found = await marks(page, versions);
  // Every badge of every row is inside its fixed-height row, none cut off at the phone's edge.
  assert.deepEqual(await clippedBadges(page), [], 'badges cut off on a phone');
  assert.equal(found['e9a4c6b1d358'], 'pending');
  assert.equal(found['b81d3e5f0a27'], 'applied');
  await page.locator('[data-revision="e9a4c6b1d358"] button').click();
  await waitFor(page, () => page.getByTestId('revision-detail').getAttribute('data-revision').catch(() => null),
    (id) => id === 'e9a4c6b1d358', 'the merge detail');
  assert.match(await page.getByTestId('revision-detail').textContent(), /c3e7a1d9f482, d5f0b2c8e614/);
  assert.match(await page.getByTestId('revision-loss').textContent(), /keeps every value/);
  await screenshot(page, 'history-2-two-heads-phone');
  await page.close();
});

test('history pages made no request outside the origin and broke no CSP rule', assertClean);
