//! Migration files the user chose for "Use other migrations…" (several files, or a folder):
//! what the choice is called on the page, and (in the browser) reading the texts of the
//! migration files among them (`.sql`; the others are counted and left out) for the worker, which checks them (`crate::revision::load`).

/// What a choice of files is called on the page: the chosen folder's name (the first part of
/// the files' paths inside it), else how many files were chosen.
pub fn label_of(paths: &[String]) -> String {
    let folder = |path: &String| path.split_once('/').map(|(folder, _)| folder.to_string());
    match paths.first().and_then(folder) {
        Some(first)
            if paths
                .iter()
                .all(|path| folder(path).as_ref() == Some(&first)) =>
        {
            format!("folder {first}")
        }
        _ if paths.len() == 1 => "1 file".to_string(),
        _ => format!("{} files", paths.len()),
    }
}

browser_only! {
    use js_sys::Uint8Array;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::File;

    use crate::revision::{is_migration_file, MigrationText};
    use crate::web::protocol::Request;

    /// A chosen file's path: inside the chosen folder, else its name.
    pub fn path_of(file: &File) -> String {
        // `webkitRelativePath` is not in web-sys: read as a property ("" outside a folder).
        js_sys::Reflect::get(file, &"webkitRelativePath".into())
            .ok()
            .and_then(|value| value.as_string())
            .filter(|relative| !relative.is_empty())
            .unwrap_or_else(|| file.name())
    }

    /// Reads the migration files among `files` into the request that makes their history the
    /// one in use; a file the browser cannot read is named.
    pub async fn read_chosen(files: Vec<File>) -> Result<Request, String> {
        let paths: Vec<String> = files.iter().map(path_of).collect();
        let label = label_of(&paths);
        let mut texts = Vec::new();
        for (file, name) in files.iter().zip(&paths).filter(|(_, path)| is_migration_file(path)) {
            let buffer = JsFuture::from(file.array_buffer())
                .await
                .map_err(|error| format!("could not read {name}: {error:?}; choose it again"))?;
            let bytes = Uint8Array::new(&buffer).to_vec();
            texts.push(MigrationText {
                name: name.clone(),
                text: String::from_utf8(bytes).ok(),
            });
        }
        let ignored = paths.len() - texts.len();
        Ok(Request::UseMigrations {
            files: texts,
            ignored,
            label,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_folder_is_named_and_files_are_counted() {
        assert_eq!(
            label_of(&paths(&["otherapp/a.sql", "otherapp/versions/b.py"])),
            "folder otherapp"
        );
        assert_eq!(label_of(&paths(&["a.sql", "b.sql"])), "2 files");
        assert_eq!(label_of(&paths(&["a.sql"])), "1 file");
    }
}
