// Start-up of the single file (package/content-db.html, opened from disk) against the served
// page (dist/ on 127.0.0.1), alternating, each in a fresh browser context: the first visit
// (nothing cached) and a second one (caches warm). Times on the page's own clock from navigation start: first contentful
// paint, and the demo database shown (both WebAssembly modules compiled, the worker running,
// the demo opened). A measuring aid, not a test.
//   node benches/single_file_startup.mjs [REPS]     (after `bash scripts/package.sh`)
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '../node_modules/playwright-core/index.mjs';
import { serve } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reps = Number(process.argv[2] ?? 10);
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Records, on the page's clock, when `current-revision` first shows text. */
function watchDemo() {
  new MutationObserver((_, observer) => {
    const revision = document.querySelector('[data-testid="current-revision"]');
    if (revision?.textContent.trim()) {
      window.__demoShown = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

const { server, origin } = await serve(path.join(root, 'dist'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const urls = { served: `${origin}/`, 'single file': pathToFileURL(path.join(root, 'package/content-db.html')).href };
// Each first visit, and a second visit in the same context (the browser's caches warm: HTTP,
// compiled code).
const ways = Object.fromEntries(Object.entries(urls).flatMap(([way, url]) => [[way, { url, visits: 1 }],
  [`${way}, again`, { url, visits: 2 }]]));
const times = Object.fromEntries(Object.keys(ways).map((way) => [way, { fcp: [], demo: [] }]));
try {
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 ? Object.keys(ways).reverse() : Object.keys(ways);
    for (const way of order) {
      // Service workers blocked: the served page is measured as on a first visit.
      const context = await browser.newContext({ serviceWorkers: 'block' });
      await context.addInitScript(watchDemo);
      const page = await context.newPage();
      for (let visit = 0; visit < ways[way].visits; visit++) {
        await page.goto(ways[way].url);
        await page.waitForFunction(() => window.__demoShown !== undefined, null, { timeout: 60_000, polling: 50 });
      }
      const { fcp, demo } = await page.evaluate(() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
        demo: window.__demoShown,
      }));
      times[way].fcp.push(fcp);
      times[way].demo.push(demo);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.kill();
}
for (const [way, { fcp, demo }] of Object.entries(times)) {
  console.log(`${way.padEnd(19)} first contentful paint ${median(fcp).toFixed(0)} ms, demo shown ${median(demo).toFixed(0)} ms`
    + ` (median of ${reps}; demo min ${Math.min(...demo).toFixed(0)}, max ${Math.max(...demo).toFixed(0)})`);
}
const ratio = (a, b) => (median(times[a].demo) / median(times[b].demo)).toFixed(2);
console.log(`demo shown, single file / served: first visit ${ratio('single file', 'served')},`
  + ` again ${ratio('single file, again', 'served, again')}`);
