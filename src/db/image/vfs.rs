//! The page's SQLite VFS: every file is a [`PageStore`] (the user's original file read lazily,
//! plus the chunks SQLite wrote), registered under [`NAME`] with rsqlite-vfs's traits (which
//! sqlite-wasm-rs re-exports). It builds natively too, so tests run real SQLite on it.
//!
//! Why not sqlite-wasm-rs's own `memvfs`: it keeps a database in 4 KiB chunks (one allocation,
//! and one first touch of grown memory, per page: a quarter of an upgrade's time went to the
//! allocator), and its `xRead` zero-fills SQLite's buffer before copying the page into it. Here
//! chunks are [`MAIN_CHUNK`] bytes and `xRead` copies straight into SQLite's buffer, zero-filling
//! only the part past the end of the file (SQLite's contract for a short read).
//!
//! The VFS keeps no locks: each database has one connection, and its file a unique name. Its
//! files sit behind mutexes only because the VFS is registered once for the whole process (the
//! worker has one thread; native tests have many).

use std::collections::BTreeMap;
use std::ffi::{c_int, c_void};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use rsqlite_vfs::ffi::{
    sqlite3_file, sqlite3_int64, SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ, SQLITE_OK,
};
use rsqlite_vfs::{
    register_vfs, AccessMode, FileKind, LockLevel, OpenAccess, OpenOptions, OpenRequest,
    OpenedFile, SQLiteIoMethods, SQLiteVfs, SQLiteVfsFile, SyncOptions, VfsError, VfsErrorCode,
    VfsFile, VfsResult, VfsStore,
};

use super::super::pages::{EmptySource, PageError, PageStore, Source};

/// The VFS's name, given to `sqlite3_open_v2`.
pub(super) const NAME: &str = "content-db-pages";

/// The chunk length of a main database file: what a write makes the store own (and a download
/// or an undo checkpoint copy). A multiple of every SQLite page size, so a page never spans two
/// chunks. The upgrade of the 100 MB benchmark file wrote 133 MB of 1 MiB chunks (more than
/// the file: pages written all over it), 63 MB of 64 KiB ones and 56 MB of 4 KiB ones, the
/// last with a slower upgrade (more chunks to look up); BENCHMARKS.md, issue 16. The original
/// file is read in larger pieces (`lazy.rs`).
pub(super) const MAIN_CHUNK: usize = 64 << 10;

/// The chunk length of any other file (journals and temporary files, if SQLite ever makes one
/// here: the journal is kept in memory by `journal_mode=MEMORY`, temporary files by
/// `SQLITE_TEMP_STORE=2`).
const OTHER_CHUNK: usize = 64 << 10;

/// The original bytes behind a file of the VFS.
pub(super) type FileSource = Box<dyn Source + Send>;

/// A file of the VFS.
pub(super) type StoreFile = PageStore<FileSource>;

/// A file shared by the VFS's handles and the image's readers.
pub(super) type SharedFile = Arc<Mutex<StoreFile>>;

/// Locks a file (or the names); a panic while it was held left it as usable as any error.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A new, empty file of the VFS in chunks of `chunk_len`.
pub(super) fn empty_file(chunk_len: usize) -> StoreFile {
    PageStore::new(Box::new(EmptySource), chunk_len, 1)
}

/// The VFS's named files and its last error (for `xGetLastError`).
#[derive(Clone, Default)]
pub(super) struct Files {
    named: Arc<Mutex<BTreeMap<String, SharedFile>>>,
    error: Arc<Mutex<Option<VfsError>>>,
}

impl Files {
    /// Adds a file under `name`; false if the name is taken.
    pub(super) fn insert(&self, name: &str, file: StoreFile) -> bool {
        let mut named = lock(&self.named);
        if named.contains_key(name) {
            return false;
        }
        named.insert(name.to_string(), Arc::new(Mutex::new(file)));
        true
    }

    /// The file named `name`.
    pub(super) fn get(&self, name: &str) -> Option<SharedFile> {
        lock(&self.named).get(name).cloned()
    }

    /// Forgets `name`; its memory is freed once no handle or reader holds it.
    pub(super) fn remove(&self, name: &str) {
        lock(&self.named).remove(name);
    }
}

/// The registered VFS's files.
static FILES: OnceLock<Files> = OnceLock::new();

/// The VFS's files, registering the VFS first if needed.
pub(super) fn files() -> Files {
    FILES.get_or_init(register).clone()
}

fn register() -> Files {
    let files = Files::default();
    // SAFETY: this runs once per process (OnceLock), with SQLite initialized first; the VFS
    // keeps its own clone of `files` for as long as the process lives (`into_raw`), and
    // `Io`/`Vfs` use the default file layout of rsqlite-vfs.
    let registration = unsafe {
        initialize_sqlite();
        register_vfs::<Io, Vfs>(NAME, files.clone(), false)
    };
    let _ = registration
        .expect("the page VFS registers once, under a name nothing else uses")
        .into_raw();
    files
}

#[cfg(target_arch = "wasm32")]
unsafe fn initialize_sqlite() {
    // SAFETY: SQLite's own initialization, safe to call more than once.
    unsafe { sqlite_wasm_rs::sqlite3_initialize() };
}

#[cfg(not(target_arch = "wasm32"))]
unsafe fn initialize_sqlite() {
    // SAFETY: SQLite's own initialization, safe to call more than once.
    unsafe { rusqlite::ffi::sqlite3_initialize() };
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

fn store_error(error: PageError, code: VfsErrorCode) -> VfsError {
    let code = match error {
        PageError::NoMemory { .. } => VfsErrorCode::NoMemory,
        PageError::TooLarge { .. } => VfsErrorCode::Full,
        PageError::Source { .. } | PageError::Spill(_) => code,
    };
    VfsError::new(code, error.to_string().into())
}

impl VfsFile for Handle {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        lock(&self.file)
            .read(buf, offset)
            .map_err(|error| store_error(error, VfsErrorCode::IoRead))
    }

    fn write(&mut self, buf: &[u8], offset: u64) -> VfsResult<()> {
        self.writable()?;
        lock(&self.file)
            .write(buf, offset)
            .map_err(|error| store_error(error, VfsErrorCode::IoWrite))
    }

    fn truncate(&mut self, size: u64) -> VfsResult<()> {
        self.writable()?;
        lock(&self.file)
            .truncate(size)
            .map_err(|error| store_error(error, VfsErrorCode::IoTruncate))
    }

    fn sync(&mut self, _options: SyncOptions) -> VfsResult<()> {
        Ok(())
    }

    fn size(&self) -> VfsResult<u64> {
        Ok(lock(&self.file).len())
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
        *lock(&data.error) = Some(error);
    }

    fn last_error(data: &Files) -> Option<VfsError> {
        lock(&data.error).clone()
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
            None => Arc::new(Mutex::new(empty_file(chunk))),
            Some(filename) => {
                let name = filename.path();
                let mut named = lock(&data.named);
                match named.get(name) {
                    Some(_) if options.exclusive() => {
                        return Err(cant_open(format!("file already exists: {name:?}")));
                    }
                    Some(file) => file.clone(),
                    None if options.create() => {
                        let file = Arc::new(Mutex::new(empty_file(chunk)));
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
            let mut named = lock(&data.named);
            // Not a file opened again under the same name since.
            if named
                .get(name)
                .is_some_and(|current| Arc::ptr_eq(current, &file.file))
            {
                named.remove(name);
            }
        }
        Ok(())
    }

    fn access(data: &Files, name: &str, _mode: AccessMode) -> VfsResult<bool> {
        Ok(lock(&data.named).contains_key(name))
    }

    fn full_pathname(_data: &Files, name: &str) -> VfsResult<String> {
        // A flat namespace: names are used as given.
        Ok(name.to_string())
    }

    fn delete_file(data: &Files, name: &str, _sync_dir: bool) -> VfsResult<()> {
        match lock(&data.named).remove(name) {
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
        // the parts are slices of the store's chunks (or of static zeros), which cannot
        // overlap SQLite's buffer, and together are at most `amount` bytes long.
        unsafe {
            let handle = (*SQLiteVfsFile::from_file(file)).handle::<Handle>();
            let out = buf.cast::<u8>();
            let mut filled = 0;
            let read = lock(&handle.file).read_parts(offset, count, |part| {
                std::ptr::copy_nonoverlapping(part.as_ptr(), out.add(filled), part.len());
                filled += part.len();
            });
            if read.is_err() {
                return SQLITE_IOERR_READ;
            }
            if filled < count {
                out.add(filled).write_bytes(0, count - filled);
                return SQLITE_IOERR_SHORT_READ;
            }
        }
        SQLITE_OK
    }
}

/// The VFS: rsqlite-vfs's default callbacks, with the platform's clock and randomness.
struct Vfs;

impl SQLiteVfs<Io> for Vfs {
    #[cfg(target_arch = "wasm32")]
    type Os = sqlite_wasm_rs::WasmOsCallback;
    #[cfg(not(target_arch = "wasm32"))]
    type Os = native_os::NativeOs;

    fn os(_data: &Files) -> &Self::Os {
        #[cfg(target_arch = "wasm32")]
        return &sqlite_wasm_rs::WasmOsCallback;
        #[cfg(not(target_arch = "wasm32"))]
        return &native_os::NativeOs;
    }
}

/// The clock, sleep and randomness of the VFS in native tests.
#[cfg(not(target_arch = "wasm32"))]
mod native_os {
    use std::hash::{BuildHasher, Hasher};
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use rsqlite_vfs::{OsCallback, VfsError, VfsErrorCode, VfsResult};

    /// Standard-library services.
    pub(super) struct NativeOs;

    impl OsCallback for NativeOs {
        fn sleep(&self, duration: Duration) {
            std::thread::sleep(duration);
        }

        fn random(&self, buf: &mut [u8]) -> usize {
            // Each `RandomState` has new keys (drawn from the OS once per thread, then
            // stepped), so each hash of nothing is a new value.
            for piece in buf.chunks_mut(8) {
                let value = std::collections::hash_map::RandomState::new()
                    .build_hasher()
                    .finish();
                piece.copy_from_slice(&value.to_le_bytes()[..piece.len()]);
            }
            buf.len()
        }

        fn epoch_timestamp_in_ms(&self) -> VfsResult<i64> {
            let since = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_err(|error| VfsError::new(VfsErrorCode::Error, error.to_string().into()))?;
            i64::try_from(since.as_millis())
                .map_err(|error| VfsError::new(VfsErrorCode::Error, error.to_string().into()))
        }
    }
}
