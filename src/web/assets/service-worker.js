// The served page's service worker: makes the page open offline after one visit, and lets it be
// installed as an app (with manifest.webmanifest). Not used by the single file of
// scripts/package.sh (a file:// page has no service worker).
//
// scripts/service-worker.mjs writes the build below at build time (a Trunk post_build hook):
// every file of dist/ with its SHA-256, and a version made of those. One cache per build,
// `content-db-<version>`, filled only when every file fetched has the digest listed here, so a
// cache always holds one whole build.
//
// Network first: while the server answers, every file comes from it (revalidated, so a new
// build takes effect on the next load and old and new files never mix); when it does not (no
// network, server gone), every file comes from the cached build.
const BUILD = /* BUILD */ { version: 'unbuilt', files: [] };
const PREFIX = 'content-db-';
const CACHE = `${PREFIX}${BUILD.version}`;

/** Hex SHA-256 of `bytes`. */
async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Fetches every file of the build, checks its digest, and only then stores them all. */
async function cacheBuild() {
  const fetched = [];
  for (const file of BUILD.files) {
    const response = await fetch(file.url, { cache: 'no-store' });
    if (!response.ok) throw new Error(`${file.url}: HTTP ${response.status}`);
    const bytes = await response.arrayBuffer();
    if ((await sha256(bytes)) !== file.sha256) {
      throw new Error(`${file.url} is not the file of build ${BUILD.version} (the server has another build)`);
    }
    fetched.push([file.url, new Response(bytes, { headers: response.headers })]);
  }
  const cache = await caches.open(CACHE);
  await Promise.all(fetched.map(([url, response]) => cache.put(url, response)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheBuild().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

/** The file from the server, else (offline) the cached build's copy; a page load asks for `./`. */
async function networkElseCache(request) {
  try {
    return await fetch(request.url, { cache: 'no-cache', credentials: 'same-origin' });
  } catch (offline) {
    const cache = await caches.open(CACHE);
    const key = request.mode === 'navigate' ? new URL('./', self.registration.scope).href : request.url;
    const cached = await cache.match(key, { ignoreSearch: true });
    if (cached) return cached;
    throw offline;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(networkElseCache(request));
});
