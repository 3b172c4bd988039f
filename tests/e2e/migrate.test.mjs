// End-to-end tests of issue 3's points 1 (open), 2 (overview), 4 (migrate with preview),
// 5 (undo) and 7 (downloads), on files made by real Alembic (tests/e2e/fixture.py) and checked
// afterwards with Python's sqlite3 and real Alembic. Screenshots: tests/e2e/artifacts/m-*.png.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  download, dropFile, env, fixture, idle, openFile, openPage, overviewChecked, preview, scratch,
  screenshot, showView, start, stop, visibleError, waitForText,
} from './harness.mjs';

const BRANCHPOINT = 'b81d3e5f0a27';
const HEAD = '0a6c9e3f5b71';

before(start);
after(stop);

/** Texts of every element with `testId`. */
async function texts(page, testId) {
  return (await page.getByTestId(testId).allTextContents()).map((text) => text.trim());
}

test('open: drop zone, demo button, new empty database; WAL files are converted with a notice', async () => {
  const wal = scratch('content.db');
  fixture('make-wal', wal, BRANCHPOINT);
  const facts = JSON.parse(fixture('facts', wal));
  assert.equal(facts.wal_header, true, 'the fixture really is in WAL mode');
  const page = await openPage('m-open');

  await dropFile(page, wal);
  assert.equal((await page.getByTestId('current-revision').textContent()).trim(), BRANCHPOINT);
  assert.match(await page.getByTestId('journal-mode').textContent(), /WAL/);
  assert.match(await page.getByTestId('notices').textContent(), /WAL/i);
  await screenshot(page, 'm-1-open-wal');

  await page.getByTestId('new-db').click();
  await waitForText(page, 'current-revision', (text) => text === 'base', 'the new empty database');
  await waitForText(page, 'migration-status', (text) => text.startsWith('Not versioned'), 'not versioned');
  assert.equal(await page.getByTestId('table-counts').locator('tbody tr').count(), 0);

  await page.getByTestId('demo-db').click();
  await waitForText(page, 'demo-badge', (text) => text.length > 0, 'the demo again');
  assert.equal(await visibleError(page), null);
  await page.close();
});

test('overview: header facts, integrity, row counts and the status in words match Python and Alembic', async () => {
  const file = scratch('populated.db');
  const made = JSON.parse(fixture('make', file, BRANCHPOINT));
  const facts = JSON.parse(fixture('facts', file));
  const page = await openPage('m-overview');
  await openFile(page, file, BRANCHPOINT);

  assert.equal((await page.getByTestId('sqlite-version').textContent()).trim(), facts.sqlite_version);
  assert.match(await page.getByTestId('page-size').textContent(), new RegExp(`^${facts.page_size} bytes`));
  await overviewChecked(page);
  assert.equal((await page.getByTestId('integrity').textContent()).trim(), facts.integrity.join('; '));
  assert.match(await page.getByTestId('file-size').textContent(), new RegExp(`${readFileSync(file).length} bytes`));
  const rows = await page.getByTestId('table-counts').locator('tbody tr').evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.dataset.table, Number(tr.cells[1].textContent)])));
  assert.deepEqual(rows, facts.tables, 'every table with the row count Python counts');
  const status = await page.getByTestId('migration-status').textContent();
  assert.match(status, new RegExp(`^${made.upgrade_log.length} steps behind head \\(${HEAD}\\)`));
  await screenshot(page, 'm-2-overview');

  // The checks are asked for again after a migration: the counts are those of the new state.
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'head');
  await overviewChecked(page);
  const [, upgraded] = await download(page, 'download', 'overview-upgraded.db');
  const after = JSON.parse(fixture('facts', upgraded));
  const rowsAfter = await page.getByTestId('table-counts').locator('tbody tr').evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.dataset.table, Number(tr.cells[1].textContent)])));
  assert.deepEqual(rowsAfter, after.tables, 'the row counts after the upgrade');
  assert.equal((await page.getByTestId('integrity').textContent()).trim(), after.integrity.join('; '));
  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === BRANCHPOINT, 'undone');
  await overviewChecked(page);

  const two = scratch('two-heads.db');
  const both = JSON.parse(fixture('make-two-heads', two));
  await openFile(page, two, both.revision);
  assert.match(await page.getByTestId('migration-status').textContent(), /^On a branch: both branches are applied/);

  const unknown = scratch('future.db');
  fixture('make-unknown', unknown);
  await openFile(page, unknown);
  const words = await page.getByTestId('migration-status').textContent();
  assert.match(words, /fedcba987654/);
  assert.match(words, /not in the migration history in use .*ahead of it or from another application/);

  await openFile(page, scratch('populated.db'));
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'm-2-overview-phone');
  await page.close();
});

test('migrate: the preview of head matches Alembic, apply does it, a downgrade names the data lost', async () => {
  const original = scratch('content.db');
  const made = JSON.parse(fixture('make', original, BRANCHPOINT));
  const page = await openPage('m-migrate');
  await openFile(page, original, BRANCHPOINT);

  await preview(page, 'head');
  assert.equal(await page.getByTestId('preview').getAttribute('data-action'), 'upgrade');
  const planned = (await page.getByTestId('preview-step').locator('.step-line').allTextContents())
    .map((text) => text.trim());
  const sql = await page.getByTestId('preview-step').first().locator('pre').textContent();
  assert.match(sql, /UPDATE alembic_version SET version_num='|INSERT INTO alembic_version/i, 'each step shows its SQL');
  assert.deepEqual(planned, made.upgrade_log, 'the preview lists the steps real Alembic runs');
  const upChanges = await page.getByTestId('preview-schema').locator('li').allTextContents();
  await screenshot(page, 'm-3-preview-head');
  await page.getByTestId('apply').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'head after apply');
  await idle(page);
  const ran = (await page.getByTestId('step-log').locator('li').allTextContents()).map((t) => t.trim());
  assert.deepEqual(ran, made.upgrade_log, 'what ran is what the preview announced');
  const [, atHead] = await download(page, 'download', 'at-head.db');
  const verdict = JSON.parse(fixture('check', original, atHead));
  assert.match(verdict.check, /No new upgrade operations detected/);
  const headTables = Object.keys(JSON.parse(fixture('facts', atHead)).tables);
  const added = upChanges.map((c) => /^table (\w+) added$/.exec(c)?.[1]).filter(Boolean);
  assert.ok(added.length > 0, `the preview names the tables the upgrade adds: ${upChanges}`);
  for (const table of added) assert.ok(headTables.includes(table), `${table} was added as previewed`);

  // Down two steps: the preview names the dropped data with counts from this file.
  await preview(page, '-2');
  assert.equal(await page.getByTestId('preview').getAttribute('data-action'), 'downgrade');
  const losses = await texts(page, 'preview-loss');
  assert.ok(losses.length > 0, 'the downgrade drops something');
  const counted = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
  for (const loss of losses) {
    const column = /^drops column (\w+)\.(\w+) \(/.exec(loss);
    const table = /^drops table (\w+) \(/.exec(loss);
    assert.ok(column || table, `a loss in words: ${loss}`);
    const expected = column
      ? `drops column ${column[1]}.${column[2]} (${counted(Number(fixture('count', atHead, column[1], column[2])), 'non-NULL value')})`
      : `drops table ${table[1]} (${counted(Number(fixture('count', atHead, table[1])), 'row')})`;
    assert.equal(loss, expected, 'the loss names the count in this file');
  }
  const downChanges = await page.getByTestId('preview-schema').locator('li').allTextContents();
  assert.ok(downChanges.some((c) => /^table \w+ removed$/.test(c)), `a table goes: ${downChanges}`);
  await screenshot(page, 'm-3-preview-downgrade');
  await page.getByTestId('apply').click();
  await idle(page);
  const [, down] = await download(page, 'download', 'down-2.db');
  const current = fixture('compare', atHead, down, 'downgrade', '-2').trim();
  const downTables = Object.keys(JSON.parse(fixture('facts', down)).tables);
  for (const change of downChanges) {
    const removed = /^table (\w+) removed$/.exec(change)?.[1];
    if (removed) assert.ok(!downTables.includes(removed), `${removed} was removed as previewed`);
  }
  assert.equal((await page.getByTestId('current-revision').textContent()).trim(), current.split(' ')[0]);

  // A target the planner refuses: its own message, nothing changes.
  await preview(page, 'zzzz');
  assert.match(await visibleError(page), /zzzz/);
  assert.equal(await page.getByTestId('preview').count(), 0);
  await page.close();
});

test('a failing step names revision, statement and SQLite; the file stays at the last good step, like Alembic', async () => {
  const bad = scratch('bad.db');
  const alembicLeft = JSON.parse(fixture('make-bad', bad)).alembic_versions;
  const page = await openPage('m-failure');
  await openFile(page, bad, BRANCHPOINT);
  await preview(page, 'heads');
  await page.getByTestId('apply').click();
  await waitForText(page, 'error', (text) => text.includes('frozen by the e2e test'), 'the failure');
  await idle(page);
  const error = await visibleError(page);
  assert.match(error, /c3e7a1d9f482/, 'names the failing revision');
  assert.match(error, /(UPDATE|INSERT INTO) alembic_version/, 'quotes the statement');
  // Real Alembic stops at the same place: after d5f0b2c8e614, before c3e7a1d9f482.
  assert.deepEqual(alembicLeft, ['d5f0b2c8e614']);
  assert.equal((await page.getByTestId('current-revision').textContent()).trim(), 'd5f0b2c8e614');
  const [, partial] = await download(page, 'download', 'partial.db');
  assert.deepEqual(JSON.parse(fixture('facts', partial)).versions, ['d5f0b2c8e614']);
  await screenshot(page, 'm-4-failure');
  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === BRANCHPOINT, 'undo of the partial migration');
  await page.close();
});

test('stamp only: a new empty database stamped at head is what `alembic stamp head` makes', async () => {
  const page = await openPage('m-stamp');
  await page.getByTestId('new-db').click();
  await waitForText(page, 'migration-status', (text) => text.startsWith('Not versioned'), 'not versioned');
  await idle(page);
  assert.equal(await page.getByTestId('offer-stamp').count(), 0, 'no stamp offer for a file without tables');
  await preview(page, 'head', { stamp: true });
  assert.equal(await page.getByTestId('preview').getAttribute('data-action'), 'stamp');
  assert.equal((await texts(page, 'preview-loss')).length, 0);
  await page.getByTestId('apply').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'stamped at head');
  await idle(page);
  const [name, stamped] = await download(page, 'download', 'stamped.db');
  assert.equal(name, 'content.db');
  const facts = JSON.parse(fixture('facts', stamped));
  assert.deepEqual(facts.versions, [HEAD]);
  assert.deepEqual(Object.keys(facts.tables), ['alembic_version'], 'no migration ran');
  await page.close();
});

test('a file with the tables but no alembic_version gets the stamp offer; the stamp satisfies alembic check', async () => {
  const file = scratch('content.db');
  fixture('make-unversioned', file);
  const page = await openPage('m-offer-stamp');
  await openFile(page, file, 'base');
  assert.match(await page.getByTestId('migration-status').textContent(), /^Not versioned/);
  await showView(page, 'migrate');
  await page.getByTestId('offer-stamp').click();
  // The offer names the revision the schema matches (head here); until the page's drift check
  // has answered it offers `head`: both stamp the same revision.
  assert.ok(['head', HEAD].includes(await page.getByTestId('migrate-target').inputValue()));
  assert.equal(await page.getByTestId('stamp-only').isChecked(), true);
  await page.getByTestId('preview-button').click();
  await idle(page);
  assert.equal(await page.getByTestId('preview').getAttribute('data-action'), 'stamp');
  await screenshot(page, 'm-4-offer-stamp');
  await page.getByTestId('apply').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'stamped');
  await idle(page);
  const [, stamped] = await download(page, 'download', 'stamped-tables.db');
  const state = JSON.parse(fixture('alembic-state', stamped));
  assert.equal(state.current, `${HEAD} (head)`);
  assert.match(state.check, /No new upgrade operations detected/);
  await page.close();
});

test('undo: every operation goes back from memory, to the exact bytes of the file as opened', async () => {
  const original = scratch('undo.db');
  fixture('make', original, BRANCHPOINT);
  const page = await openPage('m-undo');
  await openFile(page, original, BRANCHPOINT);
  assert.equal(await page.getByTestId('undo').isEnabled(), false, 'nothing to undo yet');

  await preview(page, 'head');
  await page.getByTestId('apply').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'head');
  await idle(page);
  await preview(page, 'base');
  const posts = (await texts(page, 'preview-loss')).find((loss) => loss.startsWith('drops table posts '));
  assert.equal(posts, `drops table posts (${fixture('count', original, 'posts').trim()} rows)`);
  await page.getByTestId('apply').click();
  await waitForText(page, 'current-revision', (text) => text === 'base', 'base');
  await idle(page);
  assert.match(await page.getByTestId('undo').textContent(), /Undo downgrade to base/);
  await screenshot(page, 'm-5-before-undo');

  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'undo back to head');
  await idle(page);
  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === BRANCHPOINT, 'undo back to the original');
  await idle(page);
  assert.equal(await page.getByTestId('undo').isEnabled(), false);
  const [, back] = await download(page, 'download', 'undone.db');
  assert.equal(fixture('same', original, back).trim(), 'same', 'byte for byte the file as opened');
  await page.close();
});

test('downloads: name shown, checks run first, backup is the original, the log has timings', async () => {
  const original = scratch('content.db');
  const made = JSON.parse(fixture('make', original, BRANCHPOINT));
  const page = await openPage('m-download');
  await openFile(page, original, BRANCHPOINT);
  assert.match(await page.getByTestId('download-name').textContent(), /downloads as content\.db/);
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'head');
  await idle(page);

  const [name, current] = await download(page, 'download', 'current.db');
  assert.equal(name, 'content.db');
  const checks = page.getByTestId('checks');
  assert.equal(await checks.getAttribute('data-passed'), 'true');
  const facts = JSON.parse(fixture('facts', current));
  assert.deepEqual(facts.integrity, ['ok']);
  assert.deepEqual(facts.foreign_keys, []);
  assert.match(await checks.textContent(), /integrity_check: ok/);
  JSON.parse(fixture('check', original, current));

  const [backupName, backup] = await download(page, 'download-backup', 'backup.db');
  assert.match(backupName, /^content\.db\.backup-\d{8}-\d{6}$/);
  assert.equal(fixture('same', original, backup).trim(), 'same');
  assert.equal(await checks.getAttribute('data-passed'), 'true', 'the checks of the download stay shown');

  const [logName, log] = await download(page, 'download-log', 'log.txt');
  assert.equal(logName, 'content.db.migration-log.txt');
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  for (const line of lines) assert.match(line, / \(\d+\.\d ms\)$/, 'each step with its time');
  assert.deepEqual(lines.map((line) => line.replace(/ \([\d.]+ ms\)$/, '')), made.upgrade_log);
  await screenshot(page, 'm-7-downloads');
  await page.close();
});

test('the file as chosen: its backup before any change, and Undo after the one-click upgrade, give its exact bytes back', async () => {
  const original = scratch('chosen.db');
  fixture('make', original, BRANCHPOINT);
  const page = await openPage('m-chosen');
  await openFile(page, original, BRANCHPOINT);
  const [, untouched] = await download(page, 'download-backup', 'chosen-backup-0.db');
  assert.equal(fixture('same', original, untouched).trim(), 'same', 'the backup is the chosen file');
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'head');
  await idle(page);
  const [, upgraded] = await download(page, 'download', 'chosen-upgraded.db');
  JSON.parse(fixture('check', original, upgraded));
  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === BRANCHPOINT, 'undo of the upgrade');
  await idle(page);
  const [, back] = await download(page, 'download', 'chosen-undone.db');
  assert.equal(fixture('same', original, back).trim(), 'same', 'byte for byte the file as chosen');
  const [, backup] = await download(page, 'download-backup', 'chosen-backup-1.db');
  assert.equal(fixture('same', original, backup).trim(), 'same');
  await page.close();
});

test('no request left the served origin and nothing logged an error', () => {
  const foreign = env.requests.filter((url) => !url.startsWith(env.origin) && !url.startsWith('blob:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(env.problems, []);
});
