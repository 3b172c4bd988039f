//! Builds a realistic ContentEngine database at revision `f17b8d2e4c90` (one step before head,
//! so `upgrade head` rebuilds `posts`), deterministically from a seed, for the benchmarks.
//!
//! The schema comes from the library itself (the planner and `Database::apply` on an empty
//! database), so it is exactly the one the migrations make. The rows come per user, in the
//! proportions a ContentEngine instance accumulates: a few sessions and one or two OAuth
//! tokens per user, tens of posts (long, mixed-script unicode texts) and more chat messages.

use content_db::db::Database;
use content_db::revision::History;

/// The revision the generated files are at.
pub const REVISION: &str = "f17b8d2e4c90";

/// Sessions, posts and chat messages per user (averages; each varies ±50 %).
const SESSIONS_PER_USER: u32 = 8;
const POSTS_PER_USER: u32 = 24;
const MESSAGES_PER_USER: u32 = 40;
/// Users are added in batches of this many between size checks.
const BATCH_USERS: u32 = 5;

/// Words of the texts: Latin with diacritics, Cyrillic, Greek, CJK, Arabic and emoji, because
/// real posts are multilingual and UTF-8 widths (1 to 4 bytes) matter to page layout.
const WORDS: &[&str] = &[
    "launch",
    "team",
    "growth",
    "customer",
    "product",
    "insight",
    "weekly",
    "update",
    "roadmap",
    "hiring",
    "thanks",
    "data",
    "design",
    "release",
    "feedback",
    "café",
    "naïve",
    "Größe",
    "über",
    "señor",
    "fiancée",
    "Zürich",
    "crème",
    "København",
    "Łódź",
    "привет",
    "команда",
    "запуск",
    "данные",
    "γεια",
    "ομάδα",
    "δεδομένα",
    "こんにちは",
    "チーム",
    "新しい",
    "製品",
    "数据",
    "团队",
    "发布",
    "مرحبا",
    "فريق",
    "بيانات",
    "🚀",
    "🎉",
    "💡",
    "📈",
    "✨",
    "🤝",
    "👩‍💻",
];
const PLATFORMS: &[&str] = &["linkedin", "twitter", "mastodon", "bluesky"];

/// How large a file to make and from which seed.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Stop adding users once the file image is at least this many bytes.
    pub target_bytes: u64,
    /// The seed of the random choices; the same spec gives the same bytes.
    pub seed: u64,
}

/// Row counts of what was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Rows of `users`.
    pub users: i64,
    /// Rows of `sessions`.
    pub sessions: i64,
    /// Rows of `posts`.
    pub posts: i64,
    /// Rows of `chat_messages`.
    pub chat_messages: i64,
    /// Rows of `oauth_tokens`.
    pub oauth_tokens: i64,
}

/// The file image and what it holds.
pub fn generate(spec: Spec) -> Result<(Vec<u8>, Counts), Box<dyn std::error::Error>> {
    let history = History::embedded()?;
    let mut db = Database::new_empty()?;
    let plan = history.plan_upgrade(&[], REVISION)?;
    db.apply(history, &plan, |_| {})?;
    let mut rng = fastrand::Rng::with_seed(spec.seed);
    let mut counts = Counts::default();
    let conn = db.connection();
    // One transaction per batch; an in-memory database needs no journal to be fast.
    while image_bytes(conn)? < spec.target_bytes {
        conn.execute_batch("BEGIN")?;
        for _ in 0..BATCH_USERS {
            add_user(conn, &mut rng, &mut counts)?;
        }
        conn.execute_batch("COMMIT")?;
    }
    Ok((db.to_bytes()?, counts))
}

/// The size of the database image now (pages × page size).
fn image_bytes(conn: &rusqlite::Connection) -> rusqlite::Result<u64> {
    let pages: i64 = conn.pragma_query_value(None, "page_count", |row| row.get(0))?;
    let size: i64 = conn.pragma_query_value(None, "page_size", |row| row.get(0))?;
    Ok(u64::try_from(pages * size).unwrap_or(0))
}

/// One user with their sessions, tokens, posts and chat messages.
fn add_user(
    conn: &rusqlite::Connection,
    rng: &mut fastrand::Rng,
    counts: &mut Counts,
) -> rusqlite::Result<()> {
    counts.users += 1;
    let user_id = counts.users;
    let sub = format!("li-{:016x}", rng.u64(..));
    let joined = timestamp(rng, 0);
    conn.prepare_cached(
        "INSERT INTO users (id, linkedin_sub, email, name, profile_picture_url, access_token, \
         refresh_token, token_expires_at, created_at, last_login_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(rusqlite::params![
        user_id,
        sub,
        format!("user{user_id}@example.com"),
        text(rng, 2, 3),
        format!("https://media.example.com/p/{:x}.jpg", rng.u64(..)),
        token(rng, 180),
        token(rng, 120),
        timestamp(rng, 1),
        joined,
        timestamp(rng, 1),
    ])?;
    for _ in 0..vary(rng, SESSIONS_PER_USER) {
        counts.sessions += 1;
        conn.prepare_cached(
            "INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(rusqlite::params![
            uuid(rng),
            user_id,
            timestamp(rng, 1),
            timestamp(rng, 2)
        ])?;
    }
    for platform in PLATFORMS.iter().take(rng.usize(1..=2)) {
        counts.oauth_tokens += 1;
        conn.prepare_cached(
            "INSERT INTO oauth_tokens (id, platform, access_token, refresh_token, expires_at, \
             created_at, updated_at, user_sub, user_email) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(rusqlite::params![
            counts.oauth_tokens,
            platform,
            token(rng, 350),
            token(rng, 200),
            timestamp(rng, 2),
            timestamp(rng, 1),
            timestamp(rng, 1),
            sub,
            format!("user{user_id}@example.com"),
        ])?;
    }
    for _ in 0..vary(rng, POSTS_PER_USER) {
        counts.posts += 1;
        let status = ["draft", "posted", "posted", "posted", "failed"][rng.usize(..5)];
        let posted = (status == "posted").then(|| timestamp(rng, 1));
        let external = (status == "posted").then(|| format!("urn:li:share:{}", rng.u64(..)));
        let error = (status == "failed").then_some("HTTP 429: rate limit exceeded, retry later");
        conn.prepare_cached(
            "INSERT INTO posts (id, content, platform, status, created_at, updated_at, \
             posted_at, external_id, error_message, user_id, is_demo) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(rusqlite::params![
            counts.posts,
            text(rng, 60, 400),
            PLATFORMS[rng.usize(..PLATFORMS.len())],
            status,
            timestamp(rng, 1),
            timestamp(rng, 1),
            posted,
            external,
            error,
            user_id,
            rng.u8(..100) < 2,
        ])?;
    }
    for _ in 0..vary(rng, MESSAGES_PER_USER) {
        counts.chat_messages += 1;
        let role = ["user", "assistant", "assistant", "system"][rng.usize(..4)];
        conn.prepare_cached(
            "INSERT INTO chat_messages (id, user_id, role, content, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![
            counts.chat_messages,
            user_id,
            role,
            text(rng, 10, 250),
            timestamp(rng, 1)
        ])?;
    }
    Ok(())
}

/// `average` ± 50 %.
fn vary(rng: &mut fastrand::Rng, average: u32) -> u32 {
    rng.u32(average / 2..=average + average / 2)
}

/// Between `min` and `max` words, with sentence punctuation and the odd line break.
fn text(rng: &mut fastrand::Rng, min: usize, max: usize) -> String {
    let words = rng.usize(min..=max);
    let mut out = String::with_capacity(words * 8);
    for index in 0..words {
        if index > 0 {
            out.push(match rng.u8(..20) {
                0 => '\n',
                1 | 2 => ',',
                _ => ' ',
            });
            if out.ends_with(',') {
                out.push(' ');
            }
        }
        out.push_str(WORDS[rng.usize(..WORDS.len())]);
    }
    out.push('.');
    out
}

/// A token-like string of `len` URL-safe characters.
fn token(rng: &mut fastrand::Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..len)
        .map(|_| char::from(ALPHABET[rng.usize(..ALPHABET.len())]))
        .collect()
}

/// A random version-4-looking UUID, as ContentEngine's session ids are.
fn uuid(rng: &mut fastrand::Rng) -> String {
    let a = rng.u128(..);
    let hex = format!("{a:032x}");
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// A SQLAlchemy-style DATETIME text in 2024 + `year_offset`.
fn timestamp(rng: &mut fastrand::Rng, year_offset: u32) -> String {
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
        2024 + year_offset,
        rng.u32(1..=12),
        rng.u32(1..=28),
        rng.u32(..24),
        rng.u32(..60),
        rng.u32(..60),
        rng.u32(..1_000_000)
    )
}
