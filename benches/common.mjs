// Helpers the page benchmarks share (benches/*.mjs): serving a built page and waiting on it.
import { spawn } from 'node:child_process';

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
