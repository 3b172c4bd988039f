// Starts the single-file page (package/content-db.html), in its one inline module script after
// the page's wasm-bindgen glue (`initPage`), unpack.js and WORKER_PARTS (the worker's glue,
// unpack.js and worker.js as text), all put there by scripts/single-file.mjs. The served page
// starts from boot.js instead.
//
// A page opened from a file may start no worker from a file (Chromium refuses file:// worker
// scripts), so the worker starts from a Blob URL, named to the page's Rust code through
// `contentDbWorkerUrl` (src/web/bridge.rs). Both WebAssembly modules sit in the page as base64
// text of their gzip bytes, in the data blocks #page-wasm and #worker-wasm.
const packed = (id) => document.getElementById(id).textContent.trim();

const workerSource = [`const PACKED_WASM = '${packed('worker-wasm')}';\n`, ...WORKER_PARTS];
window.contentDbWorkerUrl = URL.createObjectURL(new Blob(workerSource, { type: 'text/javascript' }));
await initPage({ module_or_path: unpackWasm(packed('page-wasm')) });
