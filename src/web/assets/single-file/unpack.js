// Unpacks a WebAssembly module of the single-file page (package/content-db.html): base64 text
// of its gzip bytes, made by scripts/single-file.mjs. Used by both the page and its worker.

/** The bytes of `base64` (a string of the base64 alphabet). */
function fromBase64(base64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let at = 0; at < binary.length; at += 1) bytes[at] = binary.charCodeAt(at);
  return bytes;
}

/**
 * A Response whose body is the gunzipped module: wasm-bindgen's glue hands it to
 * `WebAssembly.instantiateStreaming`, which compiles while `DecompressionStream` unpacks. Made
 * in memory: no request, so the page's `connect-src 'none'` holds.
 */
function unpackWasm(base64) {
  const unpacked = new Blob([fromBase64(base64)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(unpacked, { headers: { 'Content-Type': 'application/wasm' } });
}
