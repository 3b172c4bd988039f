#!/usr/bin/env node
// Packs the page Trunk built (dist/) into ONE self-contained HTML file that works opened from
// disk (file://), with no server and no network: the page's script and its WebAssembly, the
// worker's script and its WebAssembly, the styles and the icon, all inside. Used by
// scripts/package.sh (which builds dist/ first) and scripts/test-e2e.sh.
//
// usage: node scripts/single-file.mjs [DIST [OUT]]    (defaults: dist, package/content-db.html)
//
// How (the why is in src/web/assets/single-file/boot.js):
// - both .wasm files are gzipped and put in the page as base64 data blocks, unpacked in the
//   browser with DecompressionStream;
// - the page's ES-module glue loses its `export`s and runs in one inline module script with
//   unpack.js and boot.js; the worker's scripts go in as text, from which the page makes the
//   Blob its worker starts from;
// - the CSS becomes one <style>, the icon a data: URL;
// - the Content-Security-Policy allows exactly that inline script and that style (by their
//   SHA-256), WebAssembly, a worker from a blob: URL and a data: icon; no connection anywhere.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ASSETS = path.join(root, 'src/web/assets/single-file');
/** The most the file may weigh (issue 13: it must fit a mail attachment). */
export const MAX_BYTES = 2 * 1024 * 1024;

const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
const out = path.resolve(process.argv[3] ?? path.join(root, 'package/content-db.html'));

/** Fails the packing with `message` (the build changed in a way this script does not know). */
function fail(message) {
  throw new Error(`single-file: ${message}`);
}

/** The one match of `pattern` in `text`, else a failure naming `what`. */
function only(text, pattern, what) {
  const found = [...text.matchAll(new RegExp(pattern, 'g'))];
  if (found.length !== 1) fail(`expected one ${what} in dist/index.html, found ${found.length}`);
  return found[0];
}

/** The file `name` of dist/ (`/x`, `./x` or `x`). */
function distFile(name, encoding) {
  return readFileSync(path.join(dist, name.replace(/^\.?\//, '')), encoding);
}

const attr = (tag, name) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const gzipBase64 = (bytes) => gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).toString('base64');

/**
 * `text` as a JavaScript string literal that is safe inside an HTML <script> element (no `<`,
 * so no `</script>` or `<!--` can end or confuse it).
 */
const scriptSafeString = (text) => JSON.stringify(text).replace(/</g, '\\u003c');

/** Makes text of an inline element fail loudly if the HTML parser would cut it short. */
function checkInline(text, element) {
  if (new RegExp(`</${element}|<!--`, 'i').test(text)) fail(`text for an inline <${element}> holds </${element} or <!--`);
  return text;
}

/**
 * wasm-bindgen's ES-module glue for `--target web`, as a script body: its exports become plain
 * declarations and the default export (the init function) becomes `initPage`.
 */
function glueWithoutExports(glue) {
  const body = glue
    .replace(/^export default (\w+);\s*$/m, 'const initPage = $1;')
    .replace(/^export \{[^}]*\b(\w+) as default\b[^}]*\};\s*$/m, 'const initPage = $1;\n')
    .replace(/^export \{[^}]*\};\s*$/gm, '')
    .replace(/^export (function|class|const|let|async function) /gm, '$1 ');
  if (!/const initPage = /.test(body)) fail('the page glue has no `export default` init function');
  const left = body.match(/^\s*(export|import)\b.*$/m);
  if (left) fail(`the page glue keeps a statement this script cannot inline: ${left[0]}`);
  return body;
}

// The served page's comments explain its own files and policy, which the single file has not.
let html = distFile('index.html', 'utf8').replace(/\s*<!--[\s\S]*?-->/g, '');

// The page's glue and WebAssembly, named by Trunk in boot.js's tag (Trunk.toml pattern_script).
const bootTag = only(html, '<script[^>]*\\sdata-js="[^"]*"[^>]*></script>', 'boot script tag')[0];
const pageGlue = distFile(attr(bootTag, 'data-js'), 'utf8');
const pageWasm = distFile(attr(bootTag, 'data-wasm'));

// The worker's glue and WebAssembly, as worker-loader.js names them.
const loader = distFile('worker-loader.js', 'utf8');
const workerGlueName = only(loader, "importScripts\\('([^']+)'\\)", 'importScripts in worker-loader.js')[1];
const workerWasmName = only(loader, "module_or_path: '([^']+)'", 'worker wasm in worker-loader.js')[1];
const workerGlue = distFile(workerGlueName, 'utf8');
const workerWasm = distFile(workerWasmName);

const asset = (name) => readFileSync(path.join(ASSETS, name), 'utf8');
const unpack = asset('unpack.js');
const moduleText = checkInline([
  glueWithoutExports(pageGlue),
  `const WORKER_PARTS = [${[workerGlue, unpack, asset('worker.js')].map((part) => scriptSafeString(`${part}\n`)).join(', ')}];`,
  unpack,
  asset('boot.js'),
].join('\n'), 'script');

// The styles, in their order, as one <style>.
const cssTags = [...html.matchAll(/<link[^>]*\srel="stylesheet"[^>]*>/g)].map((match) => match[0]);
if (cssTags.length === 0) fail('no stylesheet link in dist/index.html');
const styleText = checkInline(cssTags.map((tag) => distFile(attr(tag, 'href'), 'utf8')).join('\n'), 'style');

const iconTag = only(html, '<link[^>]*\\srel="icon"[^>]*>', 'icon link')[0];
const iconHref = attr(iconTag, 'href');
const iconType = iconHref.endsWith('.svg') ? 'image/svg+xml' : 'image/png';
const iconData = `data:${iconType};base64,${distFile(iconHref).toString('base64')}`;

const policy = [
  "default-src 'none'",
  `script-src ${sha256(moduleText)} 'wasm-unsafe-eval'`,
  `style-src ${sha256(styleText)}`,
  'img-src data:',
  'worker-src blob:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const csp = only(html, '<meta http-equiv="Content-Security-Policy"[^>]*>', 'Content-Security-Policy meta')[0];
html = html.replace(csp, () => `<meta http-equiv="Content-Security-Policy" content="${policy}">`);
html = html.replace(iconTag, () => `<link rel="icon" href="${iconData}">`);
html = html.replace(cssTags[0], () => `<style>${styleText}</style>`);
for (const tag of cssTags.slice(1)) html = html.replace(tag, () => '');
// Nothing to preload, no manifest (a file:// page cannot be installed), no external boot.js.
html = html.replace(/<link[^>]*\srel="(modulepreload|preload|manifest)"[^>]*>\s*/g, '');

const dataBlocks = [['page-wasm', pageWasm], ['worker-wasm', workerWasm]]
  .map(([id, bytes]) => `<script type="application/octet-stream" id="${id}">${gzipBase64(bytes)}</script>`)
  .join('\n');
html = html.replace(/<\/body>/, () => `${dataBlocks}\n</body>`);
// Whatever else still points at a file would not load from disk.
const outside = [...html.replace(bootTag, '').matchAll(/\s(?:src|href)="(?!data:)([^"]*)"/g)].map((match) => match[1]);
if (outside.length > 0) fail(`references left to files beside the page: ${outside.join(', ')}`);
// Last: the page's text now holds the glue, which nothing may search.
html = html.replace(bootTag, () => `<script type="module">${moduleText}</script>`);

const bytes = Buffer.byteLength(html);
if (bytes > MAX_BYTES) fail(`${bytes} bytes, more than the ${MAX_BYTES} allowed`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, html);
console.log(`${path.relative(process.cwd(), out) || out}: ${bytes} bytes`
  + ` (page wasm ${pageWasm.length} B, worker wasm ${workerWasm.length} B before gzip)`);
