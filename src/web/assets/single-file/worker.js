// Starts the single-file page's worker (after wasm-bindgen's no-modules glue and unpack.js, in
// the Blob the page starts it from; PACKED_WASM is put first by the page). The served page's
// worker starts from worker-loader.js instead.
wasm_bindgen({ module_or_path: unpackWasm(PACKED_WASM) });
