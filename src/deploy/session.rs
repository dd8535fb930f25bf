//! A connection that is made again when it breaks: each request that fails
//! for a passing reason (the network dropped, the server was busy) is tried
//! again over a fresh connection, waiting longer each time.

use std::time::Duration;

use super::remote::{Failure, Remote, RemoteError};

/// Tries of one request, the first included.
const ATTEMPTS: u32 = 4;

pub struct Session<'a> {
    connect: Box<dyn Fn() -> Result<Box<dyn Remote + 'a>, RemoteError> + 'a>,
    remote: Option<Box<dyn Remote + 'a>>,
    retries: usize,
    first_wait: Duration,
}

impl<'a> Session<'a> {
    pub fn new(
        connect: impl Fn() -> Result<Box<dyn Remote + 'a>, RemoteError> + 'a,
    ) -> Session<'a> {
        Session {
            connect: Box::new(connect),
            remote: None,
            retries: 0,
            first_wait: super::faults::first_wait(),
        }
    }

    /// Runs one request, reconnecting and trying again on a passing failure.
    pub fn call<T>(
        &mut self,
        mut request: impl FnMut(&mut (dyn Remote + 'a)) -> Result<T, RemoteError>,
    ) -> Result<T, RemoteError> {
        let mut wait = self.first_wait;
        let mut attempt = 1;
        loop {
            let result = self.remote().and_then(&mut request);
            match result {
                Err(error) if passing(&error) && attempt < ATTEMPTS => {
                    self.remote = None;
                    self.retries += 1;
                    attempt += 1;
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                other => return other,
            }
        }
    }

    pub fn lists_quickly(&mut self) -> Result<bool, RemoteError> {
        self.call(|remote| Ok(remote.lists_quickly()))
    }

    /// Cuts the connection, as a broken network would (see `faults`).
    pub fn sever(&mut self) {
        if let Some(remote) = self.remote.as_mut() {
            remote.sever();
        }
    }

    pub fn retries(&self) -> usize {
        self.retries
    }

    fn remote(&mut self) -> Result<&mut (dyn Remote + 'a), RemoteError> {
        if self.remote.is_none() {
            self.remote = Some((self.connect)()?);
        }
        Ok(self.remote.as_deref_mut().expect("connected just above"))
    }
}

fn passing(error: &RemoteError) -> bool {
    error.failure == Failure::Transient
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::collections::BTreeMap;

    use super::*;

    /// A target whose every connection serves `works` requests, then breaks.
    struct Flaky<'a> {
        left: usize,
        calls: &'a Cell<usize>,
    }

    impl Remote for Flaky<'_> {
        fn list(&mut self) -> Result<BTreeMap<String, u64>, RemoteError> {
            unreachable!()
        }
        fn size(&mut self, _: &str) -> Result<Option<u64>, RemoteError> {
            self.calls.set(self.calls.get() + 1);
            if self.left == 0 {
                return Err(RemoteError::new(Failure::Transient, "reset"));
            }
            self.left -= 1;
            Ok(Some(1))
        }
        fn get(&mut self, _: &str) -> Result<Option<Vec<u8>>, RemoteError> {
            Err(RemoteError::new(Failure::Login, "530"))
        }
        fn put(&mut self, _: &str, _: &[u8]) -> Result<(), RemoteError> {
            unreachable!()
        }
        fn delete(&mut self, _: &str) -> Result<(), RemoteError> {
            unreachable!()
        }
        fn lists_quickly(&self) -> bool {
            false
        }
    }

    #[test]
    fn a_broken_connection_is_made_again_and_a_wrong_password_is_not_retried() {
        let calls = Cell::new(0);
        let connections = Cell::new(0);
        let mut session = Session::new(|| {
            connections.set(connections.get() + 1);
            Ok(Box::new(Flaky {
                left: 1,
                calls: &calls,
            }) as Box<dyn Remote>)
        });
        session.first_wait = Duration::from_millis(1);
        assert_eq!(session.call(|r| r.size("a")), Ok(Some(1)));
        assert_eq!(session.call(|r| r.size("a")), Ok(Some(1)));
        assert_eq!((connections.get(), session.retries()), (2, 1));
        let error = session.call(|r| r.get("m")).unwrap_err();
        assert_eq!(error.failure, Failure::Login);
        assert_eq!(connections.get(), 2, "a refused login is not tried again");
    }
}
