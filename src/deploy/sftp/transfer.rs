//! Reading and writing files. The pieces of a file are sent without
//! waiting for each acknowledgement; a file is written under a temporary
//! name and renamed over the old one.

use std::sync::Arc;

use russh_sftp::client::error::Error as SftpError;
use russh_sftp::client::RawSftpSession;
use russh_sftp::protocol::{FileAttributes, OpenFlags, Packet, StatusCode};

use super::errors::is_status;
use super::{ConnectionRef, POSIX_RENAME};

/// Bytes of one file written ahead of the server's acknowledgements.
const IN_FLIGHT: usize = 1024 * 1024;
/// `get` is for the manifest; a server sending more than this is wrong.
const MAX_GET: usize = 256 * 1024 * 1024;

pub(super) async fn read_folder(
    sftp: &RawSftpSession,
    folder: &str,
) -> Result<Vec<russh_sftp::protocol::File>, SftpError> {
    let handle = sftp.opendir(folder).await?.handle;
    let mut entries = Vec::new();
    let result = loop {
        match sftp.readdir(handle.as_str()).await {
            Ok(name) if name.files.is_empty() => break Ok(()),
            Ok(name) => entries.extend(name.files),
            Err(error) if is_status(&error, StatusCode::Eof) => break Ok(()),
            Err(error) => break Err(error),
        }
    };
    let _ = sftp.close(handle).await;
    result.map(|()| entries)
}

pub(super) async fn read_file(
    c: &ConnectionRef,
    remote: String,
) -> Result<Option<Vec<u8>>, SftpError> {
    let handle = match c
        .sftp
        .open(remote, OpenFlags::READ, FileAttributes::empty())
        .await
    {
        Ok(handle) => handle.handle,
        Err(error) if is_status(&error, StatusCode::NoSuchFile) => return Ok(None),
        Err(error) => return Err(error),
    };
    let mut bytes = Vec::new();
    let chunk = u32::try_from(c.chunk).unwrap_or(u32::MAX);
    let result = loop {
        match c
            .sftp
            .read(handle.as_str(), bytes.len() as u64, chunk)
            .await
        {
            // An empty answer would never reach the end; take it as the end.
            Ok(data) if data.data.is_empty() => break Ok(()),
            Ok(_) if bytes.len() > MAX_GET => break Err(SftpError::Limited("文件太大".into())),
            Ok(data) => bytes.extend_from_slice(&data.data),
            Err(error) if is_status(&error, StatusCode::Eof) => break Ok(()),
            Err(error) => break Err(error),
        }
    };
    let _ = c.sftp.close(handle).await;
    result.map(|()| Some(bytes))
}

/// Writes `bytes` to `temporary`, making the site's folders above it when
/// the first try finds one missing.
pub(super) async fn write_file(
    c: &ConnectionRef,
    temporary: &str,
    folders: &[String],
    bytes: &[u8],
) -> Result<(), SftpError> {
    let flags = OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::TRUNCATE;
    let handle = match c.sftp.open(temporary, flags, FileAttributes::empty()).await {
        Err(error) if is_status(&error, StatusCode::NoSuchFile) && !folders.is_empty() => {
            make_folders(&c.sftp, folders).await?;
            c.sftp
                .open(temporary, flags, FileAttributes::empty())
                .await?
        }
        other => other?,
    }
    .handle;
    let written = write_pieces(c, &handle, bytes).await;
    // Closing reports what the server could not store (a full disk, over NFS).
    let closed = c.sftp.close(handle).await;
    written.and(closed.map(drop))
}

/// Sends the pieces of a file one after another without waiting for each
/// acknowledgement: a slow line is then not a round trip per piece.
async fn write_pieces(c: &ConnectionRef, handle: &str, bytes: &[u8]) -> Result<(), SftpError> {
    let chunk = usize::try_from(c.chunk).unwrap_or(usize::MAX).max(1);
    let window = (IN_FLIGHT / chunk).max(1);
    let mut sent = tokio::task::JoinSet::new();
    for (index, piece) in bytes.chunks(chunk).enumerate() {
        if sent.len() >= window {
            acknowledged(sent.join_next().await)?;
        }
        let (sftp, handle, data) = (Arc::clone(&c.sftp), handle.to_string(), piece.to_vec());
        let offset = (index * chunk) as u64;
        sent.spawn(async move { sftp.write(handle, offset, data).await.map(drop) });
    }
    while let Some(done) = sent.join_next().await {
        acknowledged(Some(done))?;
    }
    Ok(())
}

fn acknowledged(
    done: Option<Result<Result<(), SftpError>, tokio::task::JoinError>>,
) -> Result<(), SftpError> {
    match done {
        Some(Ok(result)) => result,
        Some(Err(_)) => Err(SftpError::UnexpectedBehavior("write task ended".into())),
        None => Ok(()),
    }
}

/// Makes each folder in turn, from the top; one that is there already is fine.
async fn make_folders(sftp: &RawSftpSession, folders: &[String]) -> Result<(), SftpError> {
    for folder in folders {
        if let Err(error) = sftp.mkdir(folder.as_str(), FileAttributes::empty()).await {
            let there =
                matches!(sftp.stat(folder.as_str()).await, Ok(attrs) if attrs.attrs.is_dir());
            if !there {
                return Err(error);
            }
        }
    }
    Ok(())
}

/// Renames the written file over the old one: in one step where the
/// server offers POSIX rename, else by removing the old file first.
pub(super) async fn replace(
    c: &ConnectionRef,
    temporary: &str,
    remote: &str,
) -> Result<(), SftpError> {
    if c.posix_rename {
        let request = sftp_strings(&[temporary, remote]);
        return match c.sftp.extended(POSIX_RENAME, request).await? {
            Packet::Status(status) if status.status_code == StatusCode::Ok => Ok(()),
            Packet::Status(status) => Err(SftpError::Status(status)),
            _ => Err(SftpError::UnexpectedPacket),
        };
    }
    match c.sftp.rename(temporary, remote).await {
        Ok(_) => return Ok(()),
        // Plain SFTP rename will not replace a file (the server says only
        // "Failure"); anything else, the old file stays as it is.
        Err(error) if !is_status(&error, StatusCode::Failure) => return Err(error),
        Err(_) => {}
    }
    match c.sftp.remove(remote).await {
        Err(error) if !is_status(&error, StatusCode::NoSuchFile) => return Err(error),
        _ => {}
    }
    c.sftp.rename(temporary, remote).await.map(drop)
}

/// SFTP's wire form of strings: each a 4-byte big-endian length, then its bytes.
fn sftp_strings(parts: &[&str]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for part in parts {
        bytes.extend_from_slice(&(part.len() as u32).to_be_bytes());
        bytes.extend_from_slice(part.as_bytes());
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_go_on_the_wire_with_their_length() {
        assert_eq!(
            sftp_strings(&["ab", ""]),
            [0, 0, 0, 2, b'a', b'b', 0, 0, 0, 0]
        );
    }
}
