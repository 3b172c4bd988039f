// Loading another history in the page: N generated revision files in a chain (each creates a
// table, every tenth also alters one), chosen through `open-migrations`, timed on the page's own
// clock from the input's `change` event to `migrations-source` showing the loaded history
// ("loaded"), and to the revision graph listing all N revisions ("graph"; it waits for the
// replays that mark each revision's data loss). The demo is open meanwhile and is re-read under
// the new history. Between runs the page goes back to the embedded history. A measuring aid,
// not a test.
//   node benches/load_history.mjs [REVISIONS] [REPS]     (after `trunk build --release`)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../node_modules/playwright-core/index.mjs';
import { serve, text, until } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const revisions = Number(process.argv[2] ?? 100);
const reps = Number(process.argv[3] ?? 5);
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Writes `count` migration files in a chain to a new folder; returns their paths. */
function writeChain(count) {
  const folder = mkdtempSync(path.join(tmpdir(), 'content-db-chain-'));
  const id = (n) => `c${String(n).padStart(11, '0')}`;
  return {
    folder,
    files: Array.from({ length: count }, (_, n) => {
      const up = n % 10 === 9
        ? `CREATE TABLE t${n} (id INTEGER PRIMARY KEY, name TEXT);\nALTER TABLE t${n - 1} ADD COLUMN note TEXT;`
        : `CREATE TABLE t${n} (id INTEGER PRIMARY KEY, name TEXT);`;
      const down = n % 10 === 9
        ? `ALTER TABLE t${n - 1} DROP COLUMN note;\nDROP TABLE t${n};`
        : `DROP TABLE t${n};`;
      const file = path.join(folder, `${id(n)}_step_${n}.sql`);
      writeFileSync(file, `-- revision: ${id(n)}\n-- down_revision: ${n === 0 ? '' : id(n - 1)}\n`
        + `-- message: step ${n}\n-- create_date: 2025-01-01 00:00:00.000000\n\n`
        + `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`);
      return file;
    }),
  };
}

/** Installs, on the page's clock, the times of `change` and of the loaded history shown. */
function watch(count) {
  window.__times = {};
  const input = document.querySelector('[data-testid="open-migrations"]');
  input.addEventListener('change', () => { window.__times.change = performance.now(); }, { capture: true, once: true });
  new MutationObserver((_, observer) => {
    const source = document.querySelector('[data-testid="migrations-source"]')?.textContent ?? '';
    if (!window.__times.loaded && source.startsWith('loaded')) window.__times.loaded = performance.now();
    const rows = document.querySelectorAll('[data-testid="history"] [data-revision]').length;
    if (window.__times.loaded && rows === count) {
      window.__times.graph = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

const { folder, files } = writeChain(revisions);
const { server, origin } = await serve(path.join(root, 'dist'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const loaded = [];
const graph = [];
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/#migrate`);
  await until(async () => (await text(page, 'current-revision'))?.length > 0, 'the demo');
  await until(async () => (await text(page, 'migrations-source'))?.startsWith('embedded'), 'the embedded history');
  for (let rep = 0; rep < reps; rep++) {
    await until(() => page.evaluate(() => document.querySelector('[data-testid="status"]')?.getAttribute('aria-busy') === 'false'), 'idle');
    await page.evaluate(watch, revisions);
    await page.getByTestId('open-migrations').setInputFiles(files);
    await page.waitForFunction(() => window.__times.graph !== undefined, null, { timeout: 120_000, polling: 50 });
    const times = await page.evaluate(() => window.__times);
    const source = await text(page, 'migrations-source');
    if (!source.includes(`${revisions} revisions`)) throw new Error(`unexpected source: ${source}`);
    loaded.push(times.loaded - times.change);
    graph.push(times.graph - times.change);
    console.log(`run ${rep + 1}: loaded ${(times.loaded - times.change).toFixed(0)} ms, graph ${(times.graph - times.change).toFixed(0)} ms`);
    await page.getByTestId('use-embedded-migrations').click();
    await until(async () => (await text(page, 'migrations-source'))?.startsWith('embedded'), 'the embedded history again');
  }
} finally {
  await browser.close();
  server.kill();
  rmSync(folder, { recursive: true, force: true });
}
console.log(`${revisions} revisions, ${reps} runs: median loaded ${median(loaded).toFixed(0)} ms `
  + `(min ${Math.min(...loaded).toFixed(0)}, max ${Math.max(...loaded).toFixed(0)}), `
  + `median graph ${median(graph).toFixed(0)} ms (min ${Math.min(...graph).toFixed(0)}, max ${Math.max(...graph).toFixed(0)})`);
