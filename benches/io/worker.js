// Throwaway worker of benches/io_primitives.mjs: times ways of moving a File into a
// WebAssembly.Memory and an image out of it (Blobs vs OPFS).
const MiB = 1 << 20;
let memory = null; let mem8 = null; let len = 0;
const ensure = (n) => {
  const pages = Math.ceil((n + 64 * MiB) / 65536);
  if (!memory || memory.buffer.byteLength < pages * 65536) { memory = new WebAssembly.Memory({ initial: pages, maximum: 65536 }); }
  mem8 = new Uint8Array(memory.buffer); len = n;
};
const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
const kept = [];
let opfsFiles = [];
const openHandles = [];
const ops = {
  // A clean-page cache outside WebAssembly memory (issue 16): the File copied into an OPFS file
  // in `slice` MiB reads, then random reads of `len` KiB from the File and from that copy.
  async mirror({ slice }, file) {
    ensure(slice * MiB);
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('io-bench', { create: true });
    const fh = await dir.getFileHandle('mirror', { create: true });
    if (self.mirrorHandle) self.mirrorHandle.close();
    const ah = await fh.createSyncAccessHandle(); ah.truncate(0); self.mirrorHandle = ah;
    const r = new FileReaderSync(); const step = slice * MiB; let readMs = 0, writeMs = 0;
    for (let at = 0; at < file.size; at += step) {
      const t0 = performance.now();
      const b = new Uint8Array(r.readAsArrayBuffer(file.slice(at, Math.min(file.size, at + step))));
      const t1 = performance.now(); ah.write(b, { at }); writeMs += performance.now() - t1; readMs += t1 - t0;
    }
    return { readMs, writeMs };
  },
  async randomReads({ from, len, count, seed }, file) {
    ensure(64 * MiB); const n = len * 1024; const slots = Math.floor(file.size / n);
    let x = seed || 7; const next = () => { x = (x * 1103515245 + 12345) % 2147483648; return x % slots; };
    const r = new FileReaderSync(); const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const at = next() * n; const dst = new Uint8Array(memory.buffer, (i % 64) * n % (32 * MiB), n);
      if (from === 'opfs') self.mirrorHandle.read(dst, { at });
      else dst.set(new Uint8Array(r.readAsArrayBuffer(file.slice(at, at + n))));
    }
    return { perCallUs: (performance.now() - t0) * 1000 / count, mbPerS: count * n / MiB / ((performance.now() - t0) / 1000) };
  },
  async frs({ slice }, file) {
    ensure(file.size); const r = new FileReaderSync(); const step = slice ? slice * MiB : file.size;
    for (let at = 0; at < file.size; at += step) { const b = r.readAsArrayBuffer(file.slice(at, Math.min(file.size, at + step))); mem8.set(new Uint8Array(b), at); }
  },
  async ab({ slice }, file) {
    ensure(file.size); const step = slice ? slice * MiB : file.size;
    for (let at = 0; at < file.size; at += step) { const b = await file.slice(at, Math.min(file.size, at + step)).arrayBuffer(); mem8.set(new Uint8Array(b), at); }
  },
  async abOverlap({ slice, work }, file) {
    ensure(file.size); const step = slice * MiB; let at = 0;
    let next = file.slice(0, Math.min(file.size, step)).arrayBuffer();
    while (at < file.size) {
      const b = await next; const end = Math.min(file.size, at + step);
      if (end < file.size) next = file.slice(end, Math.min(file.size, end + step)).arrayBuffer();
      mem8.set(new Uint8Array(b), at); if (work) busy(work * b.byteLength / MiB); at = end;
    }
  },
  async frsWork({ slice, work }, file) {
    ensure(file.size); const r = new FileReaderSync(); const step = slice * MiB;
    for (let at = 0; at < file.size; at += step) { const b = r.readAsArrayBuffer(file.slice(at, Math.min(file.size, at + step))); mem8.set(new Uint8Array(b), at); busy(work * b.byteLength / MiB); }
  },
  async stream(_, file) {
    ensure(file.size); const reader = file.stream().getReader(); let at = 0;
    for (;;) { const { done, value } = await reader.read(); if (done) break; mem8.set(value, at); at += value.length; }
    if (at !== file.size) throw new Error('short ' + at);
  },
  async byob({ slice }, file) {
    ensure(file.size); const reader = file.stream().getReader({ mode: 'byob' }); let at = 0;
    let buf = new ArrayBuffer(slice * MiB);
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buf, 0, buf.byteLength));
      if (done) break; mem8.set(value, at); at += value.length; buf = value.buffer;
    }
    if (at !== file.size) throw new Error('short ' + at);
  },
  async blobParts({ slice, nested, keep }) {
    const step = slice * MiB; const parts = [];
    for (let at = 0; at < len; at += step) { const v = new Uint8Array(memory.buffer, at, Math.min(len, at + step) - at); parts.push(nested ? new Blob([v]) : v); }
    const blob = new Blob(parts, { type: 'application/vnd.sqlite3' });
    if (keep) kept.push(blob);
    return { size: blob.size, blob };
  },
  async dropKept() { kept.length = 0; return {}; },
  async opfsOpen({ slice, name, count, presize }) {
    // like the app: files written and left open, then one more written
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('io-bench', { create: true });
    const times = [];
    for (let i = 0; i < count; i++) {
      const fh = await dir.getFileHandle(name + i, { create: true });
      const ah = await fh.createSyncAccessHandle(); ah.truncate(0);
      if (presize) ah.truncate(len);
      const t0 = performance.now();
      for (let at = 0; at < len; at += slice * MiB) ah.write(new Uint8Array(memory.buffer, at, Math.min(len, at + slice * MiB) - at), { at });
      times.push(Math.round(performance.now() - t0));
      openHandles.push(ah);
    }
    return { times };
  },
  async closeOpen() { for (const ah of openHandles) ah.close(); openHandles.length = 0; return {}; },
  async opfs({ slice, name, keep, flush = true }) {
    const t = {}; let t0 = performance.now();
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('io-bench', { create: true });
    const fh = await dir.getFileHandle(name, { create: true });
    const ah = await fh.createSyncAccessHandle(); t.handle = performance.now() - t0; t0 = performance.now();
    ah.truncate(0); const step = slice * MiB;
    for (let at = 0; at < len; at += step) { const n = ah.write(new Uint8Array(memory.buffer, at, Math.min(len, at + step) - at), { at }); if (n !== Math.min(len, at + step) - at) throw new Error('short write'); }
    t.write = performance.now() - t0; t0 = performance.now();
    if (flush) ah.flush(); t.flush = performance.now() - t0; t0 = performance.now();
    ah.close(); t.close = performance.now() - t0; t0 = performance.now();
    const file = await fh.getFile(); t.getFile = performance.now() - t0;
    if (file.size !== len) throw new Error('size ' + file.size);
    if (keep) opfsFiles.push(file);
    return { parts: t, blob: file };
  },
  async opfsReadBack({ name, slice }) {
    // undo from an OPFS checkpoint: read with a sync access handle straight into wasm memory
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('io-bench');
    const fh = await dir.getFileHandle(name);
    const t0 = performance.now();
    const ah = await fh.createSyncAccessHandle(); const size = ah.getSize(); ensure(size);
    const t1 = performance.now();
    const step = slice * MiB;
    for (let at = 0; at < size; at += step) ah.read(new Uint8Array(memory.buffer, at, Math.min(size, at + step) - at), { at });
    ah.close();
    return { handle: t1 - t0 };
  },
  async opfsGetFileWhileOpen({ name }) {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('io-bench');
    const fh = await dir.getFileHandle(name);
    const ah = await fh.createSyncAccessHandle();
    let r;
    try { const f = await fh.getFile(); const b = await f.slice(0, 16).arrayBuffer(); r = 'getFile while open: ok, ' + b.byteLength; } catch (e) { r = 'getFile while open: ' + e.name + ' ' + e.message; }
    ah.close(); return { r };
  },
  async opfsFileAfterRemove({ name }) {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('io-bench');
    const f = await (await dir.getFileHandle(name)).getFile();
    await dir.removeEntry(name);
    try { const b = await f.slice(0, 16).arrayBuffer(); return { r: 'read after remove: ok ' + b.byteLength }; } catch (e) { return { r: 'read after remove: ' + e.name }; }
  },
  async opfsClear() { const root = await navigator.storage.getDirectory(); await root.removeEntry('io-bench', { recursive: true }).catch(() => {}); opfsFiles = []; return {}; },
  async estimate() { return await navigator.storage.estimate(); },
};
onmessage = async (e) => {
  const { id, op, args, file } = e.data;
  try {
    const t0 = performance.now();
    const out = (await ops[op](args, file)) ?? {};
    const ms = performance.now() - t0;
    const { blob, ...rest } = out;
    postMessage({ id, result: { ms, ...rest }, blob });
  } catch (err) { postMessage({ id, error: String(err && err.stack || err) }); }
};
