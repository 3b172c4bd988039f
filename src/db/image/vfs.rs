//! The page's in-memory SQLite VFS (WebAssembly only): files are [`ChunkedFile`]s in large
//! chunks, registered under [`NAME`] with rsqlite-vfs's traits (re-exported by sqlite-wasm-rs).
//!
//! Why not sqlite-wasm-rs's own `memvfs`: it keeps a database in 4 KiB chunks (one allocation,
//! and one first touch of grown memory, per page: a quarter of an upgrade's time went to the
//! allocator), and its `xRead` zero-fills SQLite's buffer before copying the page into it. Here
//! chunks are [`MAIN_CHUNK`] bytes and `xRead` copies straight into SQLite's buffer, zero-filling
//! only the part past the end of the file (SQLite's contract for a short read).
//!
//! Like memvfs, the VFS is single-threaded (the worker is) and keeps no locks: each database
//! has one connection, and its file a unique name.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::{c_int, c_void};
use std::rc::Rc;

use sqlite_wasm_rs::vfs::ffi::{
    sqlite3_file, sqlite3_int64, SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ, SQLITE_OK,
};
use sqlite_wasm_rs::vfs::{
    register_vfs, AccessMode, FileKind, LockLevel, OpenAccess, OpenOptions, OpenRequest,
    OpenedFile, SQLiteIoMethods, SQLiteVfs, SQLiteVfsFile, SyncOptions, VfsError, VfsErrorCode,
    VfsFile, VfsResult, VfsStore,
};
use sqlite_wasm_rs::WasmOsCallback;

use super::chunks::{ChunkError, ChunkedFile};

/// The VFS's name, given to `sqlite3_open_v2`.
pub(super) const NAME: &str = "content-db-chunks";

/// The chunk length of a main database file. Lengths from 64 KiB to 4 MiB open and migrate
/// equally fast (BENCHMARKS.md, “Figures behind the code's constants”); 1 MiB keeps the slack (at most one chunk per file) small next
/// to any real file. A multiple
/// of every SQLite page size, so a page never spans two chunks.
pub(super) const MAIN_CHUNK: usize = 1 << 20;

/// The chunk length of any other file (journals and temporary files, if SQLite ever makes one
/// here: the journal is kept in memory by `journal_mode=MEMORY`, temporary files by
/// `SQLITE_TEMP_STORE=2`).
const OTHER_CHUNK: usize = 64 << 10;

/// A file shared by the VFS's handles and the image's readers.
pub(super) type SharedFile = Rc<RefCell<ChunkedFile>>;

/// The VFS's named files and its last error (for `xGetLastError`).
#[derive(Clone, Default)]
pub(super) struct Files {
    named: Rc<RefCell<BTreeMap<String, SharedFile>>>,
    error: Rc<RefCell<Option<VfsError>>>,
}

impl Files {
    /// Adds a file under `name`; false if the name is taken.
    pub(super) fn insert(&self, name: &str, file: ChunkedFile) -> bool {
        let mut named = self.named.borrow_mut();
        if named.contains_key(name) {
            return false;
        }
        named.insert(name.to_string(), Rc::new(RefCell::new(file)));
        true
    }

    /// The file named `name`.
    pub(super) fn get(&self, name: &str) -> Option<SharedFile> {
        self.named.borrow().get(name).cloned()
    }

    /// Forgets `name`; its memory is freed once no handle or reader holds it.
    pub(super) fn remove(&self, name: &str) {
        self.named.borrow_mut().remove(name);
    }
}

thread_local! {
    /// The registered VFS's files, registered once per thread (the worker has one).
    static FILES: Files = register();
}

/// The VFS's files, registering the VFS first if needed.
pub(super) fn files() -> Files {
    FILES.with(Files::clone)
}

fn register() -> Files {
    let files = Files::default();
    // SAFETY: the worker is single-threaded and this runs once per thread (thread_local), after
    // SQLite's initialization; the VFS keeps its own clone of `files` for as long as the
    // process lives (`into_raw`), and `Io`/`Vfs` use the default file layout of rsqlite-vfs.
    let registration = unsafe {
        sqlite_wasm_rs::sqlite3_initialize();
        register_vfs::<Io, Vfs>(NAME, files.clone(), false)
    };
    let _ = registration
        .expect("the chunked VFS registers once, under a name nothing else uses")
        .into_raw();
    files
}

/// One open of a file.
pub(super) struct Handle {
    file: SharedFile,
    read_only: bool,
}

impl Handle {
    fn writable(&self) -> VfsResult<()> {
        if self.read_only {
            return Err(VfsError::new(
                VfsErrorCode::ReadOnly,
                "file opened read-only".into(),
            ));
        }
        Ok(())
    }
}

fn write_error(error: ChunkError) -> VfsError {
    let code = match error {
        ChunkError::NoMemory { .. } => VfsErrorCode::NoMemory,
        ChunkError::TooLarge => VfsErrorCode::Full,
    };
    VfsError::new(code, error.to_string().into())
}

impl VfsFile for Handle {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        Ok(self.file.borrow().read(buf, offset))
    }

    fn write(&mut self, buf: &[u8], offset: u64) -> VfsResult<()> {
        self.writable()?;
        self.file
            .borrow_mut()
            .write(buf, offset)
            .map_err(write_error)
    }

    fn truncate(&mut self, size: u64) -> VfsResult<()> {
        self.writable()?;
        if self.file.borrow_mut().truncate(size) {
            Ok(())
        } else {
            Err(VfsError::new(
                VfsErrorCode::IoTruncate,
                "an in-memory file cannot be extended by truncating".into(),
            ))
        }
    }

    fn sync(&mut self, _options: SyncOptions) -> VfsResult<()> {
        Ok(())
    }

    fn size(&self) -> VfsResult<u64> {
        Ok(self.file.borrow().len() as u64)
    }

    // One connection per file: nothing to lock against.
    fn lock(&mut self, _level: LockLevel) -> VfsResult<()> {
        Ok(())
    }

    fn unlock(&mut self, _level: LockLevel) -> VfsResult<()> {
        Ok(())
    }

    fn check_reserved_lock(&self) -> VfsResult<bool> {
        Ok(false)
    }
}

/// The file namespace.
struct Store;

fn cant_open(message: String) -> VfsError {
    VfsError::new(VfsErrorCode::CantOpen, message.into())
}

impl VfsStore for Store {
    type File = Handle;
    type AppData = Files;

    fn record_error(data: &Files, error: VfsError) {
        data.error.replace(Some(error));
    }

    fn last_error(data: &Files) -> Option<VfsError> {
        data.error.borrow().clone()
    }

    fn open_file(data: &Files, request: OpenRequest<'_>) -> VfsResult<OpenedFile<Handle>> {
        let options = request.options;
        let read_only = options.access() == OpenAccess::ReadOnly;
        let chunk = if options.kind() == Some(FileKind::MainDb) {
            MAIN_CHUNK
        } else {
            OTHER_CHUNK
        };
        let file = match request.filename {
            None => Rc::new(RefCell::new(ChunkedFile::new(chunk))),
            Some(filename) => {
                let name = filename.path();
                let mut named = data.named.borrow_mut();
                match named.get(name) {
                    Some(_) if options.exclusive() => {
                        return Err(cant_open(format!("file already exists: {name:?}")));
                    }
                    Some(file) => file.clone(),
                    None if options.create() => {
                        let file = Rc::new(RefCell::new(ChunkedFile::new(chunk)));
                        named.insert(name.to_string(), file.clone());
                        file
                    }
                    None => return Err(cant_open(format!("file not found: {name:?}"))),
                }
            }
        };
        Ok(OpenedFile {
            file: Handle { file, read_only },
            access: options.access(),
        })
    }

    fn close_file(
        data: &Files,
        name: Option<&str>,
        file: Handle,
        options: OpenOptions,
    ) -> VfsResult<()> {
        if let (Some(name), true) = (name, options.delete_on_close()) {
            let mut named = data.named.borrow_mut();
            // Not a file opened again under the same name since.
            if named
                .get(name)
                .is_some_and(|current| Rc::ptr_eq(current, &file.file))
            {
                named.remove(name);
            }
        }
        Ok(())
    }

    fn access(data: &Files, name: &str, _mode: AccessMode) -> VfsResult<bool> {
        Ok(data.named.borrow().contains_key(name))
    }

    fn full_pathname(_data: &Files, name: &str) -> VfsResult<String> {
        // A flat namespace: names are used as given.
        Ok(name.to_string())
    }

    fn delete_file(data: &Files, name: &str, _sync_dir: bool) -> VfsResult<()> {
        match data.named.borrow_mut().remove(name) {
            Some(_) => Ok(()),
            None => Err(VfsError::new(
                VfsErrorCode::IoDeleteNoEntry,
                format!("file not found: {name:?}").into(),
            )),
        }
    }
}

/// The I/O methods: rsqlite-vfs's defaults but for `xRead`.
struct Io;

impl SQLiteIoMethods for Io {
    type Store = Store;

    /// Copies the file's bytes straight into SQLite's buffer (the default first zero-fills the
    /// whole buffer, as safe code may not see uninitialized memory); past the end of the file
    /// the rest is zero-filled and the read reported short, as SQLite requires.
    unsafe extern "C" fn xRead(
        file: *mut sqlite3_file,
        buf: *mut c_void,
        amount: c_int,
        offset: sqlite3_int64,
    ) -> c_int {
        let (Ok(count), Ok(offset)) = (usize::try_from(amount), u64::try_from(offset)) else {
            return SQLITE_IOERR_READ;
        };
        // SAFETY: SQLite calls xRead only on a file this VFS's xOpen opened (so its handle is
        // a live `Handle`, borrowed shared only here) with `buf` writable for `amount` bytes;
        // the parts are slices of the file's chunks, which cannot overlap SQLite's buffer.
        unsafe {
            let handle = (*SQLiteVfsFile::from_file(file)).handle::<Handle>();
            // Never borrowed mutably while SQLite reads (one thread, no reentry); an error
            // rather than a panic across the C boundary all the same.
            let Ok(chunks) = handle.file.try_borrow() else {
                return SQLITE_IOERR_READ;
            };
            let out = buf.cast::<u8>();
            let mut filled = 0;
            for part in chunks.parts(offset, count) {
                std::ptr::copy_nonoverlapping(part.as_ptr(), out.add(filled), part.len());
                filled += part.len();
            }
            if filled < count {
                out.add(filled).write_bytes(0, count - filled);
                return SQLITE_IOERR_SHORT_READ;
            }
        }
        SQLITE_OK
    }
}

/// The VFS: rsqlite-vfs's default callbacks, with sqlite-wasm-rs's clock and randomness.
struct Vfs;

impl SQLiteVfs<Io> for Vfs {
    type Os = WasmOsCallback;

    fn os(_data: &Files) -> &WasmOsCallback {
        &WasmOsCallback
    }
}
