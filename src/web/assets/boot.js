// Starts the page's WebAssembly. Trunk gives the generated files content-hashed names and
// writes them into this script tag's data attributes (see `pattern_script` in Trunk.toml), so
// the page needs no inline script and its Content-Security-Policy can forbid inline code.
const tag = document.querySelector('script[data-js][data-wasm]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });

// Once the page runs: the service worker that keeps this build for offline use (served over
// http(s) only; see service-worker.js). Without one the page works as before, online.
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./service-worker.js')
    .catch((error) => console.warn(`content-db will not open offline: ${error.message}`));
}
