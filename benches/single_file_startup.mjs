// Start-up of the single file (package/content-db.html, opened from disk) against the served
// page (dist/ on 127.0.0.1), alternating, each load in a fresh browser context (nothing cached,
// as on a first visit). Times on the page's own clock from navigation start: first contentful
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
const ways = {
  served: `${origin}/`,
  'single file': pathToFileURL(path.join(root, 'package/content-db.html')).href,
};
const times = Object.fromEntries(Object.keys(ways).map((way) => [way, { fcp: [], demo: [] }]));
try {
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 ? Object.keys(ways).reverse() : Object.keys(ways);
    for (const way of order) {
      // Service workers blocked: the served page is measured as on a first visit.
      const context = await browser.newContext({ serviceWorkers: 'block' });
      await context.addInitScript(watchDemo);
      const page = await context.newPage();
      await page.goto(ways[way]);
      await page.waitForFunction(() => window.__demoShown !== undefined, null, { timeout: 60_000, polling: 50 });
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
  console.log(`${way.padEnd(12)} first contentful paint ${median(fcp).toFixed(0)} ms, demo shown ${median(demo).toFixed(0)} ms`
    + ` (median of ${reps}; demo min ${Math.min(...demo).toFixed(0)}, max ${Math.max(...demo).toFixed(0)})`);
}
console.log(`demo shown, single file / served: ${(median(times['single file'].demo) / median(times.served.demo)).toFixed(2)}`);
