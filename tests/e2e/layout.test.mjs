// The page's layout: a header that stays in view (the file, its revision and state, Upgrade,
// Undo, Download) over four views switched by tabs (a WAI-ARIA tablist: click, arrow keys, the
// URL fragment); the whole window takes a dropped file; no serious or critical accessibility
// violation (axe-core, from npm) in any view, light or dark; nothing wider than a phone's
// screen. Screenshots of every view, light and dark, desktop and phone: tests/e2e/artifacts/layout-*.png.
//
// run: bash scripts/test-e2e.sh   (or, with dist/ built: node --test tests/e2e/layout.test.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  VIEWS, assertClean, clippedBadges, env, fixture, idle, openPage, overviewChecked, preview, scratch, screenshot, showView,
  start, stop, waitFor, waitForText,
} from './harness.mjs';

const require = createRequire(import.meta.url);
// Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
// govern: no inline script is added, the policy stays as it is.
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const HEADER = ['current-revision', 'upgrade-head', 'undo', 'download', 'status'];

before(start);
after(stop);

/** The serious and critical axe-core violations on the page as it is now, one line each. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}: ${violation.nodes
      .slice(0, 4).map((node) => `${node.target.join(' ')} ${node.failureSummary ?? ''}`.trim()).join(' | ')}`);
}

/** Which view is shown: the selected tab, the panel shown, and the URL fragment must agree. */
async function shownView(page) {
  return page.evaluate((views) => {
    const selected = views.filter((name) => document.querySelector(`[data-testid="view-${name}"]`)
      ?.getAttribute('aria-selected') === 'true');
    const shown = views.filter((name) => !document.getElementById(`panel-${name}`)?.hidden);
    return { selected, shown, fragment: location.hash };
  }, VIEWS);
}

function assertShown(state, name) {
  assert.deepEqual(state, { selected: [name], shown: [name], fragment: `#${name}` }, `the ${name} view is shown`);
}

/** The demo with something in every view: a preview, a comparison, a table and a console result. */
async function fillViews(page) {
  await overviewChecked(page);
  await page.waitForSelector('[data-testid="drift"][aria-busy="false"]', { state: 'attached' });
  await preview(page, 'head');
  await page.getByTestId('history').locator('[data-revision]').first().waitFor();
  await showView(page, 'schema');
  await page.getByTestId('erd').waitFor();
  const head = fixture('head').trim();
  await page.getByTestId('revision-diff-from').selectOption('base');
  await page.getByTestId('revision-diff-to').selectOption(head);
  await page.getByTestId('revision-diff-summary').waitFor();
  await showView(page, 'data');
  await page.getByTestId('table-list').locator('[data-table="posts"] button').click();
  await page.getByTestId('table-grid').waitFor();
  await page.getByTestId('sql-input').fill('SELECT id, content FROM posts ORDER BY id LIMIT 5');
  await page.getByTestId('run-sql').click();
  await page.getByTestId('sql-result').waitFor();
  await idle(page);
}

/** Elements of the header and the shown view that reach past the window's right edge, and are not
 * inside a box that scrolls or clips them on purpose (a wide table scrolls in its own box). */
async function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (element) => {
      for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
        const overflow = getComputedStyle(node).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
      }
      return false;
    };
    return [...document.querySelectorAll('body *')]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && (box.right > width + 0.5 || box.left < -0.5) && !scrolls(element);
      })
      .map((element) => `${element.tagName.toLowerCase()}${element.dataset.testid ? `[${element.dataset.testid}]` : ''}.${element.className}`);
  });
}

test('every view in light and dark: no serious accessibility violation, at most about two screens tall', async () => {
  const page = await openPage('layout-views');
  await page.setViewportSize(DESKTOP);
  await fillViews(page);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const name of VIEWS) {
      await showView(page, name);
      assertShown(await shownView(page), name);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `layout-${name}-${scheme}`);
      assert.deepEqual(await axeViolations(page), [], `axe: the ${name} view, ${scheme}`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(height <= 2.25 * DESKTOP.height, `the ${name} view is ${height}px tall (more than about two screens)`);
    }
  }
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(background, light, 'the dark theme follows the system setting');
  await page.close();
});

test('the header stays in view, scrolled to the bottom of any view, and its buttons work from there', async () => {
  const page = await openPage('layout-header');
  await page.setViewportSize(DESKTOP);
  await fillViews(page);
  const scrolled = [];
  for (const name of VIEWS) {
    await showView(page, name);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    if (await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 1)) {
      await waitFor(page, () => page.evaluate(() => window.scrollY), (y) => y > 0, `${name} scrolled`);
      scrolled.push(name);
    }
    const hidden = await page.evaluate((ids) => ids.filter((id) => {
      const element = document.querySelector(`[data-testid="${id}"]`);
      const box = element.getBoundingClientRect();
      const inside = box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0;
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return !inside || !element.contains(hit);
    }), HEADER);
    assert.deepEqual(hidden, [], `header elements out of view at the bottom of the ${name} view`);
  }
  assert.ok(scrolled.includes('data'), `the views taller than the window: ${scrolled}`);
  await screenshot(page, 'layout-scrolled-data');
  // From the bottom of the Data view: upgrade, undo, download.
  const head = fixture('head').trim();
  const before = (await page.getByTestId('current-revision').textContent()).trim();
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === head, 'head');
  await idle(page);
  await page.getByTestId('undo').click();
  await waitForText(page, 'current-revision', (text) => text === before, 'undone');
  await idle(page);
  const [event] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  assert.match(event.suggestedFilename(), /\.db$/);
  await idle(page);
  assert.deepEqual((await shownView(page)).shown, ['data'], 'the view stays as it was');
  await page.close();
});

test('the URL fragment names the view: opening it, changing it, going back', async () => {
  const page = await env.context.newPage();
  await page.setViewportSize(DESKTOP);
  await page.goto(`${env.origin}/#schema`);
  await waitForText(page, 'current-revision', (text) => text.length > 0, 'the demo');
  assertShown(await shownView(page), 'schema');
  await page.evaluate(() => { window.location.hash = 'data'; });
  await waitFor(page, () => shownView(page), (state) => state.shown[0] === 'data', 'the data view');
  assertShown(await shownView(page), 'data');
  await page.goBack();
  await waitFor(page, () => shownView(page), (state) => state.shown[0] === 'schema', 'back to schema');
  assertShown(await shownView(page), 'schema');
  await showView(page, 'migrate');
  assertShown(await shownView(page), 'migrate');
  // A fragment that names no view shows the overview.
  await page.goto(`${env.origin}/#nothing-here`);
  await waitForText(page, 'current-revision', (text) => text.length > 0, 'the demo');
  const state = await shownView(page);
  assert.deepEqual([state.selected, state.shown], [['overview'], ['overview']]);
  await page.close();
});

test('the keyboard moves between tabs (arrows, Home, End) and Tab goes into the view', async () => {
  const page = await openPage('layout-keys');
  await page.setViewportSize(DESKTOP);
  await page.getByTestId('view-overview').focus();
  const focused = () => page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.id);
  const steps = [['ArrowRight', 'migrate'], ['ArrowRight', 'schema'], ['ArrowLeft', 'migrate'], ['End', 'data'],
    ['ArrowRight', 'overview'], ['ArrowLeft', 'data'], ['Home', 'overview']];
  for (const [key, name] of steps) {
    await page.keyboard.press(key);
    assert.equal(await focused(), `view-${name}`, `${key} focuses the ${name} tab`);
    assertShown(await shownView(page), name);
  }
  // Only the selected tab is in the Tab order; Tab leaves the tablist for the view.
  const tabIndexes = await page.locator('[role="tab"]').evaluateAll((tabs) => tabs.map((tab) => tab.tabIndex));
  assert.deepEqual(tabIndexes, [0, -1, -1, -1]);
  await page.keyboard.press('End');
  await page.keyboard.press('Tab');
  const inView = await page.evaluate(() => document.getElementById('panel-data').contains(document.activeElement));
  assert.ok(inView, 'Tab moves into the data view');
  await page.close();
});

test('a file dropped anywhere in the window opens', async () => {
  const file = scratch('dropped.db');
  fixture('make', file, 'b81d3e5f0a27');
  const page = await openPage('layout-drop');
  await showView(page, 'data');
  const transfer = await page.evaluateHandle((data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], 'dropped.db'));
    return dt;
  }, [...readFileSync(file)]);
  await page.locator('#panel-data').dispatchEvent('dragover', { dataTransfer: transfer });
  assert.equal(await page.locator('.app.dragging').count(), 1, 'the window shows it takes the file');
  await page.locator('#panel-data').dispatchEvent('drop', { dataTransfer: transfer });
  await waitForText(page, 'file-name', (text) => text === 'dropped.db', 'the dropped file');
  await waitForText(page, 'current-revision', (text) => text === 'b81d3e5f0a27', 'its revision');
  assert.equal(await page.locator('.app.dragging').count(), 0);
  await page.close();
});

test('on a phone nothing is cut or wider than the screen, in any view, light or dark', async () => {
  const page = await openPage('layout-phone');
  await page.setViewportSize(PHONE);
  await fillViews(page);
  // At head the head revision carries every badge: current, head, loses data.
  await page.getByTestId('upgrade-head').click();
  await waitForText(page, 'current-revision', (text) => text === fixture('head').trim(), 'head');
  await idle(page);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const name of VIEWS) {
      await showView(page, name);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `layout-phone-${name}-${scheme}`);
      const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(width[0] <= width[1], `the ${name} view scrolls sideways: ${width}`);
      assert.deepEqual(await sidewaysOverflow(page), [], `elements past the right edge in the ${name} view`);
    }
  }
  await showView(page, 'migrate');
  assert.deepEqual(await clippedBadges(page), [], 'badges cut off on a phone');
  // The tabs stay at the top of a scrolled view.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const tabsTop = await page.locator('[role="tablist"]').evaluate((tabs) => tabs.getBoundingClientRect().top);
  assert.ok(Math.abs(tabsTop) < 1, `the tabs stay at the top (${tabsTop})`);
  await page.close();
});

test("other migrations: the header's offer and the loaded history pass axe and fit a phone, light and dark", async () => {
  // Three migration files of a made-up application: the demo (ContentEngine's) is then at a
  // revision they do not know, so the header offers to load others, and the way back is shown.
  const folder = scratch('three-migrations');
  mkdirSync(folder, { recursive: true });
  const id = (n) => `a${String(n).padStart(11, '0')}`;
  const files = [0, 1, 2].map((n) => {
    const file = path.join(folder, `${id(n)}_step_${n}.sql`);
    writeFileSync(file, `-- revision: ${id(n)}\n-- down_revision: ${n === 0 ? '' : id(n - 1)}\n`
      + `-- message: step ${n}\n-- create_date: 2025-01-01 00:00:00\n\n-- migrate:up\n`
      + `CREATE TABLE t${n} (id INTEGER PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE t${n};\n`);
    return file;
  });
  const page = await openPage('layout-other-migrations');
  await showView(page, 'migrate');
  await page.getByTestId('open-migrations').setInputFiles(files);
  await waitForText(page, 'migrations-source', (text) => text.startsWith('loaded from 3 files'), 'the loaded history');
  await page.getByTestId('offer-migrations').waitFor();
  await page.getByTestId('use-embedded-migrations').waitFor();
  await idle(page);
  for (const [viewport, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(size);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const name of ['overview', 'migrate']) {
        await showView(page, name);
        await page.evaluate(() => window.scrollTo(0, 0));
        assert.deepEqual(await axeViolations(page), [], `axe: the ${name} view, ${viewport}, ${scheme}`);
        assert.deepEqual(await sidewaysOverflow(page), [], `elements past the right edge: ${name}, ${viewport}, ${scheme}`);
      }
    }
  }
  await screenshot(page, 'layout-phone-other-migrations-dark');
  await page.close();
});

test('layout pages made no request outside the origin and broke no CSP rule', assertClean);
