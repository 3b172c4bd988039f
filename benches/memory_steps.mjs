// The worker's WebAssembly memory and the page's JS heap after each step of one flow (demo
// shown, file opened and checked, upgraded to head, that upgrade undone), for several built
// pages one after the other, with the undo's time (click → revision shown). It shows which
// step raises the memory peak that benches/run.mjs reports as one number. A measuring aid, not
// a test.
//   node benches/memory_steps.mjs DB DIST_A [DIST_B …]
//   env INCOGNITO=1: a non-persistent browser context (OPFS there is kept in memory and slower)
//   env GC=1: after each step also the page's JS heap once V8 collected its garbage
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '../node_modules/playwright-core/index.mjs';
import { serve, text, until } from './common.mjs';

const [db, ...dists] = process.argv.slice(2);
if (!db || !dists.length) {
  console.error('usage: node benches/memory_steps.mjs DB DIST_A [DIST_B …]');
  process.exit(2);
}
const DEMO = 'c3e7a1d9f482';
const FROM = 'f17b8d2e4c90';
const HEAD = '0a6c9e3f5b71';

const shows = (page, revision) => until(async () => (await text(page, 'current-revision')) === revision, revision, 120_000);

const work = mkdtempSync(path.join(tmpdir(), 'content-db-memory-'));
const options = { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] };
const browser = process.env.INCOGNITO ? await chromium.launch(options) : null;
try {
  for (const dist of dists) {
    // A copy whose worker loader keeps wasm-bindgen's exports, to read the memory's size.
    const served = mkdtempSync(path.join(work, 'dist-'));
    cpSync(dist, served, { recursive: true });
    const loader = path.join(served, 'worker-loader.js');
    writeFileSync(loader, readFileSync(loader, 'utf8').replace(/wasm_bindgen\((.*)\);/,
      'wasm_bindgen($1).then((exports) => { self.__benchWasmExports = exports; });'));
    const { server, origin } = await serve(served);
    const context = browser ?? await chromium.launchPersistentContext(mkdtempSync(path.join(work, 'profile-')), options);
    const page = await context.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    /** The page's JS heap, used and committed, as the benchmark words it. */
    const heap = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const mb = (name) => ((metrics.find((m) => m.name === name)?.value ?? 0) / 2 ** 20).toFixed(2);
      return `page JS heap used ${mb('JSHeapUsedSize')} MB, total ${mb('JSHeapTotalSize')} MB`;
    };
    const sample = async (step) => {
      await page.waitForTimeout(300);
      const wasm = await page.workers()[0].evaluate(() => self.__benchWasmExports?.memory?.buffer.byteLength ?? 0);
      console.log(`${path.basename(dist)} ${step}: ${await heap()}; worker wasm memory ${(wasm / 2 ** 20).toFixed(2)} MiB`);
      if (process.env.GC) {
        await cdp.send('HeapProfiler.collectGarbage');
        console.log(`${path.basename(dist)} ${step}, garbage collected: ${await heap()}`);
      }
    };
    await page.goto(`${origin}/`);
    await shows(page, DEMO);
    await page.waitForTimeout(500);
    await sample('demo');
    await page.locator('input[type=file]').first().setInputFiles(db);
    await shows(page, FROM);
    await until(() => page.evaluate(() => document.querySelector('[data-testid="integrity"]')?.getAttribute('aria-busy') !== 'true'), 'the overview', 120_000);
    await sample('open');
    await page.getByTestId('upgrade-head').click();
    await shows(page, HEAD);
    await sample('upgrade');
    const started = Date.now();
    await page.getByTestId('undo').click();
    await shows(page, FROM);
    console.log(`${path.basename(dist)} undo took ${Date.now() - started} ms (from Node)`);
    await sample('undo');
    await (browser ? page.close() : context.close());
    server.kill();
  }
} finally {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
}
