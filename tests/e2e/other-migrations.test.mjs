// End-to-end test of issue 15 part 2: the page plans with another application's history, loaded
// at run time. "Another application" is tests/fixtures/otherapp (a notes app kept with Alembic:
// a branch and a merge, batch operations, a data UPDATE, a bulk_insert). Its revisions are
// imported with `content-db import-alembic`, its database is made with real Alembic
// (tests/e2e/otherapp.py), and the page's download is checked with real Alembic and Python's
// sqlite3. Broken sets of files are refused by file name and leave the history in use as it was.
// Screenshots: tests/e2e/artifacts/o-*.png.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/other-migrations.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertClean, download, idle, openFile, openPage, preview, root, scratch, screenshot, showView, start,
  stop, visibleError, waitForText,
} from './harness.mjs';

const BASE = '1a2b3c4d5e6f';
const PINS = '2b3c4d5e6f70';
const HEAD = '4d5e6f708192';
const CONTENTENGINE_HEAD = '0a6c9e3f5b71';
const python = path.join(process.env.CONTENT_DB_VENV ?? path.join(root, '.venv'), 'bin/python');
const helper = path.join(root, 'tests/e2e/otherapp.py');
const project = path.join(root, 'tests/fixtures/otherapp');

/** The newest content-db binary in the target folder (built by `cargo test` before the e2e run), else a new debug build. */
function contentDb() {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
  const built = ['release', 'debug'].map((profile) => path.join(target, profile, 'content-db'))
    .filter((candidate) => existsSync(candidate))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (built.length > 0) return built[0];
  execFileSync('cargo', ['build', '--bin', 'content-db'], { cwd: root, stdio: 'inherit' });
  return path.join(target, 'debug', 'content-db');
}

/** The imported migration files (and a README beside them, which is not a migration file). */
let imported;
let sqlFiles;

before(async () => {
  await start();
  imported = scratch('otherapp-sql');
  execFileSync(contentDb(), ['import-alembic', project, '--out', imported, '--python', python], { stdio: 'pipe' });
  writeFileSync(path.join(imported, 'README.txt'), 'made by content-db import-alembic\n');
  sqlFiles = readdirSync(imported).filter((name) => name.endsWith('.sql')).sort()
    .map((name) => path.join(imported, name));
  assert.equal(sqlFiles.length, 4, 'one file per revision of the other application');
});
after(stop);

function otherapp(...args) {
  return execFileSync(python, [helper, ...args], { encoding: 'utf8' });
}

/** The text of migrations-source. */
async function source(page) {
  return (await page.getByTestId('migrations-source').textContent()).trim();
}

test("another application's database: unknown until its migrations are loaded, then upgraded like Alembic", async () => {
  const notes = scratch('notes.db');
  otherapp('make', notes, BASE);
  const page = await openPage('o-otherapp');
  await showView(page, 'migrate');
  assert.match(await source(page), new RegExp(`^embedded: ContentEngine's 7 revisions, head ${CONTENTENGINE_HEAD}$`));

  // Opened under ContentEngine's history: the revision is unknown, and the page says how on.
  await openFile(page, notes, BASE);
  await waitForText(page, 'migration-status', (text) => text.startsWith(`Unknown revision ${BASE}`), 'unknown');
  assert.match(await visibleError(page), /Load migrations that know it/);
  assert.equal(await page.getByTestId('upgrade-head').isEnabled(), false);
  await screenshot(page, 'o-1-unknown');

  // The offer opens the same chooser as "Use other migrations…"; a README chosen with the
  // files is left out and counted.
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'), page.getByTestId('offer-migrations').click(),
  ]);
  assert.equal(chooser.isMultiple(), true, 'several files at once');
  await chooser.setFiles([...sqlFiles, path.join(imported, 'README.txt')]);
  await waitForText(page, 'migrations-source', (text) => text.startsWith('loaded'), 'the loaded history');
  assert.equal(await source(page),
    `loaded from 5 files: 4 revisions, head ${HEAD} (1 file that is not .sql left out)`);
  await waitForText(page, 'migration-status', (text) => text === `3 steps behind head (${HEAD}).`, 'known now');
  assert.equal(await visibleError(page), null, 'the error went with the unknown revision');
  assert.equal(await page.getByTestId('offer-migrations').count(), 0);

  // The graph, the preview and the drift check follow the loaded history.
  await showView(page, 'migrate');
  await waitForText(page, 'history', (text) => text.includes(HEAD), 'the graph of the loaded history');
  const ids = await page.getByTestId('history').locator('[data-revision]')
    .evaluateAll((rows) => rows.map((row) => row.dataset.revision).sort());
  assert.deepEqual(ids, [BASE, PINS, '3c4d5e6f7081', HEAD]);
  await preview(page, 'head');
  const steps = await page.getByTestId('preview').textContent();
  assert.match(steps, /Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70, pin notes/);
  assert.match(steps, /UPDATE notes SET pinned = 1/);
  await showView(page, 'overview');
  await waitForText(page, 'drift-verdict', (text) => text === `The schema matches revision ${BASE}: no drift.`,
    'the drift check against the loaded history');
  await screenshot(page, 'o-2-loaded');

  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === HEAD, 'head of the other application');
  await idle(page);
  const [name, downloaded] = await download(page, 'download', 'notes-upgraded.db');
  assert.equal(name, 'notes.db');
  const checked = JSON.parse(otherapp('check', notes, downloaded));
  assert.match(checked.current, new RegExp(`^${HEAD} \\(head\\)`));
  assert.deepEqual(checked.rows.notes.map((row) => row[4]), ['1', '0', '1'], 'the data UPDATE pinned the "!" notes');
  await screenshot(page, 'o-3-upgraded');

  // One click back to ContentEngine's history: the file is now at a revision it does not know;
  // undo still goes back to the bytes as opened.
  await showView(page, 'migrate');
  await page.getByTestId('use-embedded-migrations').click();
  await waitForText(page, 'migrations-source', (text) => text.startsWith('embedded'), 'the embedded history again');
  await waitForText(page, 'migration-status', (text) => text.startsWith(`Unknown revision ${HEAD}`), 'unknown again');
  assert.equal(await page.getByTestId('use-embedded-migrations').count(), 0);
  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === BASE, 'undone');
  await page.close();
});

test('broken sets of files are refused by file name; the history in use stays and the page stays usable', async () => {
  const page = await openPage('o-broken');
  await showView(page, 'migrate');
  const input = page.getByTestId('open-migrations');

  // A duplicate id: a second file declaring the base revision.
  const duplicate = scratch('duplicate');
  mkdirSync(duplicate, { recursive: true });
  const copy = path.join(duplicate, `${BASE}_copy.sql`);
  copyFileSync(sqlFiles[0], copy);
  await input.setInputFiles([...sqlFiles, copy]);
  await waitForText(page, 'error', (text) => text.includes('declared twice'), 'the duplicate refused');
  const error = await visibleError(page);
  assert.match(error, new RegExp(`revision ${BASE} is declared twice, in .*${BASE}_copy\\.sql|${BASE}_copy\\.sql.*declared twice`));
  assert.match(error, /The migrations in use are unchanged/);
  assert.match(await source(page), /^embedded/);
  await screenshot(page, 'o-4-duplicate');

  // The page is usable: the demo upgrades under the embedded history.
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === CONTENTENGINE_HEAD, 'the demo at head');
  assert.equal(await visibleError(page), null);

  // A whole folder (where the browser allows): the README in it is left out.
  await page.getByTestId('open-migrations-folder').setInputFiles(imported);
  await waitForText(page, 'migrations-source', (text) => text.startsWith('loaded'), 'the folder loaded');
  assert.equal(await source(page),
    `loaded from folder otherapp-sql: 4 revisions, head ${HEAD} (1 file that is not .sql left out)`);
  await waitForText(page, 'migration-status', (text) => text.startsWith(`Unknown revision ${CONTENTENGINE_HEAD}`),
    "the demo is ContentEngine's: unknown to the other history");

  // An unknown down revision: the merge without one of its parents. The loaded history stays.
  await input.setInputFiles(sqlFiles.filter((file) => !path.basename(file).startsWith(PINS)));
  await waitForText(page, 'error', (text) => text.includes('down_revision'), 'the unknown down revision refused');
  assert.match(await visibleError(page),
    new RegExp(`${HEAD}_[a-z_]+\\.sql: down_revision ${PINS} is not the id of any migration`));
  assert.match(await source(page), /^loaded from folder otherapp-sql: 4 revisions/);

  // Back to the embedded history in one click.
  await page.getByTestId('use-embedded-migrations').click();
  await waitForText(page, 'migrations-source', (text) => text.startsWith('embedded'), 'embedded again');

  // Migration files dropped on the page are used as migrations, not opened as a database.
  const transfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const [name, text] of files) dt.items.add(new File([text], name));
    return dt;
  }, sqlFiles.map((file) => [path.basename(file), readFileSync(file, 'utf8')]));
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
  await waitForText(page, 'migrations-source', (text) => text.startsWith('loaded'), 'the dropped files loaded');
  assert.equal(await source(page), `loaded from 4 files: 4 revisions, head ${HEAD}`);
  assert.equal((await page.getByTestId('file-name').textContent()).trim(), 'content-demo.db', 'the demo stays open');

  await page.getByTestId('use-embedded-migrations').click();
  await waitForText(page, 'migrations-source', (text) => text.startsWith('embedded'), 'embedded again');
  await waitForText(page, 'migration-status', (text) => text.startsWith('Up to date'), 'the demo known again');
  await screenshot(page, 'o-5-embedded-again');
  await page.close();
});

test('other-migrations pages made no request outside the origin and broke no CSP rule', assertClean);
