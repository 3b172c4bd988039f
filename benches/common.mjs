// Helpers the page benchmarks share (benches/*.mjs): serving a built page and waiting on it.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

/** Serves `directory` on a free port of 127.0.0.1 (Python's http.server): { server, origin }. */
export function serve(directory) {
  return new Promise((resolve, reject) => {
    const server = spawn('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '0', '--directory', directory],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    server.on('error', reject);
    server.stdout.on('data', (chunk) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match) resolve({ server, origin: `http://127.0.0.1:${match[1]}` });
    });
  });
}

/** The trimmed text of the element with `data-testid` `id` on `page`, or null. */
export const text = (page, id) => page.evaluate((i) => document.querySelector(`[data-testid="${i}"]`)?.textContent.trim() ?? null, id);

/** Polls `check` every 10 ms until it is true; throws after `timeoutMs` naming `what`. */
export async function until(check, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A browser context for a benchmark, downloads allowed: an ordinary window's, with its profile in
 * `profile`; with BENCH_PRIVATE=1 a private (Incognito) window's, whose private storage is in the
 * browser's memory (the browser process then carries `profile` in a switch Chromium ignores, so
 * its processes are still found by it). `{ context, close }`: `close` ends the browser too.
 */
export async function openContext(profile, launch) {
  if (process.env.BENCH_PRIVATE === '1') {
    const browser = await chromium.launch({ ...launch, args: [...launch.args, `--content-db-bench-profile=${profile}`] });
    const context = await browser.newContext({ acceptDownloads: true });
    return { context, close: async () => { await context.close(); await browser.close(); } };
  }
  const context = await chromium.launchPersistentContext(profile, { ...launch, acceptDownloads: true });
  return { context, close: () => context.close() };
}
