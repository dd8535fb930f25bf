//! `kind = "s3"` (to be written).

use super::remote::{Failure, Remote, RemoteError};

pub fn open(settings: &super::targets::S3) -> Result<Box<dyn Remote>, RemoteError> {
    Err(RemoteError::new(Failure::Other, "not written yet"))
}
