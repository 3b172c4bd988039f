// Issue 16: what a clean-page cache outside WebAssembly memory would cost. Copies the File into
// an origin-private file in 16 MiB reads, then times random reads of 4 KiB .. 16 MiB from the
// File (FileReaderSync) and from that copy (a sync access handle). A measuring aid, not a test.
//   node benches/clean_cache.mjs [SIZE_MB]   (file from benches/out/, default 500)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../node_modules/playwright-core/index.mjs';
import { serve } from './common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const mb = Number(process.argv[2] ?? 500);
const ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const { server, origin } = await serve(path.join(here, 'io'));
const work = mkdtempSync(path.join(tmpdir(), 'clean-cache-'));
const context = await chromium.launchPersistentContext(path.join(work, 'profile'), { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ARGS });
try {
  const page = await context.newPage();
  await page.goto(`${origin}/index.html`);
  const call = async (op, args) => { const r = await page.evaluate(([o, a]) => window.call(o, a), [op, args]); if (r.error) throw new Error(`${op}: ${r.error}`); return r.result; };
  await page.setInputFiles('#file', path.join(here, 'out', `content-${mb}mb-seed1.db`));
  for (let rep = 0; rep < 2; rep++) {
    const m = await call('mirror', { slice: 16 });
    console.log(`${mb} MB into OPFS: ${Math.round(m.ms)} ms (File reads ${Math.round(m.readMs)}, OPFS writes ${Math.round(m.writeMs)})`);
  }
  for (const len of [4, 64, 1024, 16384]) {
    for (const from of ['file', 'opfs']) {
      const count = Math.max(8, Math.min(2000, Math.floor(256 * 1024 / len)));
      const r = await call('randomReads', { from, len, count, seed: 11 });
      console.log(`random ${String(len).padStart(5)} KiB reads from ${from.padEnd(4)}: ${r.perCallUs.toFixed(0).padStart(7)} us per read, ${r.mbPerS.toFixed(0)} MB/s (${count} reads)`);
    }
  }
} finally { await context.close(); server.kill(); rmSync(work, { recursive: true, force: true }); }
