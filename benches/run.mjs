// Benchmark runner (see BENCHMARKS.md; started by benches/run.sh). For each database size it
// times open, overview, upgrade head, downgrade -1, upgrade back and export four ways (and, in
// the page, an undo of the last step), in alternating order, BENCH_REPS times each:
//   page    - the built page (dist/) in headless Chromium through its worker, driven only by
//             the data-testid contract (open-file, current-revision, upgrade-head,
//             migrate-target + apply for the downgrade, download, undo)
//   cli     - the native release `content-db` CLI, one process per operation
//   sqlite3 - the sqlite3 CLI running the same SQL (migration sections in a transaction) on the
//             file deserialized into memory; sqlite3+checks adds the checks content-db runs
//   sqljs   - sql.js (npm) in the same Chromium, same SQL, same bytes
//   alembic - real Alembic (the venv's, on ContentEngine's project in tests/contentengine):
//             `alembic upgrade head` on a copy of the file, one process, as its users run it;
//             issue 16's goal compares the page's open + upgrade + download with it
// and records peak memory, the .wasm sizes, first paint and input latency during the upgrade.
// BENCH_PRIVATE=1 runs the page ways in a private (Incognito) window's context instead of a profile.
// Prints a Markdown summary and writes the raw numbers to $BENCH_OUT/results.json.
// Nothing here asserts a timing: a benchmark is not a test.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { openContext, serve } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(root, process.env.BENCH_OUT ?? 'benches/out');
const dist = path.resolve(root, process.env.BENCH_DIST ?? 'dist');
const cliBin = path.resolve(root, process.env.CONTENT_DB_BIN ?? 'target/release/content-db');
const alembicBin = path.resolve(root, process.env.CONTENT_DB_VENV ?? '.venv', 'bin/alembic');
const contentengine = path.resolve(root, process.env.CONTENTENGINE_DIR ?? 'tests/contentengine');
const sizes = (process.env.BENCH_SIZES ?? '10').split(/\s+/).filter(Boolean).map(Number);
const reps = Number(process.env.BENCH_REPS ?? 3);
const seed = process.env.BENCH_SEED ?? '1';
const ways = (process.env.BENCH_WAYS ?? 'page cli sqlite3 sqljs alembic').split(/\s+/).filter(Boolean);
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT_MS = 20 * 60_000;
const FROM = 'f17b8d2e4c90';
const HEAD = '0a6c9e3f5b71';
const DEMO = 'c3e7a1d9f482';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const TABLES = ['users', 'sessions', 'posts', 'chat_messages', 'oauth_tokens', 'alembic_version'];

// ---- the same SQL for sqlite3 and sql.js: the migration sections in a transaction ----------
function section(revision, which) {
  const file = readdirSync(path.join(root, 'migrations')).find((name) => name.startsWith(revision));
  const text = readFileSync(path.join(root, 'migrations', file), 'utf8');
  const [, rest] = text.split('-- migrate:up');
  const [up, down] = rest.split('-- migrate:down');
  return which === 'up' ? up : down;
}
const migrate = (sql, from, to) =>
  `PRAGMA foreign_keys=OFF;\nBEGIN;\n${sql}\nUPDATE alembic_version SET version_num='${to}' WHERE version_num='${from}';\nCOMMIT;\n`;
const SQL = {
  open: 'PRAGMA quick_check;',
  overview: `PRAGMA integrity_check;\n${TABLES.map((t) => `SELECT count(*) FROM ${t};`).join('\n')}\n`,
  upgrade: migrate(section(HEAD, 'up'), FROM, HEAD),
  downgrade: migrate(section(HEAD, 'down'), HEAD, FROM),
};
// The same with the check content-db runs after every step (one foreign_key_check; on a file
// without violations nothing else; integrity_check runs once per command, before writing or in
// the page's overview and download, not per step): what the CLI and the page pay per step.
const withChecks = (sql) => sql.replace('COMMIT;', 'PRAGMA foreign_key_check;\nCOMMIT;');

// ---- helpers -----------------------------------------------------------------------------
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
function timed(cmd, args, input, cwd) {
  const t0 = now();
  const result = spawnSync(cmd, args, { input, cwd, maxBuffer: 1 << 30, encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const ms = now() - t0;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}
/** Peak resident memory (VmHWM, MB) of the processes of one Chromium (found by its profile dir). */
function chromiumPeaks(profile) {
  const procs = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      procs.push({ pid: Number(pid), ppid, cmdline, hwm: hwm ? Number(hwm[1]) / 1024 : 0 });
    } catch { /* gone */ }
  }
  const mine = new Set(procs.filter((p) => p.cmdline.includes(profile)).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) { mine.add(p.pid); grew = true; }
  }
  const chosen = procs.filter((p) => mine.has(p.pid));
  const renderers = chosen.filter((p) => p.cmdline.includes('--type=renderer'));
  return {
    rendererPeakMB: Math.max(0, ...renderers.map((p) => p.hwm)),
    browserPeakMB: Math.max(0, ...chosen.filter((p) => !p.cmdline.includes('--type=')).map((p) => p.hwm)),
    sumOfPeaksMB: chosen.reduce((sum, p) => sum + p.hwm, 0),
  };
}
async function launch(work) {
  const profile = mkdtempSync(path.join(work, 'profile-'));
  const { context, close } = await openContext(profile, { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  return { context, close, profile };
}
async function waitForText(page, testId, accept, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const found = await page.evaluate(([id]) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      const error = document.querySelector('[data-testid="error"]');
      return { text: el ? el.textContent.trim() : null, error: error ? error.textContent.trim() : null };
    }, [testId]);
    if (found.text !== null && accept(found.text)) return found.text;
    if (found.error) throw new Error(`waiting for ${what}: the page shows an error: ${found.error}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
/**
 * Times a click inside the page: from the click event on `testId` (capture phase; `change` for
 * the file input) to the DOM
 * mutation that makes `current-revision` read `want` (a MutationObserver), both on the page's
 * own clock, so neither Playwright's round trips nor the polling of `waitForText` count.
 * Returns a function that reads the time once the operation is over.
 */
async function clickToShown(page, testId, want, event = 'click') {
  await page.evaluate(([id, wanted, type]) => {
    const mark = { click: null, shown: null };
    window.__clickToShown = mark;
    document.querySelector(`[data-testid="${id}"]`)
      .addEventListener(type, () => { mark.click = performance.now(); }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const text = document.querySelector('[data-testid="current-revision"]')?.textContent.trim();
      if (mark.click !== null && mark.shown === null && text === wanted) {
        mark.shown = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, [testId, want, event]);
  return () => page.evaluate(() => {
    const mark = window.__clickToShown;
    return mark.click !== null && mark.shown !== null ? mark.shown - mark.click : null;
  });
}
async function jsHeapMB(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name) => (metrics.find((m) => m.name === name)?.value ?? 0) / 2 ** 20;
  return { used: get('JSHeapUsedSize'), total: get('JSHeapTotalSize') };
}

// ---- (a) the page ----------------------------------------------------------------------------
// The worker's own timing (src/timing.rs): a `performance.measure` per request (`request:Open`,
// `request:Export`, …) and per span inside it, `sqlite:…` for time spent in SQLite (quick_check,
// the checks, a migration's statements) and `copy:…`/`app:…` for the rest. Per request kind:
// the request's time and the SQLite spans that started inside it (a build without these
// entries gives {}).
async function workerSpans(page) {
  const byKind = {};
  for (const worker of page.workers()) {
    const entries = await worker.evaluate(() => performance.getEntriesByType('measure')
      .map((m) => ({ name: m.name, start: m.startTime, ms: m.duration }))).catch(() => []);
    const requests = entries.filter((e) => e.name.startsWith('request:'));
    for (const request of requests) {
      const kind = (byKind[request.name.slice('request:'.length)] ??= { requestMs: 0, sqliteMs: 0, spans: {} });
      kind.requestMs += request.ms;
      for (const e of entries) {
        if (e === request || e.name.startsWith('request:') || e.start < request.start || e.start > request.start + request.ms) continue;
        kind.spans[e.name] = (kind.spans[e.name] ?? 0) + e.ms;
        if (e.name.startsWith('sqlite:')) kind.sqliteMs += e.ms;
      }
    }
  }
  return byKind;
}

async function runPage(db, origin, work) {
  const { context, close, profile } = await launch(work);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const result = {};
    let heapPeak = 0;
    // The worker's WebAssembly memory (it never shrinks: its size is its peak) and JS heaps,
    // read while the worker is idle after each operation (see `served` below).
    const inWorker = { wasmMB: 0, heapMB: 0, stages: [] };
    const rendererPeakAfter = {};
    const sampleHeap = async (stage) => {
      rendererPeakAfter[stage] = chromiumPeaks(profile).rendererPeakMB;
      heapPeak = Math.max(heapPeak, (await jsHeapMB(cdp)).total);
      for (const worker of page.workers()) {
        const m = await worker.evaluate(() => ({ wasm: self.__benchWasmExports?.memory?.buffer.byteLength ?? 0,
          heap: self.performance?.memory?.totalJSHeapSize ?? 0, changed: self.__contentDbChangedBytes ?? 0,
          spilled: self.__contentDbSpilledBytes ?? 0 }))
          .catch(() => ({ wasm: 0, heap: 0, changed: 0, spilled: 0 }));
        inWorker.wasmMB = Math.max(inWorker.wasmMB, m.wasm / 2 ** 20);
        inWorker.heapMB = Math.max(inWorker.heapMB, m.heap / 2 ** 20);
        // Issue 16's memory goal: the worker's wasm memory after each stage beside what the page
        // store holds of the changes and their undo in memory, and in its files in the private
        // storage (wasm memory never shrinks: it is the peak).
        if (m.wasm) inWorker.stages.push(`${stage} ${Math.round(m.wasm / 2 ** 20)}/${Math.round(m.changed / 2 ** 20)}/${Math.round(m.spilled / 2 ** 20)}`);
      }
    };
    await page.goto(`${origin}/`);
    await waitForText(page, 'current-revision', (t) => t === DEMO, 'the demo');
    const startup = await page.evaluate(() => ({
      firstPaint: performance.getEntriesByName('first-paint')[0]?.startTime ?? null,
      firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      demoReady: performance.now(),
    }));
    result.startup = startup;
    const idle = chromiumPeaks(profile);

    const openInPage = await clickToShown(page, 'open-file', FROM, 'change');
    let t0 = now();
    await page.getByTestId('open-file').setInputFiles(db);
    await waitForText(page, 'current-revision', (t) => t === FROM, 'the file to open');
    result.open = now() - t0;
    const openedInPage = await openInPage();
    // The overview's integrity_check and row counts: a request of their own that the page sends
    // after the open, shown when `integrity` stops being aria-busy. A page without that
    // attribute ran them inside the open (no separate figure).
    t0 = now();
    if (await page.getByTestId('integrity').getAttribute('aria-busy') !== null) {
      await page.waitForSelector('[data-testid="integrity"][aria-busy="false"]', { timeout: TIMEOUT_MS });
      result.overview = now() - t0;
    }
    await sampleHeap('open');

    // Responsiveness during the upgrade: the largest lateness of a 10 ms timer on the page's
    // main thread, and round trips of a real key press (CDP input, acknowledged after the
    // page's handlers ran) sent every 50 ms; also when the operation's bar
    // (`operation-progress`) moved: the times its value changed, from the click until
    // `current-revision` shows head (both seen by the same 10 ms timer).
    await page.evaluate(([head]) => {
      const probe = { maxLag: 0, keyHandled: 0, progress: new Set(), status: new Set(), moves: [], value: null,
        start: null, end: null };
      window.__probe = probe;
      let last = performance.now();
      probe.timer = setInterval(() => {
        const t = performance.now();
        probe.maxLag = Math.max(probe.maxLag, t - last - 10);
        last = t;
        const bar = document.querySelector('[data-testid="operation-progress"]')
          ?? document.querySelector('progress, [role="progressbar"]');
        if (bar) probe.progress.add(String(bar.value ?? bar.getAttribute('aria-valuenow')));
        const value = bar && bar.hasAttribute('value') ? bar.value : null;
        if (probe.start !== null && probe.end === null && value !== null && value !== probe.value) {
          probe.moves.push({ t, value });
        }
        probe.value = value;
        const revision = document.querySelector('[data-testid="current-revision"]');
        if (probe.start !== null && probe.end === null && revision?.textContent.trim() === head) probe.end = t;
        const status = document.querySelector('[data-testid="status"]');
        if (status) probe.status.add(status.textContent.trim());
      }, 10);
      document.addEventListener('keydown', () => { probe.keyHandled += 1; });
      document.querySelector('[data-testid="upgrade-head"]').addEventListener('click', () => {
        probe.start = performance.now();
      }, { capture: true });
    }, [HEAD]);
    let running = true;
    const keyLatencies = [];
    const keyLoop = (async () => {
      while (running) {
        const k0 = now();
        try {
          await page.keyboard.press('Shift');
        } catch {
          break; // the page is gone: the upgrade's own error is the one to report
        }
        keyLatencies.push(now() - k0);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const upgradeInPage = await clickToShown(page, 'upgrade-head', HEAD);
    t0 = now();
    try {
      await page.getByTestId('upgrade-head').click();
      await waitForText(page, 'current-revision', (t) => t === HEAD, 'the upgrade');
      result.upgrade = now() - t0;
      result.inPage = { open: openedInPage, upgrade: await upgradeInPage() };
    } finally {
      running = false;
      await keyLoop;
    }
    const probe = await page.evaluate(() => {
      clearInterval(window.__probe.timer);
      const p = window.__probe;
      return { maxLag: p.maxLag, keyHandled: p.keyHandled, progressValues: p.progress.size, status: [...p.status],
        moves: p.moves, start: p.start, end: p.end };
    });
    // Gaps between the bar's movements, counting the click as the first and head shown as the last.
    const marks = [probe.start, ...probe.moves.map((move) => move.t), probe.end].filter((t) => t !== null);
    const gaps = marks.slice(1).map((t, i) => t - marks[i]);
    result.responsiveness = { mainThreadMaxLagMs: probe.maxLag, keyPressMaxMs: Math.max(0, ...keyLatencies),
      keyPressMedianMs: keyLatencies.length ? median(keyLatencies) : null, keyPresses: keyLatencies.length,
      keyHandled: probe.keyHandled, progressValuesSeen: probe.progressValues, statusTexts: probe.status,
      barMoves: probe.moves.length, barValues: probe.moves.map((move) => move.value),
      barMoveAtMs: probe.moves.map((move) => Math.round(move.t - probe.start)),
      barMaxGapMs: gaps.length ? Math.max(...gaps) : null, barMedianGapMs: gaps.length ? median(gaps) : null,
      barSpanMs: probe.end !== null && probe.start !== null ? probe.end - probe.start : null };
    await sampleHeap('upgrade');

    // downgrade -1 and back through the migrate form: the preview (plan, SQL, data-loss counts)
    // is a step of its own for the user, timed apart; the downgrade is timed from Apply.
    // BENCH_PAGE_DOWNGRADE=0 leaves them out (open → upgrade → export only).
    if (process.env.BENCH_PAGE_DOWNGRADE !== '0') {
    // The migrate form is in the Migrate view (a build from before the views has no tab).
    if (await page.getByTestId('view-migrate').count()) await page.getByTestId('view-migrate').click();
    t0 = now();
    await page.getByTestId('migrate-target').fill('-1');
    await page.getByTestId('migrate-target').press('Enter');
    await page.getByTestId('apply').waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    result.previewDowngrade = now() - t0;
    const downgradeInPage = await clickToShown(page, 'apply', FROM);
    t0 = now();
    await page.getByTestId('apply').click();
    await waitForText(page, 'current-revision', (t) => t === FROM, 'the downgrade');
    result.downgrade = now() - t0;
    result.inPage.downgrade = await downgradeInPage();
    await sampleHeap('downgrade');
    const upgradeBackInPage = await clickToShown(page, 'upgrade-head', HEAD);
    t0 = now();
    await page.getByTestId('upgrade-head').click();
    await waitForText(page, 'current-revision', (t) => t === HEAD, 'the upgrade back');
    result.upgradeBack = now() - t0;
    result.inPage.upgradeBack = await upgradeBackInPage();
    await sampleHeap('upgradeBack');
    }

    t0 = now();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT_MS }),
      page.getByTestId('download').click()]);
    result.export = now() - t0;
    const saved = await download.path();
    result.exportSaved = now() - t0;
    result.exportBytes = statSync(saved).size;
    await sampleHeap('export');
    // Undo of the last step (the upgrade back; the upgrade itself with BENCH_PAGE_DOWNGRADE=0):
    // the page store puts back the chunks the step changed.
    t0 = now();
    await page.getByTestId('undo').click();
    await waitForText(page, 'current-revision', (t) => t === FROM, 'the undo');
    result.undo = now() - t0;
    await sampleHeap('undo');
    result.worker = await workerSpans(page);
    result.memory = { jsHeapPeakMB: heapPeak, wasmMemoryMB: inWorker.wasmMB, workerJsHeapMB: inWorker.heapMB, wasmByStage: inWorker.stages.join(', '), rendererPeakAfter,
      ...chromiumPeaks(profile), rendererIdlePeakMB: idle.rendererPeakMB };
    return result;
  } finally {
    await close();
  }
}

// ---- (d) sql.js in the same Chromium ----------------------------------------------------------
async function runSqljs(db, benchOrigin, work) {
  const { context, close, profile } = await launch(work);
  try {
    const page = await context.newPage();
    await page.goto(`${benchOrigin}/sqljs/index.html`);
    const result = await page.evaluate(async ([file, sql, tables]) => {
      const SQL = await initSqlJs({ locateFile: (name) => `/sqljs/${name}` });
      const bytes = new Uint8Array(await (await fetch(file)).arrayBuffer());
      const r = {};
      let t0 = performance.now();
      const db = new SQL.Database(bytes);
      db.exec(sql.open);
      r.open = performance.now() - t0;
      for (const [op, script] of [['overview', sql.overview], ['upgrade', sql.upgrade],
        ['downgrade', sql.downgrade], ['upgradeBack', sql.upgrade]]) {
        t0 = performance.now();
        db.exec(script);
        r[op] = performance.now() - t0;
      }
      t0 = performance.now();
      const image = db.export();
      const url = URL.createObjectURL(new Blob([image], { type: 'application/x-sqlite3' }));
      r.export = performance.now() - t0;
      r.exportBytes = image.length;
      r.version = db.exec('SELECT version_num FROM alembic_version')[0].values[0][0];
      URL.revokeObjectURL(url);
      db.close();
      return r;
    }, [`/data/${path.basename(db)}`, SQL, TABLES]);
    if (result.version !== HEAD) throw new Error(`sql.js ended at ${result.version}`);
    return { ...result, memory: chromiumPeaks(profile) };
  } finally {
    await close();
  }
}

// ---- (b) the CLI and (c) sqlite3 ---------------------------------------------------------------
function runCli(db, work) {
  const copy = path.join(work, 'cli.db');
  copyFileSync(db, copy);
  const run = (...args) => timed(cliBin, ['--db', copy, ...args]);
  const overviewQuery = `SELECT (SELECT group_concat(integrity_check) FROM pragma_integrity_check), ${
    TABLES.map((t) => `(SELECT count(*) FROM ${t})`).join(', ')}`;
  const r = {};
  r.open = run('current').ms;
  r.overview = run('query', overviewQuery).ms;
  r.upgrade = run('upgrade', 'head').ms;
  r.downgrade = run('downgrade', '-1').ms;
  r.upgradeBack = run('upgrade', 'head').ms;
  const current = run('current').stdout.trim();
  if (!current.startsWith(HEAD)) throw new Error(`content-db ended at ${current}`);
  rmSync(copy);
  return r;
}
// Real Alembic, as its users run it: `alembic upgrade head` on a copy of the file (the copy is
// not timed), then `alembic current` to check where it ended (not timed either).
function runAlembic(db, work) {
  const copy = path.join(work, 'alembic.db');
  copyFileSync(db, copy);
  const r = { upgrade: timed(alembicBin, ['-x', `db=${copy}`, 'upgrade', 'head'], undefined, contentengine).ms };
  const current = timed(alembicBin, ['-x', `db=${copy}`, 'current'], undefined, contentengine).stdout;
  if (!current.includes(HEAD)) throw new Error(`alembic ended at ${current}`);
  rmSync(copy);
  return r;
}
// One sqlite3 process per repetition, like the page and sql.js: the file is deserialized into
// memory (`.open --deserialize`), every operation is bracketed by `julianday('now')` (SQLite's
// clock, millisecond resolution) and the export is `.save` (the backup API writing a file).
function runSqlite3(db, work, checks) {
  const saved = path.join(work, 'sqlite3-export.db');
  const fix = checks ? withChecks : (sql) => sql;
  const mark = (name) => `SELECT '@${name}', julianday('now');\n`;
  const script = [
    mark('start'), `.open --deserialize ${db}\n`, SQL.open, mark('open'),
    SQL.overview, mark('overview'), fix(SQL.upgrade), mark('upgrade'),
    fix(SQL.downgrade), mark('downgrade'), fix(SQL.upgrade), mark('upgradeBack'),
    `.save ${saved}\n`, mark('export'), 'SELECT version_num FROM alembic_version;\n',
  ].join('');
  const { stdout } = timed('sqlite3', ['-bail', '-batch', ':memory:'], script);
  const marks = [...stdout.matchAll(/^@(\w+)\|([\d.]+)$/gm)].map((m) => [m[1], Number(m[2])]);
  const r = {};
  for (let i = 1; i < marks.length; i += 1) r[marks[i][0]] = (marks[i][1] - marks[i - 1][1]) * 86_400_000;
  const version = stdout.trim().split('\n').pop();
  if (version !== HEAD) throw new Error(`sqlite3 ended at ${version}: ${stdout}`);
  rmSync(saved);
  return r;
}

// ---- main ---------------------------------------------------------------------------------------
const work = mkdtempSync(path.join(tmpdir(), 'content-db-bench-'));
const benchDir = mkdtempSync(path.join(tmpdir(), 'content-db-bench-www-'));
execFileSync('mkdir', ['-p', `${benchDir}/sqljs`]);
for (const name of ['index.html']) copyFileSync(path.join(root, 'benches/sqljs', name), `${benchDir}/sqljs/${name}`);
for (const name of ['sql-wasm.js', 'sql-wasm.wasm']) copyFileSync(path.join(root, 'node_modules/sql.js/dist', name), `${benchDir}/sqljs/${name}`);
execFileSync('ln', ['-s', out, `${benchDir}/data`]);
// The page is served from a copy whose worker loader keeps wasm-bindgen's exports, so the
// benchmark can read the worker's WebAssembly memory size (any build, before or after a change).
const served = mkdtempSync(path.join(tmpdir(), 'content-db-bench-dist-'));
cpSync(dist, served, { recursive: true });
const loader = path.join(served, 'worker-loader.js');
writeFileSync(loader, readFileSync(loader, 'utf8').replace(/wasm_bindgen\((.*)\);/,
  'wasm_bindgen($1).then((exports) => { self.__benchWasmExports = exports; });'));
const pageServer = await serve(served);
const benchServer = await serve(benchDir);

const wasm = readdirSync(dist).filter((name) => name.endsWith('.wasm')).map((name) => {
  const bytes = readFileSync(path.join(dist, name));
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const machine = {
  date: new Date().toISOString(),
  nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
  memTotal: /MemTotal:\s+(\d+ kB)/.exec(readFileSync('/proc/meminfo', 'utf8'))[1],
  loadavgAtStart: readFileSync('/proc/loadavg', 'utf8').trim(),
  chromium: execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
  sqlite3: execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).trim().split(' ')[0],
  node: process.version,
};
const results = { machine, wasm, reps, sizes: {} };
const wayList = [...ways, ...(ways.includes('sqlite3') ? ['sqlite3+checks'] : [])];
for (const size of sizes) {
  const db = path.join(out, `content-${size}mb-seed${seed}.db`);
  const bytes = statSync(db).size;
  const runs = Object.fromEntries(wayList.map((way) => [way, []]));
  for (let rep = 0; rep < reps; rep += 1) {
    // Alternate the order so no way always runs first (cold caches) or last.
    const order = wayList.map((_, i) => wayList[(i + rep) % wayList.length]);
    for (const way of order) {
      const t0 = now();
      let r;
      if (way === 'page') r = await runPage(db, pageServer.origin, work);
      else if (way === 'sqljs') r = await runSqljs(db, benchServer.origin, work);
      else if (way === 'cli') r = runCli(db, work);
      else if (way === 'alembic') r = runAlembic(db, work);
      else if (way === 'sqlite3') r = runSqlite3(db, work, false);
      else r = runSqlite3(db, work, true);
      runs[way].push(r);
      console.error(`${size} MB rep ${rep + 1} ${way}: ${(now() - t0).toFixed(0)} ms ${JSON.stringify(r)}`);
    }
  }
  results.sizes[size] = { bytes, loadavgAfter: readFileSync('/proc/loadavg', 'utf8').trim(), runs };
}
pageServer.server.kill();
benchServer.server.kill();
rmSync(work, { recursive: true, force: true });
rmSync(benchDir, { recursive: true, force: true });
rmSync(served, { recursive: true, force: true });
writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));

// ---- summary ---------------------------------------------------------------------------------------
const OPS = ['open', 'overview', 'upgrade', 'downgrade', 'upgradeBack', 'export', 'undo'];
const fmt = (x) => (x === undefined || x === null || Number.isNaN(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
console.log(`machine: ${JSON.stringify(machine)}`);
console.log(`wasm: ${wasm.map((w) => `${w.name} ${w.raw} B raw, ${w.gzip} B gzip -9`).join('; ')}`);
for (const [size, { bytes, runs, loadavgAfter }] of Object.entries(results.sizes)) {
  console.log(`\n### ${size} MB (${bytes} bytes), median of ${reps} (ms); ratio to sqlite3 in brackets; load after: ${loadavgAfter}\n`);
  console.log(`| way | ${OPS.join(' | ')} |`);
  console.log(`|---|${OPS.map(() => '---').join('|')}|`);
  const base = Object.fromEntries(OPS.map((op) => [op, runs.sqlite3?.length ? median(runs.sqlite3.map((r) => r[op])) : undefined]));
  for (const way of wayList) {
    if (!runs[way].length) continue;
    const cells = OPS.map((op) => {
      const values = runs[way].map((r) => r[op]).filter((v) => typeof v === 'number');
      if (!values.length) return 'n/a';
      const m = median(values);
      return base[op] ? `${fmt(m)} (${(m / base[op]).toFixed(2)}×)` : fmt(m);
    });
    console.log(`| ${way} | ${cells.join(' | ')} |`);
    if (way === 'page' && runs.page.some((r) => r.inPage)) {
      // The same operations timed inside the page (click event → current-revision changed).
      const inPage = OPS.map((op) => {
        const values = runs.page.map((r) => r.inPage?.[op]).filter((v) => typeof v === 'number');
        if (!values.length) return '';
        const m = median(values);
        return base[op] ? `${fmt(m)} (${(m / base[op]).toFixed(2)}×)` : fmt(m);
      });
      console.log(`| page, in-page click → shown | ${inPage.join(' | ')} |`);
    }
  }
  for (const way of ['page', 'sqljs']) {
    if (!runs[way]?.length) continue;
    const last = runs[way].map((r) => r.memory);
    console.log(`\n${way} memory (max over reps, MB): renderer ${fmt(Math.max(...last.map((m) => m.rendererPeakMB)))}${last[0].rendererIdlePeakMB !== undefined ? ` (after loading the page, before opening: ${fmt(Math.max(...last.map((m) => m.rendererIdlePeakMB)))})` : ''}, browser ${fmt(Math.max(...last.map((m) => m.browserPeakMB)))}, sum of process peaks ${fmt(Math.max(...last.map((m) => m.sumOfPeaksMB)))}${last[0].jsHeapPeakMB !== undefined ? `, page JS heap ${fmt(Math.max(...last.map((m) => m.jsHeapPeakMB)))}, worker JS heap ${fmt(Math.max(...last.map((m) => m.workerJsHeapMB)))}, worker wasm memory ${fmt(Math.max(...last.map((m) => m.wasmMemoryMB)))}` : ''}; file ${(bytes / 2 ** 20).toFixed(1)} MB`);
    if (last[0].wasmByStage) console.log(`${way} worker wasm memory / page store's changes and undo held / stored in the private storage after each stage (MB, last rep): ${last[last.length - 1].wasmByStage}`);
  }
  if (runs.page?.length) {
    const p = runs.page;
    // Issue 4's "open + export overhead beyond SQLite's own work": the page's open and export
    // (click to shown / to the download event) minus the time the worker spent inside SQLite in
    // those requests, over the page's open + upgrade + export.
    const spent = (r, kind) => r.worker?.[kind]?.sqliteMs;
    if (p.every((r) => spent(r, 'Open') !== undefined && spent(r, 'Export') !== undefined)) {
      const overheads = p.map((r) => (r.open - spent(r, 'Open')) + (r.export - spent(r, 'Export')));
      const totals = p.map((r) => r.open + r.upgrade + r.export);
      const shares = p.map((r, i) => (100 * overheads[i]) / totals[i]);
      const s3 = runs.sqlite3?.length ? ` (sqlite3: open ${fmt(median(runs.sqlite3.map((r) => r.open)))}, export ${fmt(median(runs.sqlite3.map((r) => r.export)))})` : '';
      console.log(`page overhead beyond SQLite's own work (median): open ${fmt(median(p.map((r) => r.open)))} of which SQLite ${fmt(median(p.map((r) => spent(r, 'Open'))))}, export ${fmt(median(p.map((r) => r.export)))} of which SQLite ${fmt(median(p.map((r) => spent(r, 'Export'))))}${s3}; overhead ${fmt(median(overheads))} ms = ${median(shares).toFixed(1)} % of open + upgrade + export (${fmt(median(totals))} ms)`);
      const split = (kind) => Object.entries(p[p.length >> 1].worker[kind]?.spans ?? {}).map(([n, ms]) => `${n} ${fmt(ms)}`).join(', ');
      console.log(`page worker spans (one rep, ms): open: ${split('Open')}; export: ${split('Export')}`);
    }
    if (runs.alembic?.length) {
      // Issue 16's goals: the user's whole job in the page against Alembic's `upgrade head`,
      // and the revision (with the overview) shown against that.
      const alembic = median(runs.alembic.map((r) => r.upgrade));
      const job = median(p.map((r) => r.open + r.upgrade + r.export));
      const shown = median(p.map((r) => r.open));
      console.log(`page vs real Alembic (median): open + upgrade + download ${fmt(job)} ms ÷ alembic upgrade head ${fmt(alembic)} ms = ${(job / alembic).toFixed(2)}×; revision and overview shown in ${fmt(shown)} ms = ${(shown / alembic).toFixed(3)}× of Alembic's upgrade`);
    }
    console.log(`page start-up (median): first paint ${fmt(median(p.map((r) => r.startup.firstPaint)))} ms, first contentful paint ${fmt(median(p.map((r) => r.startup.firstContentfulPaint)))} ms, demo ready ${fmt(median(p.map((r) => r.startup.demoReady)))} ms`);
    console.log(`page during upgrade (worst over reps): main-thread timer lag ${fmt(Math.max(...p.map((r) => r.responsiveness.mainThreadMaxLagMs)))} ms, key press round trip max ${fmt(Math.max(...p.map((r) => r.responsiveness.keyPressMaxMs)))} ms (median ${fmt(median(p.map((r) => r.responsiveness.keyPressMedianMs ?? 0)))} ms, ${p.map((r) => r.responsiveness.keyPresses).join('/')} presses), progress values seen ${p.map((r) => r.responsiveness.progressValuesSeen).join('/')}, operation-progress moved ${p.map((r) => r.responsiveness.barMoves).join('/')} times in ${p.map((r) => fmt(r.responsiveness.barSpanMs)).join('/')} ms from click to head shown (longest gap ${fmt(Math.max(...p.map((r) => r.responsiveness.barMaxGapMs ?? 0)))} ms, median gap ${fmt(median(p.map((r) => r.responsiveness.barMedianGapMs ?? 0)))} ms); export to download event ${fmt(median(p.map((r) => r.export)))} ms, to saved file ${fmt(median(p.map((r) => r.exportSaved)))} ms`);
  }
}
