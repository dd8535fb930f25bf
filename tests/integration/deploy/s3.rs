//! `kind = "s3"` against a real server on loopback.
