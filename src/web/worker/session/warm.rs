//! A warm-up of the worker's code, run once while the page shows the demo: the first upgrade of
//! a user's file would otherwise pay for WebAssembly functions the engine compiles on their
//! first call (SQLite's ALTER TABLE, DROP TABLE, `foreign_key_check`, `integrity_check`, the
//! VFS's import; BENCHMARKS.md, “Figures behind the code's constants”).
//!
//! The warm-up goes through the very requests a user's file does, on a throwaway session
//! with a copy of the open demo, so nothing the user sees or keeps is touched. Only the demo is
//! copied: a user's file may be a gigabyte, and copying it would cost as much again.

use super::vault::MemoryVault;
use super::Session;
use crate::web::protocol::{Request, Response};

impl Session {
    /// Opens a copy of the open demo in a scratch session, upgrades it to head, runs the
    /// overview's checks and reads the result out, then drops it all. `None` when the demo is
    /// not what is open (nothing to copy), else whether every request succeeded (a failure
    /// only means less was warmed; nothing depends on it).
    pub fn warm_up(&mut self) -> Option<bool> {
        let open = self.open.as_mut().filter(|open| open.is_demo)?;
        let Ok(bytes) = open.db.image_reader().and_then(|reader| reader.read_all()) else {
            return Some(false);
        };
        let Ok(mut scratch) = Session::with_vault(Box::new(MemoryVault)) else {
            return Some(false);
        };
        let requests = [
            Request::Open {
                file_name: "warm-up.db".to_string(),
            },
            Request::UpgradeToHead,
            Request::Overview { serial: 0 },
            Request::Export,
        ];
        let mut bytes = Some(bytes);
        Some(requests.into_iter().all(|request| {
            let reply = scratch.handle(request, bytes.take());
            !matches!(reply.response, Response::Failed { .. })
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::worker::demo::DEMO_REVISION;

    #[test]
    fn the_warm_up_runs_every_request_and_leaves_the_demo_as_it_was() {
        let mut session = Session::new().expect("session");
        let Response::Opened { snapshot } = session.handle(Request::OpenDemo, None).response else {
            panic!("the demo opens");
        };
        assert_eq!(
            session.warm_up(),
            Some(true),
            "every warm-up request succeeds"
        );
        let after = session.current_snapshot().expect("still open");
        assert_eq!(after, snapshot, "the demo is untouched");
        assert_eq!(after.current_text(), DEMO_REVISION);
    }

    #[test]
    fn without_the_demo_open_there_is_nothing_to_warm() {
        let mut session = Session::new().expect("session");
        assert_eq!(session.warm_up(), None, "nothing open");
        let Response::Opened { .. } = session.handle(Request::NewEmpty, None).response else {
            panic!("a new database opens");
        };
        assert_eq!(
            session.warm_up(),
            None,
            "a file that is not the demo is never copied"
        );
    }
}
