//! `kind = "sftp"` against a real server on loopback.
