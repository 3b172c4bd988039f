// Throwaway page of benches/io_primitives.mjs: posts the chosen File to the worker and relays
// its results; offers a Blob/File from the worker as a download (object URL + <a download>).
window.results = [];
window.worker = new Worker('worker.js');
window.pending = new Map();
let serial = 0;
worker.onmessage = (e) => {
  const { id, result, blob, error } = e.data;
  const done = pending.get(id); pending.delete(id);
  if (blob) window.lastBlob = blob;
  done(error ? { error } : { result });
};
window.call = (op, args = {}) => new Promise((resolve) => {
  const id = ++serial; pending.set(id, resolve);
  worker.postMessage({ id, op, args, file: document.getElementById('file').files[0] });
});
window.download = (name) => {
  const url = URL.createObjectURL(window.lastBlob);
  const a = document.createElement('a'); a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
  window.__t0 = performance.now();
};
