//! The server's key, checked before anything is sent: against `host_key`
//! in site.toml, else `~/.ssh/known_hosts`.

use std::sync::Arc;

use russh::client::{self, Handle};
use russh::keys::PublicKeyOrCertificate;
use russh::keys::{Algorithm, HashAlg, PublicKey};
use russh::Preferred;

use super::errors::{connect_failure, unreachable};
use super::{within, CONNECT_TIMEOUT};
use crate::deploy::remote::{Failure, RemoteError};
use crate::deploy::targets::Sftp;

/// What the server's key is checked against.
#[derive(Debug, Clone)]
enum Trust {
    /// `host_key` in site.toml.
    Recorded(String),
    /// The user's `~/.ssh/known_hosts`.
    KnownHosts { host: String, port: u16 },
}

enum Verdict {
    Trusted,
    Unknown,
    /// known_hosts records another key of this type at this line.
    Changed(usize),
}

impl Trust {
    fn of(settings: &Sftp) -> Trust {
        match settings.host_key.as_deref().map(str::trim) {
            Some(recorded) if !recorded.is_empty() => Trust::Recorded(recorded.to_string()),
            _ => Trust::KnownHosts {
                host: settings.host.to_ascii_lowercase(),
                port: settings.port,
            },
        }
    }

    fn verdict(&self, key: &PublicKey) -> Verdict {
        match self {
            Trust::Recorded(recorded) if matches_recorded(recorded, key) => Verdict::Trusted,
            Trust::Recorded(_) => Verdict::Unknown,
            Trust::KnownHosts { host, port } => {
                match russh::keys::check_known_hosts(host, *port, key) {
                    Ok(true) => Verdict::Trusted,
                    Err(russh::keys::Error::KeyChanged { line }) => Verdict::Changed(line),
                    // Not there, or no home folder or file to read.
                    Ok(false) | Err(_) => Verdict::Unknown,
                }
            }
        }
    }
}

/// Whether `host_key` names this key: `SHA256:...` as `ssh-keygen -lf`
/// prints it (the whole line may be pasted), or the public key itself.
fn matches_recorded(recorded: &str, key: &PublicKey) -> bool {
    let fingerprint = fingerprint(key);
    recorded.split_whitespace().any(|word| {
        // ssh-keygen prints the fingerprint without base64's `=` padding.
        let sha256 = word
            .get(..7)
            .filter(|prefix| prefix.eq_ignore_ascii_case("SHA256:"))
            .and_then(|_| word.get(7..))
            .map(|rest| format!("SHA256:{}", rest.trim_end_matches('=')));
        sha256.as_deref() == Some(fingerprint.as_str())
            || russh::keys::parse_public_key_base64(word)
                .is_ok_and(|recorded| recorded.key_data() == key.key_data())
    })
}

fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// `ED25519`, `ECDSA`, `RSA`: the names `ssh-keygen -l` shows.
fn key_kind(key: &PublicKey) -> String {
    match key.algorithm() {
        Algorithm::Ed25519 => "ED25519".to_string(),
        Algorithm::Ecdsa { .. } => "ECDSA".to_string(),
        Algorithm::Rsa { .. } => "RSA".to_string(),
        other => other.as_str().to_ascii_uppercase(),
    }
}

pub(super) struct Checker {
    trust: Trust,
}

/// Why a handshake stopped: no connection, the SSH library's error, or a
/// server key that is not trusted (the key kept for the message).
/// As visible as [`Checker`], whose error type it is.
#[derive(Debug)]
pub(super) enum Handshake {
    Unreachable(std::io::Error),
    Ssh(russh::Error),
    Untrusted {
        key: Box<PublicKey>,
        changed: Option<usize>,
    },
}

impl From<russh::Error> for Handshake {
    fn from(error: russh::Error) -> Self {
        Handshake::Ssh(error)
    }
}

impl client::Handler for Checker {
    type Error = Handshake;

    async fn check_server_key(
        &mut self,
        server_key: &PublicKeyOrCertificate,
    ) -> Result<bool, Handshake> {
        let key = match server_key {
            PublicKeyOrCertificate::PublicKey { key, .. } => key.clone(),
            PublicKeyOrCertificate::Certificate(certificate) => {
                PublicKey::from(certificate.public_key().clone())
            }
        };
        match self.trust.verdict(&key) {
            Verdict::Trusted => Ok(true),
            Verdict::Unknown => Err(Handshake::Untrusted {
                key: Box::new(key),
                changed: None,
            }),
            Verdict::Changed(line) => Err(Handshake::Untrusted {
                key: Box::new(key),
                changed: Some(line),
            }),
        }
    }
}

/// Connects and checks the server's key. A server has a key of each type
/// (ED25519, ECDSA, RSA) and shows one per connection; when it is not the
/// one recorded, the server is asked again for its other types, so a
/// `host_key` or known_hosts line for any of them is found.
pub(super) fn connect_trusted(
    runtime: &tokio::runtime::Runtime,
    settings: &Sftp,
) -> Result<Handle<Checker>, RemoteError> {
    let trust = Trust::of(settings);
    let mut shown: Vec<PublicKey> = Vec::new();
    loop {
        let types = untried_key_types(&shown);
        if types.is_empty() {
            return Err(untrusted(settings, &shown, None));
        }
        let attempt = runtime.block_on(within(
            CONNECT_TIMEOUT,
            handshake(settings, trust.clone(), types),
        ));
        match attempt.map_err(|_| RemoteError::new(Failure::Unreachable, "服务器长时间没有回应"))?
        {
            Ok(handle) => return Ok(handle),
            Err(Handshake::Untrusted { key, changed: None }) => shown.push(*key),
            Err(Handshake::Untrusted { key, changed }) => {
                shown.insert(0, *key);
                return Err(untrusted(settings, &shown, changed));
            }
            // No other key type in common: the keys seen are all it has.
            Err(_) if !shown.is_empty() => return Err(untrusted(settings, &shown, None)),
            Err(Handshake::Unreachable(error)) => return Err(unreachable(&error)),
            Err(Handshake::Ssh(error)) => return Err(connect_failure(&error)),
        }
    }
}

/// The key types russh takes, without the types the server already showed.
fn untried_key_types(shown: &[PublicKey]) -> Vec<Algorithm> {
    let same = |a: &Algorithm, b: &Algorithm| {
        matches!((a, b), (Algorithm::Rsa { .. }, Algorithm::Rsa { .. })) || a == b
    };
    Preferred::DEFAULT
        .key
        .iter()
        .filter(|a| !shown.iter().any(|k| same(&k.algorithm(), a)))
        .cloned()
        .collect()
}

async fn handshake(
    settings: &Sftp,
    trust: Trust,
    key_types: Vec<Algorithm>,
) -> Result<Handle<Checker>, Handshake> {
    let socket = tokio::net::TcpStream::connect((settings.host.as_str(), settings.port))
        .await
        .map_err(Handshake::Unreachable)?;
    let _ = socket.set_nodelay(true);
    let config = client::Config {
        preferred: Preferred {
            key: key_types.into(),
            ..Preferred::DEFAULT
        },
        ..client::Config::default()
    };
    client::connect_stream(Arc::new(config), socket, Checker { trust }).await
}

fn untrusted(settings: &Sftp, shown: &[PublicKey], changed: Option<usize>) -> RemoteError {
    let prints: Vec<String> = shown
        .iter()
        .map(|k| format!("{}（{}）", fingerprint(k), key_kind(k)))
        .collect();
    let prints = prints.join("、");
    let first = shown.first().map(fingerprint).unwrap_or_default();
    let add = format!("在 site.toml 的 [[deploy]] 里加一行 host_key = \"{first}\"");
    let detail = match (&settings.host_key, changed) {
        (Some(recorded), _) => format!(
            "服务器的密钥指纹是 {prints}，和 site.toml 里的 host_key = \"{}\" 对不上；向管理服务器的同事核对指纹无误后，把 host_key 改成 \"{first}\"",
            recorded.trim()
        ),
        (None, Some(line)) => format!(
            "服务器的密钥指纹是 {prints}，和 ~/.ssh/known_hosts 第 {line} 行记录的不同；向管理服务器的同事核对指纹无误后，{add}"
        ),
        (None, None) => format!(
            "第一次连接这台服务器，它的密钥指纹是 {prints}；向管理服务器的同事核对指纹无误后，{add}"
        ),
    };
    RemoteError::new(Failure::HostKey, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED25519: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ";

    #[test]
    fn host_key_takes_the_fingerprint_or_the_key() {
        let key = russh::keys::parse_public_key_base64(ED25519).unwrap();
        let print = fingerprint(&key);
        assert!(
            print.starts_with("SHA256:") && !print.ends_with('='),
            "{print}"
        );
        assert!(matches_recorded(&print, &key));
        assert!(matches_recorded(&format!("  {print}= "), &key));
        assert!(matches_recorded(
            &format!(
                "256 {} root@web (ED25519)",
                print.replacen("SHA256", "sha256", 1)
            ),
            &key
        ));
        assert!(matches_recorded(
            &format!("ssh-ed25519 {ED25519} root@web"),
            &key
        ));
        assert!(!matches_recorded("SHA256:AAAA", &key));
        // A public key's base64 keeps its padding.
        let padded = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDQsspDm7jOLkmnemnOWy0CjrMeCT/6RPg4gLDYqBf2Y8VQoHRoO/DchjDr/IBddqStkfVoMz7gDfl/AY6xV2d8=";
        let ecdsa = russh::keys::parse_public_key_base64(padded).unwrap();
        assert!(matches_recorded(
            &format!("ecdsa-sha2-nistp256 {padded}"),
            &ecdsa
        ));
        assert!(!matches_recorded(
            &format!("ecdsa-sha2-nistp256 {padded}"),
            &key
        ));
        assert!(!matches_recorded("SHA25", &key));
        assert!(!matches_recorded("", &key));
    }

    #[test]
    fn an_untrusted_key_is_shown_with_what_to_write() {
        let key = russh::keys::parse_public_key_base64(ED25519).unwrap();
        let settings = Sftp {
            host: "10.0.0.2".into(),
            port: 22,
            user: "web".into(),
            path: "/srv".into(),
            password_env: Some("P".into()),
            key: None,
            passphrase_env: None,
            host_key: None,
        };
        let error = untrusted(&settings, std::slice::from_ref(&key), None);
        assert_eq!(error.failure, Failure::HostKey);
        let print = fingerprint(&key);
        assert!(
            error.detail.contains(&format!("host_key = \"{print}\"")),
            "{}",
            error.detail
        );
        assert!(error.detail.contains("ED25519"), "{}", error.detail);
        let shown = [key];
        assert!(untried_key_types(&shown)
            .iter()
            .all(|a| *a != Algorithm::Ed25519));
        assert!(untried_key_types(&shown)
            .iter()
            .any(|a| matches!(a, Algorithm::Rsa { .. })));
    }
}
