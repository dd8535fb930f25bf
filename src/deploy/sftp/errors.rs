//! Sorting what the SFTP server, the SSH connection and the network said
//! into a [`Failure`], and telling a full disk apart.

use russh_sftp::client::error::Error as SftpError;
use russh_sftp::protocol::StatusCode;

use super::SftpTarget;
use crate::deploy::remote::{Failure, RemoteError};

pub(super) fn is_status(error: &SftpError, code: StatusCode) -> bool {
    matches!(error, SftpError::Status(status) if status.status_code == code)
}

/// Sorts what the SFTP server or the connection said.
pub(super) fn sftp_failure(error: &SftpError) -> RemoteError {
    match error {
        SftpError::Status(status) => {
            let said = status.error_message.trim();
            let said = if said.is_empty() {
                status.status_code.to_string()
            } else {
                said.to_string()
            };
            let failure = match status.status_code {
                StatusCode::PermissionDenied => Failure::Permission,
                StatusCode::NoConnection | StatusCode::ConnectionLost => Failure::Transient,
                _ if sounds_full(&said) => Failure::Full,
                _ => Failure::Other,
            };
            RemoteError::new(failure, said)
        }
        // The stream under the session ended or stopped answering.
        SftpError::IO(_) | SftpError::Timeout | SftpError::UnexpectedBehavior(_) => {
            RemoteError::new(Failure::Transient, error)
        }
        SftpError::Limited(_) | SftpError::UnexpectedPacket => {
            RemoteError::new(Failure::Other, error)
        }
    }
}

/// Servers other than OpenSSH often say why a write failed.
fn sounds_full(said: &str) -> bool {
    let said = said.to_lowercase();
    [
        "no space",
        "space left",
        "disk full",
        "disk is full",
        "quota",
        "空间",
        "磁盘已满",
    ]
    .iter()
    .any(|words| said.contains(words))
}

impl SftpTarget {
    /// OpenSSH reports a full disk as a bare "Failure": the free space
    /// tells it apart, where the server can say.
    pub(super) fn judge_write_failure(&self, error: RemoteError, size: usize) -> RemoteError {
        if error.failure != Failure::Other {
            return error;
        }
        let base = self.base.clone();
        let free = self.call(|c| async move {
            if !c.statvfs {
                return Ok(None);
            }
            let info = c.sftp.statvfs(base).await?;
            let bytes = info.blocks_avail.saturating_mul(info.fragment_size);
            Ok(Some((bytes, info.inodes_avail, info.inodes)))
        });
        match free {
            Ok(Some((bytes, inodes, total_inodes)))
                if bytes < size as u64 + 4096 || (total_inodes > 0 && inodes == 0) =>
            {
                RemoteError::new(
                    Failure::Full,
                    format!("{}；服务器上只剩 {bytes} 字节", error.detail),
                )
            }
            _ => error,
        }
    }
}

/// Sorts an SSH error after the connection was made.
pub(super) fn ssh_failure(error: &russh::Error) -> RemoteError {
    use russh::Error as E;
    let failure = match error {
        E::IO(io) => return RemoteError::from_io(io),
        E::HUP
        | E::Disconnect
        | E::SendError
        | E::RecvError
        | E::ConnectionTimeout
        | E::KeepaliveTimeout
        | E::InactivityTimeout
        | E::Elapsed(_)
        | E::Join(_)
        | E::Pending => Failure::Transient,
        E::NotAuthenticated | E::NoAuthMethod => Failure::Login,
        _ => Failure::Other,
    };
    RemoteError::new(failure, error)
}

/// Sorts an error of reaching the server and the handshake.
pub(super) fn connect_failure(error: &russh::Error) -> RemoteError {
    match error {
        russh::Error::Version => RemoteError::new(
            Failure::Other,
            "这个端口上不是 SSH 服务：请核对 site.toml 里的 port（SFTP 一般是 22）",
        ),
        russh::Error::NoCommonAlgo { kind, theirs, .. } => RemoteError::new(
            Failure::Other,
            format!(
                "服务器太旧，没有共同支持的加密方式（{kind:?}：服务器只有 {}）",
                theirs.join(", ")
            ),
        ),
        other => ssh_failure(other),
    }
}

/// Why the server could not be reached, in words for the message.
pub(super) fn unreachable(error: &std::io::Error) -> RemoteError {
    use std::io::ErrorKind as K;
    let reason = match error.kind() {
        K::ConnectionRefused => "服务器拒绝连接，这个端口上没有 SSH 服务",
        K::TimedOut => "连接超时",
        K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown => "网络不通",
        _ => "找不到或连不上这台服务器",
    };
    RemoteError::new(Failure::Unreachable, format!("{reason}：{error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: StatusCode, message: &str) -> SftpError {
        SftpError::Status(russh_sftp::protocol::Status {
            id: 1,
            status_code: code,
            error_message: message.into(),
            language_tag: "en".into(),
        })
    }

    #[test]
    fn sftp_errors_are_sorted() {
        let sorted = |e: SftpError| sftp_failure(&e).failure;
        assert_eq!(
            sorted(status(StatusCode::PermissionDenied, "Permission denied")),
            Failure::Permission
        );
        assert_eq!(
            sorted(status(StatusCode::Failure, "No space left on device")),
            Failure::Full
        );
        assert_eq!(
            sorted(status(StatusCode::Failure, "Disk quota exceeded")),
            Failure::Full
        );
        assert_eq!(
            sorted(status(StatusCode::Failure, "Failure")),
            Failure::Other
        );
        assert_eq!(
            sorted(status(StatusCode::ConnectionLost, "")),
            Failure::Transient
        );
        assert_eq!(sorted(SftpError::Timeout), Failure::Transient);
        assert_eq!(
            sorted(SftpError::UnexpectedBehavior("session closed".into())),
            Failure::Transient
        );
        assert_eq!(
            sftp_failure(&status(StatusCode::Failure, "")).detail,
            "Failure"
        );
    }

    #[test]
    fn connection_errors_are_sorted() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(unreachable(&refused).failure, Failure::Unreachable);
        assert_eq!(ssh_failure(&russh::Error::HUP).failure, Failure::Transient);
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert_eq!(
            ssh_failure(&russh::Error::IO(reset)).failure,
            Failure::Transient
        );
        assert_eq!(
            connect_failure(&russh::Error::Version).failure,
            Failure::Other
        );
    }
}
