//! Logging in: the key file and its passphrase, then the password (or
//! keyboard-interactive), and what to say when the server refuses.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use russh::client::{self, Handle, KeyboardInteractiveAuthResponse};
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};
use russh::{MethodKind, MethodSet};

use super::errors::ssh_failure;
use super::host_key::Checker;
use super::{within, CONNECT_TIMEOUT};
use crate::deploy::remote::{Failure, RemoteError};
use crate::deploy::targets::Sftp;

/// The key file named in site.toml: `~` is the user's home folder, and a
/// relative path is read against the site's folder.
pub(super) fn key_path(file: &str, root: &Path) -> PathBuf {
    let home = || std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
    if let Some(rest) = file.strip_prefix("~/").or_else(|| file.strip_prefix("~\\")) {
        if let Some(home) = home() {
            return PathBuf::from(home).join(rest);
        }
    }
    root.join(file)
}

pub(super) fn load_key(path: &Path, settings: &Sftp) -> Result<PrivateKey, RemoteError> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let reason = crate::text_file::io_reason(&e);
        RemoteError::new(
            Failure::Other,
            format!("读不了密钥文件 {shown}（{reason}）：请核对 site.toml 里的 key"),
        )
    })?;
    let unreadable = |e: russh::keys::Error| {
        RemoteError::new(
            Failure::Other,
            format!("密钥文件 {shown} 读不懂（{e}）：要 OpenSSH 或 PuTTY 格式的私钥"),
        )
    };
    match russh::keys::decode_secret_key(&text, None) {
        Ok(key) => Ok(key),
        Err(error) if is_encrypted(&error) => {
            let Some(var) = &settings.passphrase_env else {
                return Err(RemoteError::new(
                    Failure::Login,
                    format!(
                        "密钥文件 {shown} 有密码保护：请在 site.toml 的 [[deploy]] 里加一行 passphrase_env = \"环境变量名\"，把密码放进这个环境变量（不设置时会在终端里询问）"
                    ),
                ));
            };
            let passphrase = crate::deploy::secrets::secret(var, &format!("密钥 {shown} 的密码"))?;
            russh::keys::decode_secret_key(&text, Some(&passphrase)).map_err(|_| {
                RemoteError::new(Failure::Login, format!("密钥文件 {shown} 的密码不对"))
            })
        }
        Err(error) => Err(unreadable(error)),
    }
}

fn is_encrypted(error: &russh::keys::Error) -> bool {
    matches!(
        error,
        russh::keys::Error::KeyIsEncrypted
            | russh::keys::Error::SshKey(russh::keys::ssh_key::Error::Encrypted)
    )
}

/// Logs in with the key, then with the password if the key was refused or
/// there is none.
pub(super) fn log_in(
    runtime: &tokio::runtime::Runtime,
    ssh: &mut Handle<Checker>,
    settings: &Sftp,
    key: Option<PrivateKey>,
) -> Result<(), RemoteError> {
    let mut refusal = None;
    if let Some(key) = key {
        let answer =
            runtime.block_on(within(CONNECT_TIMEOUT, key_login(ssh, &settings.user, key)))?;
        match answer.map_err(|e| ssh_failure(&e))? {
            None => return Ok(()),
            Some(methods) => refusal = Some(refused(&methods, MethodKind::PublicKey)),
        }
    }
    if let Some(var) = &settings.password_env {
        let what = format!("“{}@{}”的密码", settings.user, settings.host);
        let password = crate::deploy::secrets::secret(var, &what)?;
        let answer = runtime.block_on(within(
            CONNECT_TIMEOUT,
            password_login(ssh, &settings.user, password),
        ))?;
        match answer.map_err(|e| ssh_failure(&e))? {
            None => return Ok(()),
            Some(methods) => refusal = Some(refused(&methods, MethodKind::Password)),
        }
    }
    Err(refusal.unwrap_or_else(|| RemoteError::new(Failure::Login, "没有写登录方式")))
}

/// `None` when logged in, else the methods the server would still take.
async fn key_login(
    ssh: &mut Handle<Checker>,
    user: &str,
    key: PrivateKey,
) -> Result<Option<MethodSet>, russh::Error> {
    let hash = if key.algorithm().is_rsa() {
        ssh.best_supported_rsa_hash().await?.flatten()
    } else {
        None
    };
    let key = PrivateKeyWithHashAlg::new(Arc::new(key), hash);
    Ok(match ssh.authenticate_publickey(user, key).await? {
        client::AuthResult::Success => None,
        client::AuthResult::Failure {
            remaining_methods, ..
        } => Some(remaining_methods),
    })
}

/// Password login; a server that takes passwords only as "keyboard
/// interactive" (PAM) is answered that way.
async fn password_login(
    ssh: &mut Handle<Checker>,
    user: &str,
    password: String,
) -> Result<Option<MethodSet>, russh::Error> {
    let remaining = match ssh.authenticate_password(user, password.clone()).await? {
        client::AuthResult::Success => return Ok(None),
        client::AuthResult::Failure {
            remaining_methods, ..
        } => remaining_methods,
    };
    if remaining.contains(&MethodKind::Password)
        || !remaining.contains(&MethodKind::KeyboardInteractive)
    {
        return Ok(Some(remaining));
    }
    let mut answer = ssh
        .authenticate_keyboard_interactive_start(user, None)
        .await?;
    // A server asks a few rounds at most (a password, then perhaps nothing).
    for _ in 0..4 {
        match answer {
            KeyboardInteractiveAuthResponse::Success => return Ok(None),
            KeyboardInteractiveAuthResponse::Failure {
                remaining_methods, ..
            } => return Ok(Some(remaining_methods)),
            KeyboardInteractiveAuthResponse::InfoRequest { prompts, .. } => {
                let responses = prompts
                    .iter()
                    .map(|p| {
                        if p.echo {
                            String::new()
                        } else {
                            password.clone()
                        }
                    })
                    .collect();
                answer = ssh
                    .authenticate_keyboard_interactive_respond(responses)
                    .await?;
            }
        }
    }
    Ok(Some(remaining))
}

/// Why the server did not let us in, in words that say what to change.
fn refused(methods: &MethodSet, tried: MethodKind) -> RemoteError {
    let takes = |kind| methods.contains(&kind);
    let detail = match tried {
        MethodKind::PublicKey if takes(MethodKind::PublicKey) => {
            "服务器没有接受这把密钥：请把对应的公钥（.pub 文件）交给管理服务器的同事，登记到这个账号上"
        }
        MethodKind::PublicKey => {
            "这台服务器不允许用密钥登录：请改用密码，在 site.toml 里写 password_env = \"环境变量名\""
        }
        _ if takes(MethodKind::Password) || takes(MethodKind::KeyboardInteractive) => {
            "服务器没有接受这个密码"
        }
        _ => "这台服务器不允许用密码登录：请向管理服务器的同事要一把密钥，在 site.toml 里写 key = \"密钥文件\"",
    };
    RemoteError::new(Failure::Login, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_path_is_read_against_the_site_or_home() {
        let root = Path::new("/site");
        assert_eq!(key_path("keys/id", root), Path::new("/site/keys/id"));
        assert_eq!(key_path("/etc/id", root), Path::new("/etc/id"));
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(
                key_path("~/.ssh/id", root),
                Path::new(&home).join(".ssh/id")
            );
        }
    }

    #[test]
    fn a_refused_login_says_what_to_change() {
        let methods = MethodSet::from(&[MethodKind::PublicKey][..]);
        let error = refused(&methods, MethodKind::Password);
        assert_eq!(error.failure, Failure::Login);
        assert!(error.detail.contains("不允许用密码"), "{}", error.detail);
        let methods = MethodSet::from(&[MethodKind::PublicKey, MethodKind::Password][..]);
        assert!(refused(&methods, MethodKind::Password)
            .detail
            .contains("没有接受"));
    }
}
