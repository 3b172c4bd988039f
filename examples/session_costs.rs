//! What each request of the page costs natively on a large file, in the order the page sends
//! them: `cargo run --release --no-default-features --features web --example session_costs --
//! FILE`. Opens FILE through the worker's [`Session`], then times the overview's checks, the
//! refreshes the page queues after every change (history, tables, drift, diagram), the upgrade
//! to head, the same refreshes again and the download. A measuring aid, not a test.

use content_db::web::protocol::inspect::InspectRequest;
use content_db::web::protocol::{Request, Response};
use content_db::web::worker::session::Session;
use std::time::Instant;

/// Runs `request`, prints its time and a word about the answer.
fn timed(session: &mut Session, name: &str, request: Request, bytes: Option<Vec<u8>>) {
    let start = Instant::now();
    let reply = session.handle(request, bytes);
    let millis = start.elapsed().as_secs_f64() * 1e3;
    let outcome = match &reply.response {
        Response::Failed { message, .. } => format!("FAILED: {message}"),
        other => format!("{other:?}").chars().take(40).collect(),
    };
    println!("{name:<22} {millis:>8.0} ms   {outcome}");
}

/// The refreshes the page sends after a snapshot: the overview's checks, then History, Tables,
/// Drift and Erd (see `use_refresh` in `src/web/page/hooks.rs`).
fn refreshes(session: &mut Session, serial: u64) {
    timed(session, "overview", Request::Overview { serial }, None);
    for (name, request) in [
        ("inspect history", InspectRequest::History),
        ("inspect tables", InspectRequest::Tables),
        ("inspect drift", InspectRequest::Drift),
        ("inspect erd", InspectRequest::Erd),
    ] {
        timed(session, name, Request::Inspect { request }, None);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: session_costs FILE")?;
    let bytes = std::fs::read(&path)?;
    let mut session = Session::new()?;
    timed(
        &mut session,
        "open",
        Request::Open {
            file_name: "content.db".into(),
        },
        Some(bytes),
    );
    refreshes(&mut session, 1);
    timed(
        &mut session,
        "upgrade to head",
        Request::UpgradeToHead,
        None,
    );
    refreshes(&mut session, 2);
    timed(&mut session, "export", Request::Export, None);
    Ok(())
}
