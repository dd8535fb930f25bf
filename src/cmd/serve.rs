//! `streetpress serve`: runs until stopped; only a usage problem (no site
//! here, a busy port) ends it early.

use streetpress::serve::{self, ServeOptions};

use super::Failure;

pub fn run(options: ServeOptions) -> Result<(), Failure> {
    serve::run(options).map_err(Failure::Usage)
}
