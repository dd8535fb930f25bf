//! Writes that fail on purpose, for the tests of full disks and interrupted builds.

/// Test hooks for the fault tests, honoured only in debug builds:
/// `STREETPRESS_FAIL_WRITE_AFTER=N` fails the write after N files as a full
/// disk would; `STREETPRESS_SLOW_WRITES=1` slows writes so a test can
/// interrupt a build halfway.
pub(super) struct FaultInjection {
    fail_after: Option<usize>,
    slow: bool,
    writes: std::sync::atomic::AtomicUsize,
}

impl FaultInjection {
    pub(super) fn from_env() -> Self {
        let enabled = cfg!(debug_assertions);
        let var = |name: &str| {
            if enabled {
                std::env::var(name).ok()
            } else {
                None
            }
        };
        FaultInjection {
            fail_after: var("STREETPRESS_FAIL_WRITE_AFTER").and_then(|n| n.parse().ok()),
            slow: var("STREETPRESS_SLOW_WRITES").is_some(),
            writes: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    pub(super) fn before_write(&self) -> std::io::Result<()> {
        let count = self
            .writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.slow {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        match self.fail_after {
            Some(limit) if count >= limit => Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device",
            )),
            _ => Ok(()),
        }
    }
}
