// A multi-gigabyte ContentEngine database in the page (issue 16's fourth goal; BENCHMARKS.md,
// "Issue 16: a 5 GB file"). Not part of CI: making the file writes ~5 GB, the run reads it
// several times and the download writes it again (~10 minutes and ~12 GB of disk).
//
//   trunk build --release --offline --dist /tmp/dist-big
//   cargo build --release --bin content-db --example gen_content_db
//   BENCH_DIST=/tmp/dist-big node benches/big_file.mjs   (BENCH_PRIVATE=1: in a private window)
//
// The file: examples/gen_content_db's 1000 MB file, downgraded to e9a4c6b1d358 by the CLI (its
// next step, f17b8d2e4c90, only creates a table), its posts copied by
// benches/grow_content_db.py until it is BENCH_BIG_MB MiB (default 4400; kept in benches/out/
// for the next run). The page: open (until the revision shows), the overview's integrity_check,
// a page of posts, a query, a CSV export of users, the cheap step, the posts rebuild (which must
// be refused before it starts, naming the CLI command), and the download, checked afterwards
// with Python's sqlite3 (`integrity_check`, the revision row, row counts) and real Alembic's
// `current`. Milliseconds from Node; the worker's WebAssembly memory after each stage.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openContext, serve, text, until } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(root, process.env.BENCH_OUT ?? 'benches/out');
const dist = path.resolve(root, process.env.BENCH_DIST ?? 'dist');
const target = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const cli = path.join(target, 'release/content-db');
const generator = path.join(target, 'release/examples/gen_content_db');
const python = path.join(root, '.venv/bin/python');
const alembic = path.join(root, '.venv/bin/alembic');
const contentengine = path.join(root, 'tests/contentengine');
const sizeMb = Number(process.env.BENCH_BIG_MB ?? 4400);
const MERGE = 'e9a4c6b1d358';
const CHAT = 'f17b8d2e4c90';
const LONG = 30 * 60_000;
const now = () => Number(process.hrtime.bigint() / 1000n) / 1000;

/** The big file and its row counts, made once (see the header). */
function bigFile() {
  const file = path.join(out, `content-${sizeMb}mb-at-${MERGE}.db`);
  const countsFile = `${file}.counts.json`;
  if (existsSync(file) && existsSync(countsFile)) return { file, counts: JSON.parse(readFileSync(countsFile, 'utf8')) };
  const base = path.join(out, 'content-1000mb-seed1.db');
  if (!existsSync(base)) execFileSync(generator, ['--size-mb', '1000', '--seed', '1', '-o', base], { stdio: 'inherit' });
  copyFileSync(base, file);
  execFileSync(cli, ['--db', file, 'downgrade', MERGE], { stdio: 'inherit' });
  const printed = execFileSync('python3', [path.join(root, 'benches/grow_content_db.py'), '--size-mb', String(sizeMb), file],
    { encoding: 'utf8' }).trim().split('\n');
  writeFileSync(countsFile, printed[printed.length - 1]);
  return { file, counts: JSON.parse(printed[printed.length - 1]) };
}

/** Waits for `testId`'s text to pass `accept`, failing on a shown error. */
async function waitForText(page, testId, accept, what, timeout = LONG) {
  await until(async () => {
    const error = await text(page, 'error');
    if (error) throw new Error(`waiting for ${what}: the page shows an error: ${error}`);
    const found = await text(page, testId);
    return found !== null && accept(found);
  }, what, timeout);
  return text(page, testId);
}

async function showView(page, name) {
  await page.getByTestId(`view-${name}`).click();
  await page.waitForSelector(`#panel-${name}:not([hidden])`, { timeout: LONG });
}

const idle = (page) => page.waitForSelector('[data-testid="status"][aria-busy="false"]', { timeout: LONG });

const { file, counts } = bigFile();
const size = statSync(file).size;
console.log(`file: ${file}, ${size} bytes; rows ${JSON.stringify(counts)}`);

// The worker loader keeps wasm-bindgen's exports, so its memory can be read (as in run.mjs).
const served = mkdtempSync(path.join(tmpdir(), 'content-db-big-dist-'));
cpSync(dist, served, { recursive: true });
const loader = path.join(served, 'worker-loader.js');
writeFileSync(loader, readFileSync(loader, 'utf8').replace(/wasm_bindgen\((.*)\);/,
  'wasm_bindgen($1).then((exports) => { self.__benchWasmExports = exports; });'));
const { server, origin } = await serve(served);
const work = mkdtempSync(path.join(out, 'big-run-'));
// BENCH_PRIVATE=1: a private (Incognito) window's context, whose private storage is in memory.
const { context, close } = await openContext(path.join(work, 'profile'), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
});
const result = { size, loadavgAtStart: readFileSync('/proc/loadavg', 'utf8').trim(), ms: {}, wasmMB: {} };
try {
  const page = await context.newPage();
  const wasmMB = async (stage) => {
    for (const worker of page.workers()) {
      const bytes = await worker.evaluate(() => self.__benchWasmExports?.memory?.buffer.byteLength ?? 0).catch(() => 0);
      if (bytes) result.wasmMB[stage] = Math.round(bytes / 2 ** 20);
    }
  };
  // The worker answers `evaluate` only between requests: the memory is read when it is idle
  // (not after the open, whose overview check runs on in the worker).
  const timed = async (stage, action, { sample = true } = {}) => {
    const t0 = now();
    const value = await action();
    result.ms[stage] = Math.round(now() - t0);
    if (sample) await wasmMB(stage);
    console.log(`${stage}: ${result.ms[stage]} ms, worker wasm ${result.wasmMB[stage]} MB`);
    return value;
  };
  await page.goto(`${origin}/`);
  await waitForText(page, 'current-revision', (t) => t.length > 0, 'the demo');
  await idle(page);
  await wasmMB('demo');

  await timed('open', async () => {
    await page.getByTestId('open-file').setInputFiles(file);
    await waitForText(page, 'current-revision', (t) => t === MERGE, 'the revision');
  }, { sample: false });
  // The overview's checks (a background checker for a large file): their progress is the text
  // of `integrity` (`checking… N %`) while it is aria-busy.
  const progress = new Set();
  result.integrity = await timed('integrity_check', async () => {
    await until(async () => {
      const shown = await page.evaluate(() => document.querySelector('[data-testid="integrity"]')?.textContent ?? '');
      const percent = /(\d+) %/.exec(shown);
      if (percent) progress.add(Number(percent[1]));
      return (await page.getByTestId('integrity').getAttribute('aria-busy')) === 'false';
    }, 'the integrity check', LONG);
    return text(page, 'integrity');
  });
  result.integrityProgress = [...progress];
  console.log(`integrity: ${result.integrity}; progress seen (%): ${result.integrityProgress.join(' ')}`);

  await showView(page, 'data');
  result.browse = await timed('browse', async () => {
    await page.getByTestId('table-list').locator('[data-table="posts"] button').click();
    return waitForText(page, 'page-info', (t) => t.startsWith('rows 1–50 of'), 'a page of posts');
  });
  result.query = await timed('query', async () => {
    await page.getByTestId('sql-input').fill("SELECT count(*), max(id) FROM posts WHERE platform = 'linkedin'");
    await page.getByTestId('run-sql').click();
    await until(async () => (await page.getByTestId('sql-result').locator('tbody tr').count()) === 1, 'the query', LONG);
    return page.getByTestId('sql-result').locator('tbody tr').first().textContent();
  });
  result.exportCsv = await timed('export_csv', async () => {
    await page.getByTestId('table-list').locator('[data-table="users"] button').click();
    await waitForText(page, 'export-source', (t) => t.includes('users'), 'users chosen');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: LONG }), page.getByTestId('export-csv').click()]);
    const saved = path.join(work, 'users.csv');
    await download.saveAs(saved);
    const lines = readFileSync(saved, 'utf8').split('\n').filter((line) => line.length > 0).length;
    return { bytes: statSync(saved).size, lines };
  });

  await showView(page, 'migrate');
  await timed('migrate_one_step', async () => {
    await page.getByTestId('migrate-target').fill(CHAT);
    await page.getByTestId('migrate-target').press('Enter');
    await page.waitForSelector('[data-testid="preview"]', { timeout: LONG });
    await page.getByTestId('apply').click();
    await waitForText(page, 'current-revision', (t) => t === CHAT, 'the step');
    await idle(page);
  });
  result.refusal = await timed('refused_rebuild', async () => {
    await page.getByTestId('upgrade-head').click();
    await until(async () => (await text(page, 'error')) !== null, 'the refusal', LONG);
    return text(page, 'error');
  });
  if (!/Nothing was changed/.test(result.refusal) || !/content-db --db \S+ upgrade heads/.test(result.refusal)) {
    throw new Error(`the rebuild was not refused up front: ${result.refusal}`);
  }
  if ((await text(page, 'current-revision')) !== CHAT) throw new Error('the refusal changed the revision');
  console.log(`refusal: ${result.refusal}`);
  await idle(page);

  const saved = path.join(work, 'downloaded.db');
  const t1 = now();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: LONG }), page.getByTestId('download').click()]);
  result.ms.download_event = Math.round(now() - t1);
  await download.saveAs(saved);
  result.ms.download_saved = Math.round(now() - t1);
  await wasmMB('download');
  console.log(`download: event ${result.ms.download_event} ms, saved ${result.ms.download_saved} ms, worker wasm ${result.wasmMB.download} MB`);
  result.downloadBytes = statSync(saved).size;

  // The download, checked outside the browser.
  const check = `import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
print(json.dumps({"integrity": [r[0] for r in conn.execute("PRAGMA integrity_check")],
  "version": [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")],
  "counts": {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}}))`;
  const t0 = now();
  result.downloadCheck = JSON.parse(execFileSync(python, ['-c', check, saved], { encoding: 'utf8' }));
  result.ms.python_check = Math.round(now() - t0);
  result.alembicCurrent = execFileSync(alembic, ['-x', `db=${saved}`, 'current'], { cwd: contentengine, encoding: 'utf8' }).trim();
  const expected = { ...counts, chat_messages: 0 };
  const ok = result.downloadCheck.integrity.join() === 'ok' && result.downloadCheck.version.join() === CHAT
    && JSON.stringify(result.downloadCheck.counts) === JSON.stringify(Object.fromEntries(Object.keys(expected).sort().map((k) => [k, expected[k]])))
    && result.alembicCurrent.includes(CHAT);
  console.log(`download: ${result.downloadBytes} bytes; ${JSON.stringify(result.downloadCheck)}; alembic current: ${result.alembicCurrent}`);
  if (!ok) throw new Error('the download is not the file with the step applied');
  result.loadavgAtEnd = readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(JSON.stringify(result, null, 1));
  writeFileSync(path.join(out, 'big_file.json'), JSON.stringify(result, null, 1));
} finally {
  await close();
  server.kill();
  rmSync(work, { recursive: true, force: true });
  rmSync(served, { recursive: true, force: true });
}
