// Starts the database worker (a classic worker script): loads wasm-bindgen's no-modules glue,
// then its WebAssembly. Written by hand instead of Trunk's loader shim, which still calls the
// glue with a deprecated argument form and makes it log a warning.
importScripts('./web-worker.js');
wasm_bindgen({ module_or_path: './web-worker_bg.wasm' });
