//! Embeds every file of `migrations/` into the crate at compile time.
//!
//! Writes `$OUT_DIR/embedded_migrations.rs`: a sorted list of `(file name, contents)` pairs
//! using `include_str!`, so adding a migration file needs no code change and editing one
//! rebuilds the crate. Whether the history is well formed is checked by the library's own
//! parser (`History::embedded`) and its tests, which name the offending file.
use std::{env, fs, path::Path};

fn main() {
    // Read at run time, not with `env!`: a build script cached in a shared target directory
    // must still look in the checkout being built.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<String> = fs::read_dir(&dir)
        .expect("migrations/ must exist beside Cargo.toml")
        .map(|entry| entry.expect("readable directory entry").file_name())
        .filter_map(|name| name.into_string().ok())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// `(file name, contents)` of every migration in `migrations/`, sorted by name.\n",
    );
    out.push_str("pub static EMBEDDED_MIGRATIONS: &[(&str, &str)] = &[\n");
    for name in &files {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_migrations.rs");
    fs::write(dest, out).expect("write embedded_migrations.rs");
}
