//! `kind = "ftp"` against a real server on loopback.
