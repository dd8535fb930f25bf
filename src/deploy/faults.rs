//! Test hooks for the interrupted and flaky deploy tests, honoured only in
//! debug builds: `STREETPRESS_DEPLOY_SLOW_MS=N` waits N ms before each
//! upload so a test can kill a deploy halfway; `STREETPRESS_DEPLOY_DROP_AT=N`
//! cuts the connection before the N-th upload, as a network cut would, so
//! the upload fails and is retried;
//! `STREETPRESS_DEPLOY_FIRST_WAIT_MS` shortens the wait before a retry.

use std::time::Duration;

use super::session::Session;

fn var(name: &str) -> Option<u64> {
    if cfg!(debug_assertions) {
        std::env::var(name).ok()?.parse().ok()
    } else {
        None
    }
}

/// How long to wait before the first retry (doubled for each next one).
pub fn first_wait() -> Duration {
    Duration::from_millis(var("STREETPRESS_DEPLOY_FIRST_WAIT_MS").unwrap_or(1000))
}

pub struct Faults {
    slow: Option<Duration>,
    drop_at: Option<u64>,
    uploads: u64,
}

impl Faults {
    pub fn from_env() -> Faults {
        Faults {
            slow: var("STREETPRESS_DEPLOY_SLOW_MS").map(Duration::from_millis),
            drop_at: var("STREETPRESS_DEPLOY_DROP_AT"),
            uploads: 0,
        }
    }

    pub fn before_upload(&mut self, session: &mut Session<'_>) {
        self.uploads += 1;
        if let Some(wait) = self.slow {
            std::thread::sleep(wait);
        }
        if self.drop_at == Some(self.uploads) {
            session.sever();
        }
    }
}
