#!/usr/bin/env node
// Writes the served page's service worker for one build: src/web/assets/service-worker.js with
// the list of the build's files (each with its SHA-256) and a version made of those, into the
// build's output directory. Run by Trunk after every build (the post_build hook in Trunk.toml,
// which names the directory in TRUNK_STAGING_DIR); by hand: node scripts/service-worker.mjs DIR
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATE = path.join(root, 'src/web/assets/service-worker.js');
const OUTPUT = 'service-worker.js';
const MARKER = "/* BUILD */ { version: 'unbuilt', files: [] }";

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('usage: node scripts/service-worker.mjs DIR   (or TRUNK_STAGING_DIR set, as Trunk does)');
  process.exit(2);
}

/** Every file under `base`, as a path relative to it with `/` separators, sorted. */
function listFiles(base, sub = '') {
  return readdirSync(path.join(base, sub), { withFileTypes: true }).flatMap((entry) => {
    const relative = sub ? `${sub}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(base, relative) : [relative];
  }).sort();
}

const files = listFiles(dir).filter((file) => file !== OUTPUT).map((file) => ({
  // The page itself is asked for as `./`.
  url: file === 'index.html' ? './' : `./${file}`,
  sha256: createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex'),
}));
const version = createHash('sha256')
  .update(files.map((file) => `${file.url} ${file.sha256}\n`).join(''))
  .digest('hex').slice(0, 16);

const template = readFileSync(TEMPLATE, 'utf8');
if (!template.includes(MARKER)) throw new Error(`${TEMPLATE} lacks the marker ${MARKER}`);
writeFileSync(path.join(dir, OUTPUT), template.replace(MARKER, JSON.stringify({ version, files }, null, 2)));
console.log(`service worker: build ${version}, ${files.length} files`);
