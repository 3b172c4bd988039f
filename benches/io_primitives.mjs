// Times the browser primitives the worker could use to read the chosen File into WebAssembly
// memory and to keep/offer images (Blobs vs the origin-private file system), in one headless
// Chromium launched as benches/run.mjs launches it. A measuring aid, not a test.
//   node benches/io_primitives.mjs [SIZES_MB…]   (default 100 500; files from benches/out/)
//   env REPS=2; OPEN_TEST=1: only OPFS writes by write size, handles left open (as the worker
//   does); ALT_TEST=1: only Blob vs OPFS images, alternating, all kept.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../node_modules/playwright-core/index.mjs';
import { serve } from './common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = process.argv.slice(2).length ? process.argv.slice(2).map(Number) : [100, 500];
const reps = Number(process.env.REPS ?? 2);
const ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

function browserMem(profile) {
  const out = { rss: 0, hwm: 0, rendererRss: 0 };
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(profile)) continue;
      const st = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(st)[1]) / 1024; const hwm = Number(/VmHWM:\s+(\d+)/.exec(st)[1]) / 1024;
      if (!cmd.includes('--type=')) { out.rss = rss; out.hwm = hwm; }
      if (cmd.includes('--type=renderer')) out.rendererRss = Math.max(out.rendererRss, rss);
    } catch { /* gone */ }
  }
  return out;
}
const r1 = (x) => Math.round(x * 10) / 10;
const { server, origin } = await serve(path.join(here, 'io'));
const work = mkdtempSync(path.join(tmpdir(), 'io-prim-'));
const profile = path.join(work, 'profile');
const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ARGS, acceptDownloads: true });
try {
  const page = await context.newPage();
  await page.goto(`${origin}/index.html`);
  const call = async (op, args) => { const r = await page.evaluate(([o, a]) => window.call(o, a), [op, args]); if (r.error) throw new Error(`${op} ${JSON.stringify(args)}: ${r.error}`); return r.result; };
  for (const mb of sizes) {
    const file = path.join(here, 'out', `content-${mb}mb-seed1.db`);
    await page.setInputFiles('#file', file);
    await call('frs', { slice: 16 }); // warm the OS cache and the code
    console.log(`\n== ${mb} MB (${readFileSync(file).length} B), ${reps} reps each, ms (min / max)`);
    const reads = [['frs', { slice: 4 }], ['frs', { slice: 16 }], ['frs', { slice: 64 }], ['frs', { slice: 0 }],
      ['ab', { slice: 4 }], ['ab', { slice: 16 }], ['ab', { slice: 64 }], ['ab', { slice: 0 }],
      ['stream', {}], ['byob', { slice: 1 }], ['byob', { slice: 16 }],
      ['abOverlap', { slice: 16, work: 0 }], ['abOverlap', { slice: 4, work: 0 }],
      ['frsWork', { slice: 16, work: 1.2 }], ['abOverlap', { slice: 16, work: 1.2 }], ['abOverlap', { slice: 4, work: 1.2 }]];
    const times = new Map();
    for (let rep = 0; rep < (process.env.ALT_TEST || process.env.OPEN_TEST ? 0 : reps); rep++) {
      for (const [op, args] of (rep % 2 ? [...reads].reverse() : reads)) {
        const key = `${op} ${JSON.stringify(args)}`; const { ms } = await call(op, args);
        times.set(key, [...(times.get(key) ?? []), ms]);
      }
    }
    for (const [k, v] of times) console.log(`read  ${k.padEnd(34)} ${r1(Math.min(...v))} / ${r1(Math.max(...v))}`);
    // The way out: three kept copies (two checkpoints + a download) each way, with the
    // browser process's memory after each.
    await call('opfsClear', {});
    if (process.env.ALT_TEST) {
      // Blob (16 MiB parts, kept) and OPFS (4 MiB writes, handle kept open), alternating.
      const blob = [], opfs = [], pre = [];
      for (let i = 0; i < 4; i++) {
        blob.push(Math.round((await call('blobParts', { slice: 16, nested: true, keep: true })).ms));
        opfs.push((await call('opfsOpen', { slice: 4, name: `alt${i}-`, count: 1 })).times[0]);
        pre.push((await call('opfsOpen', { slice: 4, name: `pre${i}-`, count: 1, presize: true })).times[0]);
      }
      const m = browserMem(profile);
      console.log(`alternating, ms per image: blob ${blob} | opfs ${opfs} | opfs pre-sized ${pre}; browser rss ${r1(m.rss)} hwm ${r1(m.hwm)}`);
      await call('dropKept', {}); await call('closeOpen', {}); await call('opfsClear', {});
      continue;
    }
    if (process.env.OPEN_TEST) {
      console.log('opfs writes with earlier handles left open:', JSON.stringify(await call('opfsOpen', { slice: 16, name: 'o', count: 4 })));
      await call('closeOpen', {}); await call('opfsClear', {});
      for (const slice of [0.25, 1, 2, 4, 8, 4, 1]) {
        console.log(`opfs writes, ${slice} MiB slices, handles left open:`, JSON.stringify(await call('opfsOpen', { slice, name: 'p', count: 3 })));
        await call('closeOpen', {}); await call('opfsClear', {});
      }
      continue;
    }
    let m0 = browserMem(profile);
    console.log(`browser process before out: rss ${r1(m0.rss)} MB, hwm ${r1(m0.hwm)} MB; renderer rss ${r1(m0.rendererRss)}`);
    for (let i = 0; i < 3; i++) {
      const r = await call('opfs', { slice: 16, name: `c${i}`, keep: true });
      const m = browserMem(profile);
      console.log(`out   opfs write 16 MiB #${i}: ${r1(r.ms)} ${JSON.stringify(Object.fromEntries(Object.entries(r.parts).map(([k, v]) => [k, r1(v)])))}; browser rss ${r1(m.rss)} hwm ${r1(m.hwm)}`);
    }
    { const r = await call('opfs', { slice: 64, name: 'c64', keep: false }); console.log(`out   opfs write 64 MiB: ${r1(r.ms)}`); }
    { const r = await call('opfs', { slice: 16, name: 'cnf', keep: false, flush: false }); console.log(`out   opfs write 16 MiB no flush: ${r1(r.ms)}`); }
    { const r = await call('opfsReadBack', { name: 'c0', slice: 16 }); console.log(`in    opfs read back via access handle into memory: ${r1(r.ms)} (handle ${r1(r.handle)})`); }
    { const r = await call('opfsGetFileWhileOpen', { name: 'c1' }); console.log(`note  ${r.r}`); }
    // download of the last OPFS file
    { await call('opfs', { slice: 16, name: 'dl', keep: true });
      const t0 = Date.now(); const [dl] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.download('x.db'))]);
      const t1 = Date.now(); const p = await dl.path(); const t2 = Date.now();
      console.log(`out   download of OPFS File: event ${t1 - t0} ms, saved ${t2 - t0} ms, ${readFileSync(p).length} B`); }
    { const r = await call('opfsFileAfterRemove', { name: 'c2' }); console.log(`note  File after removeEntry: ${r.r}`); }
    const est = await call('estimate', {}); console.log(`note  storage estimate: usage ${r1(est.usage / 1048576)} MB of quota ${r1(est.quota / 1048576)} MB`);
    await call('opfsClear', {});
    m0 = browserMem(profile);
    console.log(`browser process after opfs clear: rss ${r1(m0.rss)} hwm ${r1(m0.hwm)}`);
    for (const [nested, slice] of [[true, 16], [false, 16], [false, 64]]) {
      const r = await call('blobParts', { slice, nested, keep: false });
      const m = browserMem(profile);
      console.log(`out   blob ${nested ? 'of 16 MiB blobs' : `of ${slice} MiB views`} (not kept): ${r1(r.ms)}; browser rss ${r1(m.rss)}`);
    }
    for (let i = 0; i < 3; i++) {
      const r = await call('blobParts', { slice: 16, nested: true, keep: true });
      const m = browserMem(profile);
      console.log(`out   blob of 16 MiB blobs kept #${i}: ${r1(r.ms)}; browser rss ${r1(m.rss)} hwm ${r1(m.hwm)}`);
    }
    { const t0 = Date.now(); const [dl] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.download('y.db'))]);
      const t1 = Date.now(); const p = await dl.path(); const t2 = Date.now();
      console.log(`out   download of Blob: event ${t1 - t0} ms, saved ${t2 - t0} ms, ${readFileSync(p).length} B`); }
    await call('dropKept', {});
  }
} finally {
  await context.close(); server.kill(); rmSync(work, { recursive: true, force: true });
}
