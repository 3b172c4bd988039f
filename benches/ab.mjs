// A/B of built dist/ folders in the page (one browser, alternating order), with the time of
// each migration split into page→worker, the steps (the worker's own millis per step), the rest
// of the worker's request, worker→page and the page's render; optionally a CPU profile of the
// worker (PROFILE=1; build the dist with wasm names kept: `data-keep-debug` and
// `data-wasm-opt="0"` on the worker's link in a copy of index.html; FOCUS=regex lists the
// callers of matching functions). Per page: open, upgrade head, undo, upgrade head again (warm
// code, reused memory), downgrade -1, upgrade back. A measuring aid, not a test.
//   node benches/ab.mjs REPS DIST_A DIST_B …   (env DB=file, default the 100 MB benchmark file)
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../node_modules/playwright-core/index.mjs';
import { serve } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const reps = Number(process.argv[2]);
const variants = process.argv.slice(3);
const db = process.env.DB ?? path.join(root, 'benches/out/content-100mb-seed1.db');
const FROM = 'f17b8d2e4c90';
const HEAD = '0a6c9e3f5b71';
const now = () => Number(process.hrtime.bigint()) / 1e6;
const WORKER_PATCH = `
self.__t = [];
const __kind = (m) => (m && typeof m === 'object') ? (m.kind ?? Object.keys(m)[0]) : String(m);
self.addEventListener('message', (e) => self.__t.push(['wrecv', performance.timeOrigin + performance.now(), __kind(e.data && e.data.message)]));
const __post = self.postMessage.bind(self);
self.postMessage = (v, t) => {
  const m = v && v.message; const k = __kind(m);
  // A step's time comes in its Progress message, or (the last step's, since the final answer
  // carries every step's time) in the final answer's log.
  const millis = k === 'Progress' ? m.entry.millis : (Array.isArray(m?.log) && typeof m.log[0] === 'object') ? m.log.map((e) => e.millis) : null;
  self.__t.push(['wpost', performance.timeOrigin + performance.now(), k, millis]);
  return __post(v, t);
};
`;
const PAGE_PATCH = () => {
  window.__t = [];
  const W = window.Worker;
  const kind = (m) => (m && typeof m === 'object') ? (m.kind ?? Object.keys(m)[0]) : String(m);
  window.Worker = function (...a) {
    const w = new W(...a);
    w.addEventListener('message', (e) => window.__t.push(['precv', performance.timeOrigin + performance.now(), kind(e.data && e.data.message)]));
    return w;
  };
  window.Worker.prototype = W.prototype;
  document.addEventListener('click', () => window.__t.push(['click', performance.timeOrigin + performance.now()]), true);
  new MutationObserver(() => {
    const t = document.querySelector('[data-testid="current-revision"]')?.textContent?.trim();
    if (t && t !== window.__lastRev) { window.__lastRev = t; window.__t.push(['rev', performance.timeOrigin + performance.now(), t]); }
  }).observe(document, { subtree: true, childList: true, characterData: true });
};
async function text(page, id) { return ((await page.getByTestId(id).textContent()) ?? '').trim(); }
async function until(page, id, want) {
  for (let i = 0; i < 40000; i++) {
    if ((await text(page, id)) === want) return;
    const err = await page.evaluate(() => document.querySelector('[data-testid="error"]')?.textContent?.trim());
    if (err) throw new Error(err);
    await new Promise((r) => setTimeout(r, 5));
  }
}
// Worker CDP (non-flattened target messages).
async function workerSession(cdp) {
  let id = 0; const pending = new Map(); let sessionId;
  const attached = new Promise((resolve) => cdp.on('Target.attachedToTarget', (e) => { if (e.targetInfo.type === 'worker') { sessionId = e.sessionId; resolve(); } }));
  cdp.on('Target.receivedMessageFromTarget', (e) => { const m = JSON.parse(e.message); if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); } });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await attached;
  const send = (method, params = {}) => new Promise((resolve, reject) => { const i = ++id; pending.set(i, (m) => m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result)); cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i, method, params }) }); });
  return send;
}
function summarize(profile, label) {
  const self = new Map(); const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map();
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; all += dt;
    const n = byId.get(profile.samples[i]);
    const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`;
    self.set(name, (self.get(name) ?? 0) + dt);
    const seen = new Set();
    for (let id = n.id; id !== undefined; id = parent.get(id)) { const f = byId.get(id).callFrame.functionName; if (!seen.has(f)) { seen.add(f); total.set(f, (total.get(f) ?? 0) + dt); } }
  }
  const callers = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; const n = byId.get(profile.samples[i]);
    if (!new RegExp(process.env.FOCUS ?? '^$').test(n.callFrame.functionName)) continue;
    const chain = []; for (let id = parent.get(n.id); id !== undefined && chain.length < 5; id = parent.get(id)) chain.push(byId.get(id).callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '').slice(-40));
    const key = chain.join(' < '); callers.set(key, (callers.get(key) ?? 0) + dt);
  }
  for (const [k, v] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`caller ${v.toFixed(1).padStart(7)} ${k}`);
  const short = (s) => s.replace(/::h[0-9a-f]{16}$/, '').slice(0, 110);
  console.log(`--- profile ${label}: ${all.toFixed(0)} ms sampled; top self`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${v.toFixed(1).padStart(8)} ${(100 * v / all).toFixed(1).padStart(5)}% ${short(k)}`);
  console.log('--- top inclusive');
  for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`${v.toFixed(1).padStart(8)} ${(100 * v / all).toFixed(1).padStart(5)}% ${short(k)}`);
}
const res = {};
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', ...(process.env.CHROME_ARGS ?? '').split(' ').filter(Boolean)] });
for (let rep = 0; rep < reps; rep++) {
  for (const v of (rep % 2 ? [...variants].reverse() : variants)) {
    const served = mkdtempSync(path.join(tmpdir(), 'wab-'));
    cpSync(v, served, { recursive: true });
    const loader = path.join(served, 'worker-loader.js');
    writeFileSync(loader, WORKER_PATCH + readFileSync(loader, 'utf8'));
    const { server, origin } = await serve(served);
    const ctx = await browser.newContext({ acceptDownloads: true });
    await ctx.addInitScript(PAGE_PATCH);
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    const wsP = workerSession(cdp);
    await page.goto(`${origin}/`);
    const wsend = await wsP;
    await page.waitForFunction(() => (document.querySelector('[data-testid="current-revision"]')?.textContent ?? '').trim().length > 0);
    await page.waitForSelector('[data-testid="status"][aria-busy="false"]');
    const idle = async () => { if (await page.getByTestId('integrity').getAttribute('aria-busy') === 'true') await page.waitForSelector('[data-testid="integrity"][aria-busy="false"]', { timeout: 600000 }); await page.waitForTimeout(200); };
    const r = {};
    const timed = async (name, act, want, profile) => {
      await page.evaluate(() => { window.__t = []; });
      await page.workers()[0].evaluate(() => { self.__t = []; });
      if (profile) { await wsend('Profiler.enable'); await wsend('Profiler.setSamplingInterval', { interval: 200 }); await wsend('Profiler.start'); }
      const t = now();
      await act();
      await until(page, 'current-revision', want);
      r[name] = now() - t;
      if (profile) { const { profile: p } = await wsend('Profiler.stop'); summarize(p, `${v} ${name}`); }
      const pt = await page.evaluate(() => window.__t); 
      const wt = await page.workers()[0].evaluate(() => self.__t); 
      const click = pt.find((e) => e[0] === 'click')?.[1];
      const wrecv = wt.find((e) => e[0] === 'wrecv' && /Upgrade|Migrate/.test(e[2]))?.[1];
      const progress = wt.filter((e) => e[2] === 'Progress');
      const fin = wt.filter((e) => e[0] === 'wpost' && /Upgraded|Migrated/.test(e[2])).pop()?.[1];
      const precv = pt.filter((e) => e[0] === 'precv' && /Upgraded|Migrated/.test(e[2])).pop()?.[1];
      const rev = pt.filter((e) => e[0] === 'rev' && e[2] === want).pop()?.[1];
      const finalLog = wt.filter((e) => e[0] === 'wpost' && /Upgraded|Migrated/.test(e[2])).pop()?.[3];
      const steps = Array.isArray(finalLog) ? finalLog.reduce((s, ms) => s + ms, 0) : progress.reduce((s, e) => s + e[3], 0);
      r[`${name}_split`] = { clickToWorker: wrecv - click, steps, lastStepToFinalPost: fin - (progress.at(-1)?.[1] ?? wrecv), workerTotal: fin - wrecv, postToPage: precv - fin, pageToDom: rev - precv, clickToDom: rev - click, stepList: (Array.isArray(finalLog) ? finalLog : progress.map((e) => e[3])).map((ms) => +ms.toFixed(1)) };
      await idle();
    };
    await page.getByTestId('open-file').setInputFiles(db);
    await until(page, 'current-revision', FROM);
    await idle();
    const prof = process.env.PROFILE === '1';
    await timed('up1', () => page.getByTestId('upgrade-head').click(), HEAD, prof);
    await timed('undo', () => page.getByTestId('undo').click(), FROM, false);
    await timed('up2', () => page.getByTestId('upgrade-head').click(), HEAD, prof);
    // The migrate form is in the Migrate view (a build from before the views has no tab).
    if (await page.getByTestId('view-migrate').count()) await page.getByTestId('view-migrate').click();
    await page.getByTestId('migrate-target').fill('-1');
    await page.getByTestId('migrate-target').press('Enter');
    await page.getByTestId('apply').waitFor({ state: 'visible' });
    await timed('down', () => page.getByTestId('apply').click(), FROM, false);
    await timed('back', () => page.getByTestId('upgrade-head').click(), HEAD, false);
    (res[v] ??= []).push(r);
    const fmt = (s) => s ? `click→worker ${s.clickToWorker.toFixed(0)} steps ${s.steps.toFixed(0)} [${s.stepList}] lastStep→post ${s.lastStepToFinalPost.toFixed(0)} worker ${s.workerTotal.toFixed(0)} post→page ${s.postToPage.toFixed(0)} page→dom ${s.pageToDom.toFixed(0)} click→dom ${s.clickToDom.toFixed(0)}` : '';
    console.log(`${v} rep${rep}: up1 ${r.up1.toFixed(0)} up2 ${r.up2.toFixed(0)} down ${r.down.toFixed(0)} back ${r.back.toFixed(0)}`);
    for (const k of ['up1', 'up2', 'down', 'back']) console.log(`   ${k}: ${fmt(r[`${k}_split`])}`);
    await ctx.close(); server.kill(); rmSync(served, { recursive: true, force: true });
  }
}
await browser.close();
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
for (const [v, rs] of Object.entries(res)) {
  console.log(`${v} median: up1 ${med(rs.map((r) => r.up1)).toFixed(0)} (steps ${med(rs.map((r) => r.up1_split.steps)).toFixed(0)}) up2 ${med(rs.map((r) => r.up2)).toFixed(0)} (steps ${med(rs.map((r) => r.up2_split.steps)).toFixed(0)}) down ${med(rs.map((r) => r.down)).toFixed(0)} (steps ${med(rs.map((r) => r.down_split.steps)).toFixed(0)}) back ${med(rs.map((r) => r.back)).toFixed(0)} (steps ${med(rs.map((r) => r.back_split.steps)).toFixed(0)})`);
}
