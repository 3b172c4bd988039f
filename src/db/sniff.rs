//! Says what a file that is not SQLite looks like instead (a ZIP, gzip, text, an encrypted
//! database), so the user knows which file they picked and what to do about it.

/// How many leading bytes are looked at.
const SAMPLE_LEN: usize = 4096;
/// Below this many bytes a byte histogram says nothing about randomness.
const MIN_RANDOM_SAMPLE: usize = 256;

/// A short description of `image`, which does not start with SQLite's magic string.
pub(crate) fn describe_foreign_bytes(image: &[u8]) -> String {
    let start = &image[..image.len().min(512)];
    if start.starts_with(b"PK\x03\x04") {
        return "it is a ZIP archive; unzip it and choose the content.db inside".to_string();
    }
    if start.starts_with(&[0x1f, 0x8b]) {
        return "it is gzip-compressed; decompress it first (gunzip)".to_string();
    }
    if let Some(text) = as_text(start) {
        let first_line: String = text.lines().next().unwrap_or("").chars().take(40).collect();
        return format!("it looks like a text file starting with {first_line:?}");
    }
    if looks_random(&image[..image.len().min(SAMPLE_LEN)]) {
        // SQLCipher (and SQLite's own SEE) encrypt the whole file, header included, so an
        // encrypted database is indistinguishable from random bytes; compressed archives were
        // recognised above by their magic numbers.
        return "it looks encrypted: its bytes are random from the very first one, as in a \
                SQLCipher database; ContentEngine's database is plain SQLite, so decrypt it \
                first (or pick the unencrypted file)"
            .to_string();
    }
    let shown: Vec<String> = image.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!(
        "it starts with the bytes {} instead of \"SQLite format 3\"",
        shown.join(" ")
    )
}

/// A note for a file whose header is SQLite's but whose pages look random: SQLCipher can keep
/// the header readable (`cipher_plaintext_header_size`) and encrypt the rest.
pub(crate) fn encrypted_pages_note(image: &[u8]) -> Option<String> {
    let pages = image.get(super::header::HEADER_LEN..)?;
    looks_random(&pages[..pages.len().min(SAMPLE_LEN)]).then(|| {
        "its pages look encrypted (random bytes after a plain header, as SQLCipher can write); \
         ContentEngine's database is plain SQLite, so decrypt it first"
            .to_string()
    })
}

/// The bytes as text when they are UTF-8 without control characters other than whitespace (a
/// character cut at the 512-byte boundary is allowed).
fn as_text(bytes: &[u8]) -> Option<&str> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) if error.error_len().is_none() => {
            std::str::from_utf8(&bytes[..error.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    let printable = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'));
    printable.then_some(text)
}

/// Whether the byte values of `sample` are spread as evenly as random (or encrypted) bytes
/// are: Pearson's chi-square against the uniform distribution stays near its 255 degrees of
/// freedom for random data and is in the thousands for any structured file (text, SQLite
/// pages, executables). 400 is more than six standard deviations above 255.
fn looks_random(sample: &[u8]) -> bool {
    if sample.len() < MIN_RANDOM_SAMPLE {
        return false;
    }
    let mut counts = [0u64; 256];
    for &byte in sample {
        counts[usize::from(byte)] += 1;
    }
    let expected = sample.len() as f64 / 256.0;
    let chi_square: f64 = counts
        .iter()
        .map(|&count| {
            let delta = count as f64 - expected;
            delta * delta / expected
        })
        .sum();
    chi_square < 400.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random bytes, standing in for an encrypted file.
    fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
        let mut bytes = vec![0; len];
        fastrand::Rng::with_seed(seed).fill(&mut bytes);
        bytes
    }

    #[test]
    fn encrypted_looking_bytes_are_named_as_such() {
        for seed in [1, 42, 0x5eed] {
            let text = describe_foreign_bytes(&random_bytes(8192, seed));
            assert!(text.starts_with("it looks encrypted"), "{text}");
        }
    }

    #[test]
    fn structured_binary_is_not_called_encrypted() {
        // Mostly zeros with a few values, as a database page or an executable would be.
        let mut bytes = vec![0u8; 4096];
        for (at, byte) in bytes.iter_mut().enumerate().step_by(7) {
            *byte = (at % 50) as u8;
        }
        let text = describe_foreign_bytes(&bytes);
        assert!(text.starts_with("it starts with the bytes"), "{text}");
    }

    #[test]
    fn short_random_input_shows_its_bytes() {
        let text = describe_foreign_bytes(&random_bytes(100, 7));
        assert!(text.starts_with("it starts with the bytes"), "{text}");
    }

    #[test]
    fn text_is_text_even_when_cut_mid_character() {
        let mut bytes = "é".repeat(300).into_bytes();
        bytes.truncate(511);
        assert!(describe_foreign_bytes(&bytes).contains("text file"));
    }
}
