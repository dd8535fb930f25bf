//! `kind = "sftp"` (to be written).

use super::remote::{Failure, Remote, RemoteError};

pub fn open(
    settings: &super::targets::Sftp,
    root: &std::path::Path,
) -> Result<Box<dyn Remote>, RemoteError> {
    Err(RemoteError::new(Failure::Other, "not written yet"))
}
