// The first `upgrade head` after opening a file, click → shown on the page's own clock, for
// several built pages alternating (each repetition opens a fresh page of every build, order
// rotating), with the worker's own time for the migration (`sqlite:migration`). It measures
// what one-off costs (first-call compilation, first touch of memory) do to the first upgrade,
// which needs many repetitions on a noisy machine. A measuring aid, not a test.
//   node benches/first_upgrade.mjs DB REPS DIST_A DIST_B …
import { chromium } from '../node_modules/playwright-core/index.mjs';
import { serve, text, until } from './common.mjs';

const [db, repsArg, ...dists] = process.argv.slice(2);
const reps = Number(repsArg);
if (!db || !reps || !dists.length) {
  console.error('usage: node benches/first_upgrade.mjs DB REPS DIST_A [DIST_B …]');
  process.exit(2);
}
const DEMO = 'c3e7a1d9f482';
const FROM = 'f17b8d2e4c90';
const HEAD = '0a6c9e3f5b71';

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

const servers = await Promise.all(dists.map(serve));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const shown = dists.map(() => []);
const migration = dists.map(() => []);
try {
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < dists.length; k++) {
      const j = (k + rep) % dists.length;
      const page = await browser.newPage();
      await page.goto(`${servers[j].origin}/`);
      await until(async () => (await text(page, 'current-revision')) === DEMO, 'the demo');
      await page.waitForTimeout(500); // the worker's idle work after the demo (the warm-up)
      await page.locator('input[type=file]').first().setInputFiles(db);
      await until(async () => (await text(page, 'current-revision')) === FROM, 'the open');
      await until(() => page.evaluate(() => document.querySelector('[data-testid="integrity"]')?.getAttribute('aria-busy') !== 'true'), 'the overview');
      await page.waitForTimeout(300);
      await page.evaluate((want) => {
        const mark = { click: null, shown: null };
        window.__firstUpgrade = mark;
        document.querySelector('[data-testid="upgrade-head"]')
          .addEventListener('click', () => { mark.click = performance.now(); }, { capture: true, once: true });
        const observer = new MutationObserver(() => {
          const now = document.querySelector('[data-testid="current-revision"]')?.textContent.trim();
          if (mark.click !== null && mark.shown === null && now === want) { mark.shown = performance.now(); observer.disconnect(); }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      }, HEAD);
      await page.getByTestId('upgrade-head').click();
      await until(async () => (await text(page, 'current-revision')) === HEAD, 'the upgrade');
      shown[j].push(await page.evaluate(() => window.__firstUpgrade.shown - window.__firstUpgrade.click));
      for (const worker of page.workers()) {
        const spans = await worker.evaluate(() => performance.getEntriesByType('measure')
          .filter((m) => m.name === 'sqlite:migration').map((m) => m.duration)).catch(() => []);
        // The last migration is the user's (a warm-up's comes before it).
        if (spans.length) migration[j].push(spans[spans.length - 1]);
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  for (const { server } of servers) server.kill();
}
const ms = (x) => x.toFixed(1);
dists.forEach((dist, j) => {
  const steps = migration[j].length ? `, migration in the worker median ${ms(median(migration[j]))} (min ${ms(Math.min(...migration[j]))})` : '';
  console.log(`${dist}: click → shown median ${ms(median(shown[j]))} ms (min ${ms(Math.min(...shown[j]))}, ${shown[j].length} pages)${steps}`);
});
