// The private storage's (OPFS) own speed through a sync access handle, in an ordinary window
// (a profile on disk) and in a private (Incognito) window, where Chromium keeps it in the
// browser's memory: a write of 128 MiB in 1 MiB calls, then reads of 4 KiB, 64 KiB and 1 MiB at
// scattered places. What worker/storage_speed.rs's threshold rests on (BENCHMARKS.md, “The
// private storage in a private window”). A measuring aid, not a test.
//   node benches/private_storage.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './common.mjs';

/** The worker: times the calls and posts what it saw. */
const WORKER = `(async () => {
  const out = {};
  try {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('private-storage-bench.bin', { create: true });
    const access = await handle.createSyncAccessHandle();
    const MiB = 1 << 20, count = 128;
    const block = new Uint8Array(MiB).fill(7);
    let started = performance.now();
    for (let i = 0; i < count; i++) access.write(block, { at: i * MiB });
    out['write 1 MiB: ms per MiB'] = ((performance.now() - started) / count).toFixed(2);
    for (const size of [4096, 65536, MiB]) {
      const into = new Uint8Array(size);
      const places = (count * MiB) / size;
      const reads = Math.min(2000, places);
      started = performance.now();
      for (let i = 0; i < reads; i++) access.read(into, { at: ((i * 7919) % places) * size });
      const ms = performance.now() - started;
      out['read ' + size + ' B: µs per call'] = (ms * 1000 / reads).toFixed(1);
      out['read ' + size + ' B: ms per MiB'] = (ms / (reads * size / MiB)).toFixed(2);
    }
    access.close();
    await root.removeEntry('private-storage-bench.bin');
  } catch (error) { out.error = String(error); }
  postMessage(out);
})();`;

const site = mkdtempSync(path.join(tmpdir(), 'private-storage-'));
writeFileSync(path.join(site, 'index.html'), '<script>new Worker("worker.js").onmessage = (e) => { window.result = e.data; };</script>');
writeFileSync(path.join(site, 'worker.js'), WORKER);
const { server, origin } = await serve(site);
const options = { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking'] };
try {
  for (const window of ['ordinary', 'private']) {
    const browser = window === 'private' ? await chromium.launch(options) : null;
    const context = browser
      ? await browser.newContext()
      : await chromium.launchPersistentContext(path.join(site, 'profile'), options);
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.result, null, { timeout: 300_000 });
    console.log(`${window} window:`, JSON.stringify(await page.evaluate(() => window.result)));
    await context.close();
    await browser?.close();
  }
} finally {
  server.kill();
  rmSync(site, { recursive: true, force: true });
}
