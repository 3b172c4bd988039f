// Schema insight in the page, on files made by real Alembic: the drift check names what was
// changed behind Alembic's back; a file without alembic_version gets the revision its schema
// matches, a stamp that is undoable, and a download real Alembic accepts.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/insight.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  assertClean, download, fixture, idle, openFile, openPage, root, scratch, screenshot, showView, start, stop, waitFor,
  waitForText,
} from './harness.mjs';

const python = path.join(process.env.CONTENT_DB_VENV ?? path.join(root, '.venv'), 'bin/python');
let head;

/** Runs tests/e2e/insight.py (the drift changes) on a file. */
function insight(...args) {
  return execFileSync(python, [path.join(root, 'tests/e2e/insight.py'), ...args], { encoding: 'utf8' });
}

/** Waits for the drift panel's check of the file just opened, and returns its verdict. */
async function drift(page) {
  await page.waitForSelector('[data-testid="drift"][aria-busy="false"]', { timeout: 60_000 });
  return page.getByTestId('drift');
}

before(async () => {
  await start();
  head = fixture('head').trim();
});
after(stop);

test('the drift panel names a column added and an index dropped behind Alembic\'s back', async () => {
  const clean = scratch('clean.db');
  fixture('make', clean, head);
  const drifted = scratch('drifted.db');
  fixture('make', drifted, head);
  insight('drift', drifted);

  const page = await openPage('insight-drift');
  await openFile(page, clean, head);
  // The demo's verdict also "matches" (its own revision): wait for the clean file's.
  await waitForText(page, 'drift-verdict', (t) => t.includes(`matches revision ${head}`), 'the clean verdict');
  assert.equal(await page.getByTestId('drift-verdict').textContent(), `The schema matches revision ${head}: no drift.`);
  assert.equal(await page.getByTestId('drift-difference').count(), 0);

  await openFile(page, drifted, head);
  await waitForText(page, 'drift-verdict', (t) => t.includes('not what'), 'the drift verdict');
  const differences = await page.getByTestId('drift-difference').allTextContents();
  assert.ok(differences.includes('posts has an extra column `foo TEXT`'), JSON.stringify(differences));
  assert.ok(differences.some((d) => d.includes('index ix_posts_status') && d.includes('missing')), JSON.stringify(differences));
  assert.equal(differences.length, 2, JSON.stringify(differences));
  assert.match(await page.getByTestId('drift-verdict').textContent(), /\(2 differences\)/);
  assert.equal(await page.getByTestId('baseline-stamp').count(), 0, 'a known revision gets no baseline offer');
  await (await drift(page)).scrollIntoViewIfNeeded();
  await screenshot(page, 'insight-drift');
  await page.close();
  assertClean();
});

test('a file without alembic_version gets its revision proposed, stamped and undone', async () => {
  // At a revision below head, so "head" would be the wrong answer.
  const older = scratch('older-unversioned.db');
  fixture('make', older, 'c3e7a1d9f482');
  insight('drop-version', older);

  const page = await openPage('insight-baseline');
  await openFile(page, older, 'base');
  await drift(page);
  await waitFor(page, () => page.getByTestId('baseline').getAttribute('data-revision').catch(() => null),
    (rev) => rev === 'c3e7a1d9f482', 'the proposed baseline');
  assert.match(await page.getByTestId('baseline-match').textContent(), /^c3e7a1d9f482 \(/);
  assert.match(await page.getByTestId('baseline-stamp').textContent(), /^Stamp it as c3e7a1d9f482/);
  // The migrate section's own stamp offer agrees with the baseline (not head).
  assert.match(await page.getByTestId('offer-stamp').textContent(), /^Stamp as c3e7a1d9f482 instead/);
  await showView(page, 'migrate');
  await page.getByTestId('offer-stamp').click();
  assert.equal(await page.getByTestId('migrate-target').inputValue(), 'c3e7a1d9f482');
  assert.equal(await page.getByTestId('stamp-only').isChecked(), true);
  await screenshot(page, 'insight-baseline');

  await showView(page, 'overview');
  await page.getByTestId('baseline-stamp').click();
  await waitForText(page, 'current-revision', (t) => t === 'c3e7a1d9f482', 'the stamped revision');
  await idle(page);
  await waitForText(page, 'drift-verdict', (t) => t.includes('matches revision c3e7a1d9f482'), 'no drift after the stamp');
  assert.equal(await page.getByTestId('baseline-stamp').count(), 0);

  // The stamp is an operation like a migration: Undo takes it back.
  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (t) => t === 'base', 'the stamp undone');
  await idle(page);
  await waitFor(page, () => page.getByTestId('baseline').getAttribute('data-revision').catch(() => null),
    (rev) => rev === 'c3e7a1d9f482', 'the offer again');
  await page.close();
  assertClean();
});

test('the stamped download of an unversioned head file passes alembic current and check', async () => {
  const file = scratch('never-stamped.db');
  fixture('make-unversioned', file);
  const page = await openPage('insight-stamp-download');
  await openFile(page, file, 'base');
  await drift(page);
  await waitFor(page, () => page.getByTestId('baseline').getAttribute('data-revision').catch(() => null),
    (rev) => rev === head, 'head proposed');
  await page.getByTestId('baseline-stamp').click();
  await waitForText(page, 'current-revision', (t) => t === head, 'stamped at head');
  await idle(page);
  const [name, saved] = await download(page, 'download', 'stamped.db');
  assert.equal(name, 'never-stamped.db');
  const state = JSON.parse(fixture('alembic-state', saved));
  assert.equal(state.current, `${head} (head)`);
  assert.match(state.check, /No new upgrade operations detected/);
  await page.close();
  assertClean();
});

test('the ER diagram shows every table and exports an SVG that parses as XML', async () => {
  const file = scratch('diagram.db');
  fixture('make', file, head);
  const facts = JSON.parse(fixture('facts', file));
  const tables = Object.keys(facts.tables).sort();
  const page = await openPage('insight-erd');
  await openFile(page, file, head);
  const drawn = () => page.getByTestId('erd').locator('g.table').evaluateAll(
    (groups) => groups.map((g) => g.getAttribute('data-table')).sort());
  await waitFor(page, drawn, (names) => JSON.stringify(names) === JSON.stringify(tables), 'every table drawn');
  // Names are text nodes in boxes that do not overlap.
  const boxes = await page.getByTestId('erd').locator('g.table rect.box').evaluateAll(
    (rects) => rects.map((r) => r.getBBox()).map((b) => ({ x: b.x, y: b.y, w: b.width, h: b.height })));
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, 'boxes overlap');
    }
  }
  assert.ok(await page.getByTestId('erd').locator('path.fk[data-to="users"]').count() > 0, 'a foreign key to users');
  await showView(page, 'schema');
  await page.getByTestId('erd').scrollIntoViewIfNeeded();
  await screenshot(page, 'insight-erd');

  const [name, saved] = await download(page, 'erd-download', 'diagram.svg');
  assert.equal(name, 'diagram.db.erd.svg');
  const parsed = JSON.parse(insight('svg-tables', saved));
  assert.deepEqual(parsed.tables.sort(), tables);
  assert.ok(parsed.edges.some(([from, to]) => from === 'posts.user_id' && to.startsWith('users')), JSON.stringify(parsed.edges));
  await page.close();
  assertClean();
});

test('two revisions picked in the history are compared in words and SQL', async () => {
  const page = await openPage('insight-revision-diff');
  await showView(page, 'schema');
  await waitFor(page, () => page.getByTestId('revision-diff-from').locator('option').count(), (n) => n >= 9, 'the revisions to pick');
  await page.getByTestId('revision-diff-from').selectOption('c3e7a1d9f482');
  await page.getByTestId('revision-diff-to').selectOption('d5f0b2c8e614');
  await waitForText(page, 'revision-diff-summary', (t) => t.startsWith('From c3e7a1d9f482 to d5f0b2c8e614'), 'the diff');
  const changes = await page.getByTestId('revision-diff-change').allTextContents();
  assert.ok(changes.includes('posts: column `user_id INTEGER` removed'), JSON.stringify(changes));
  assert.ok(changes.includes('oauth_tokens: column `user_email VARCHAR(255)` added'), JSON.stringify(changes));
  const sql = await page.getByTestId('revision-diff-sql').textContent();
  assert.ok(sql.indexOf('Running downgrade c3e7a1d9f482 -> b81d3e5f0a27') >= 0, sql.slice(0, 400));
  assert.ok(sql.indexOf('Running upgrade b81d3e5f0a27 -> d5f0b2c8e614') > sql.indexOf('Running downgrade'), 'down, then up');
  await page.getByTestId('revision-diff').scrollIntoViewIfNeeded();
  await screenshot(page, 'insight-revision-diff');

  // The same revision on both sides: nothing changes, nothing to run.
  await page.getByTestId('revision-diff-to').selectOption('c3e7a1d9f482');
  await waitForText(page, 'revision-diff-summary', (t) => t.startsWith('No schema change'), 'no change');
  assert.equal((await page.getByTestId('revision-diff-sql').textContent()).trim(), '-- nothing to run');
  // base to head: every table is added.
  await page.getByTestId('revision-diff-from').selectOption('base');
  await page.getByTestId('revision-diff-to').selectOption(head);
  await waitForText(page, 'revision-diff-summary', (t) => t.startsWith(`From base to ${head}`), 'base to head');
  const added = await page.getByTestId('revision-diff-change').allTextContents();
  for (const table of ['posts', 'users', 'sessions', 'oauth_tokens', 'chat_messages']) {
    assert.ok(added.some((c) => c.includes(table) && c.includes('added')), `${table} added: ${JSON.stringify(added)}`);
  }
  await page.close();
  assertClean();
});

test('shift-click on a second revision in the history compares the two (Shift+Enter too)', async () => {
  const page = await openPage('insight-graph-diff');
  const row = (id) => page.locator(`[data-testid="history"] [data-revision="${id}"] button`);
  await waitFor(page, () => row('b81d3e5f0a27').count(), (n) => n === 1, 'the history');
  assert.match(await page.getByTestId('history-compare-hint').textContent(), /Shift-click/);
  await showView(page, 'migrate');
  await row('b81d3e5f0a27').click();
  await row('c3e7a1d9f482').click({ modifiers: ['Shift'] });
  await waitForText(page, 'revision-diff-summary', (t) => t.startsWith('From b81d3e5f0a27 to c3e7a1d9f482'), 'the diff');
  // The comparison is shown in the Schema view, which the shift-click opened.
  await page.waitForSelector('#panel-schema:not([hidden]) [data-testid="revision-diff-summary"]');
  assert.equal(await page.getByTestId('revision-diff-from').inputValue(), 'b81d3e5f0a27');
  assert.equal(await page.getByTestId('revision-diff-to').inputValue(), 'c3e7a1d9f482');
  const changes = await page.getByTestId('revision-diff-change').allTextContents();
  assert.ok(changes.some((c) => c.startsWith('posts: column `user_id') && c.endsWith('added')), JSON.stringify(changes));
  assert.match(await page.getByTestId('revision-diff-sql').textContent(), /Running upgrade b81d3e5f0a27 -> c3e7a1d9f482/);
  // The first revision stays selected (and the migrate target); the shift-clicked one does not.
  assert.equal(await row('b81d3e5f0a27').getAttribute('aria-pressed'), 'true');
  assert.equal(await row('c3e7a1d9f482').getAttribute('aria-pressed'), 'false');
  // Keyboard: Shift+Enter on another revision compares with the selected one.
  await showView(page, 'migrate');
  await row('d5f0b2c8e614').focus();
  await page.keyboard.press('Shift+Enter');
  await waitForText(page, 'revision-diff-summary', (t) => t.startsWith('From b81d3e5f0a27 to d5f0b2c8e614'), 'the keyboard diff');
  assert.equal(await page.getByTestId('revision-diff-to').inputValue(), 'd5f0b2c8e614');
  assert.equal(await row('b81d3e5f0a27').getAttribute('aria-pressed'), 'true');
  await page.close();
  assertClean();
});

test('the open file made by real Alembic at c3e7a1d9f482 is compared with head', async () => {
  const file = scratch('file-vs-head.db');
  fixture('make', file, 'c3e7a1d9f482');
  const page = await openPage('insight-file-diff');
  await openFile(page, file, 'c3e7a1d9f482');
  await showView(page, 'schema');
  await page.getByTestId('revision-diff-from').selectOption('file');
  await page.getByTestId('revision-diff-to').selectOption(head);
  await waitForText(page, 'revision-diff-summary', (t) => t.startsWith(`From the open file to ${head}`), 'the file diff');
  const changes = await page.getByTestId('revision-diff-change').allTextContents();
  assert.ok(changes.some((c) => c.includes('chat_messages') && c.includes('added')), JSON.stringify(changes));
  const sql = await page.getByTestId('revision-diff-sql').textContent();
  // From the file's revision: the other branch, then the merge with c3e7a1d9f482; no downgrade.
  assert.match(sql, /Running upgrade c3e7a1d9f482, d5f0b2c8e614 -> e9a4c6b1d358/);
  assert.ok(!sql.includes('Running downgrade'), sql.slice(0, 400));
  assert.match(sql, /CREATE TABLE "?chat_messages/);
  // The same revision as the file: nothing to change.
  await page.getByTestId('revision-diff-to').selectOption('c3e7a1d9f482');
  await waitForText(page, 'revision-diff-summary', (t) => t.startsWith('No schema change from the open file'), 'no change');
  // Another file opened (at head): the comparison is made again for it, not left as it was.
  const other = scratch('file-vs-head-other.db');
  fixture('make', other, head);
  await openFile(page, other, head);
  await waitForText(page, 'revision-diff-summary', (t) => t.startsWith('From the open file to c3e7a1d9f482'), 'the new file diff');
  assert.match(await page.getByTestId('revision-diff-sql').textContent(), /Running downgrade/);
  await page.close();
  assertClean();
});

test('a table and a console result export as CSV and JSON; the SQL dump round-trips through sqlite3', async () => {
  const file = scratch('export.db');
  fixture('make', file, head);
  const page = await openPage('insight-exports');
  await openFile(page, file, head);
  assert.equal(await page.getByTestId('export-csv').isDisabled(), true, 'nothing chosen to export yet');
  await showView(page, 'data');

  await page.getByTestId('table-list').locator('[data-table="posts"] button').click();
  await waitForText(page, 'export-source', (t) => t.includes('every row of posts'), 'posts as the export');
  const [csvName, csvFile] = await download(page, 'export-csv', 'posts.csv');
  assert.equal(csvName, 'posts.csv');
  assert.equal(insight('same-rows', file, 'SELECT * FROM posts', 'csv', csvFile).trim(), '6');
  const [jsonName, jsonFile] = await download(page, 'export-json', 'posts.json');
  assert.equal(jsonName, 'posts.json');
  assert.equal(insight('same-rows', file, 'SELECT * FROM posts', 'json', jsonFile).trim(), '6');

  const sql = 'SELECT id, content, posted_at FROM posts WHERE id < 6 ORDER BY id DESC';
  await page.getByTestId('sql-input').fill(sql);
  await page.getByTestId('run-sql').click();
  await waitForText(page, 'export-source', (t) => t.includes('console'), 'the console result as the export');
  const [queryName, queryFile] = await download(page, 'export-csv', 'query.csv');
  assert.equal(queryName, 'query.csv');
  assert.equal(insight('same-rows', file, sql, 'csv', queryFile).trim(), '5');
  const [, queryJson] = await download(page, 'export-json', 'query.json');
  assert.equal(insight('same-rows', file, sql, 'json', queryJson).trim(), '5');

  const [dumpName, dumpFile] = await download(page, 'export-dump', 'export.sql');
  assert.equal(dumpName, 'export.db.sql');
  const counts = JSON.parse(insight('dump-roundtrip', file, dumpFile));
  assert.equal(counts.posts, 6);
  assert.equal(counts.alembic_version, 1);
  await page.getByTestId('export-dump').scrollIntoViewIfNeeded();
  await screenshot(page, 'insight-exports');
  await page.close();
  assertClean();
});

test('the SQL dump keeps every value byte for byte through sqlite3: CR, NUL, invalid UTF-8, -0.0, 5e-324, odd names', async () => {
  const file = scratch('exact-dump.db');
  fixture('make-exotic', file);
  const page = await openPage('insight-exact-dump');
  await openFile(page, file, 'b81d3e5f0a27');
  const [, dumpFile] = await download(page, 'export-dump', 'exact.sql');
  // Exits non-zero unless the sqlite3 shell loads the dump into exactly the same values.
  const loaded = JSON.parse(insight('dump-exact', file, dumpFile));
  assert.ok(loaded.values > 100, JSON.stringify(loaded));
  await page.close();
  assertClean();
});

test('the evolution demo steps through the history: added parts highlighted, the demo rows survive', async () => {
  const page = await openPage('insight-evolution');
  await showView(page, 'schema');
  await page.getByTestId('evolution-start').click();
  await waitForText(page, 'evolution-step', (t) => t.startsWith('Step 0 of'), 'step 0');
  assert.equal(await page.getByTestId('evolution-erd').locator('g.table').count(), 1, 'base: only alembic_version');
  assert.equal(await page.getByTestId('evolution-prev').isDisabled(), true);

  await page.getByTestId('evolution-next').click();
  await waitForText(page, 'evolution-step', (t) => t.startsWith('Step 1 of'), 'step 1');
  const added = await page.getByTestId('evolution-added').allTextContents();
  assert.ok(added.includes('added posts') && added.includes('added oauth_tokens'), JSON.stringify(added));
  assert.equal(await page.getByTestId('evolution-erd').locator('g.table.added[data-table="posts"]').count(), 1);
  // The demo (at c3e7a1d9f482) migrated down to the first revision keeps its posts and tokens.
  assert.equal(await page.getByTestId('evolution-counts').textContent(), 'alembic_version: 1 rows · oauth_tokens: 2 rows · posts: 5 rows');

  // On to the ownership revision: user_id is new, and the demo's posts are all there.
  for (let step = 2; step < 10; step += 1) {
    await page.getByTestId('evolution-next').click();
    const text = await waitForText(page, 'evolution-step', (t) => t.startsWith(`Step ${step} of`), `step ${step}`);
    if (text.includes('c3e7a1d9f482')) break;
  }
  assert.match(await page.getByTestId('evolution-step').textContent(), /c3e7a1d9f482/);
  assert.ok((await page.getByTestId('evolution-added').allTextContents()).includes('added posts.user_id'));
  assert.equal(await page.getByTestId('evolution-erd').locator('g.table[data-table="posts"] text.column.added[data-column="user_id"]').count(), 1);
  assert.equal(await page.getByTestId('evolution-removed').count(), 0, 'measured from its own down revision');
  assert.match(await page.getByTestId('evolution-counts').textContent(), /posts: 5 rows/);
  await page.getByTestId('evolution').scrollIntoViewIfNeeded();
  await screenshot(page, 'insight-evolution');
  await page.close();
  assertClean();
});

test('on a phone the diagram, the evolution demo and the revision diff scroll inside their cards', async () => {
  const page = await openPage('insight-phone');
  await page.setViewportSize({ width: 390, height: 844 });
  await showView(page, 'schema');
  await page.getByTestId('evolution-start').click();
  await waitForText(page, 'evolution-step', (t) => t.startsWith('Step 0 of'), 'step 0');
  await page.getByTestId('evolution-next').click();
  await waitForText(page, 'evolution-step', (t) => t.startsWith('Step 1 of'), 'step 1');
  await page.getByTestId('revision-diff-from').selectOption('base');
  await page.getByTestId('revision-diff-to').selectOption(head);
  await waitForText(page, 'revision-diff-summary', (t) => t.startsWith('From base'), 'the diff');
  await page.waitForSelector('[data-testid="erd"] g.table');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide on a 390px phone`);
  await screenshot(page, 'insight-phone');
  await page.close();
  assertClean();
});
