//! How large a file the page accepts, decided from `File.size` before a byte is read, so a file
//! the tab cannot hold is refused with an explanation instead of crashing the worker.
//!
//! Why 1 GiB: SQLite's working copy lives in WebAssembly memory, which cannot grow past 4 GiB on
//! wasm32 and never shrinks; a migration that rebuilds a table needs room for both copies of
//! that table (the upgrade of ContentEngine's `posts` grows a file by more than half), and Undo reads
//! a checkpoint back into a second working copy before it drops the first. (The file as opened
//! is the `File` itself and the checkpoints are Blobs, outside that memory.) Larger files are for
//! the native command-line tool.

/// The largest file the page opens, in bytes (1 GiB).
pub const MAX_OPEN_BYTES: u64 = 1 << 30;

/// `Ok` when a file of `size` bytes may be read into the page; otherwise the message to show,
/// naming the file, its size, the limit and what to use instead.
pub fn check_open_size(file_name: &str, size: u64) -> Result<(), String> {
    if size <= MAX_OPEN_BYTES {
        return Ok(());
    }
    Err(format!(
        "{file_name} is {} ({size} bytes) — larger than the {} ({MAX_OPEN_BYTES} bytes) this page \
         can hold in the browser's memory (SQLite's working copy, which a migration makes \
         grow, must fit in WebAssembly's 4 GiB). Nothing was read. \
         Use the command-line tool for this file instead, e.g. \
         `content-db --db {file_name} upgrade head`.",
        human_size(size),
        human_size(MAX_OPEN_BYTES)
    ))
}

/// `size` in the largest binary unit that keeps it at or above 1, with one decimal.
fn human_size(size: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut value = size as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{size} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_up_to_the_limit_are_accepted() {
        assert_eq!(check_open_size("content.db", 0), Ok(()));
        assert_eq!(check_open_size("content.db", MAX_OPEN_BYTES), Ok(()));
    }

    #[test]
    fn a_larger_file_is_refused_with_its_size_the_limit_and_the_cli() {
        let message = check_open_size("big.db", MAX_OPEN_BYTES + 1).expect_err("over the limit");
        assert!(
            message.starts_with("big.db is 1.0 GiB (1073741825 bytes)"),
            "{message}"
        );
        assert!(
            message.contains("than the 1.0 GiB (1073741824 bytes)"),
            "{message}"
        );
        assert!(message.contains("Nothing was read"), "{message}");
        assert!(
            message.contains("content-db --db big.db upgrade head"),
            "{message}"
        );
        let message = check_open_size("huge.db", 5 << 30).expect_err("over the limit");
        assert!(message.starts_with("huge.db is 5.0 GiB"), "{message}");
    }

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(200 << 20), "200.0 MiB");
    }
}
