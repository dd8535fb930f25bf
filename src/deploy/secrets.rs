//! Passwords and keys: from the environment variable site.toml names, else
//! asked on the terminal without echo. Never printed, never stored on disk.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::{Mutex, PoisonError};

use super::remote::{Failure, RemoteError};

/// Secrets typed in this run, by environment variable: a connection made
/// again after a network cut does not ask again. Memory only.
static GIVEN: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());

/// The secret in environment variable `var`, or typed in answer to `what`.
pub fn secret(var: &str, what: &str) -> Result<String, RemoteError> {
    if let Ok(value) = std::env::var(var) {
        if !value.is_empty() {
            return Ok(value);
        }
    }
    let mut given = GIVEN.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(secret) = given.get(var) {
        return Ok(secret.clone());
    }
    if !std::io::stdin().is_terminal() {
        return Err(RemoteError::new(
            Failure::Login,
            format!("没有设置环境变量 {var}，也不在终端里，无法询问{what}"),
        ));
    }
    let typed = rpassword::prompt_password(format!("请输入{what}（输入时不显示）："))
        .map_err(|e| RemoteError::from_io(&e))?;
    given.insert(var.to_string(), typed.clone());
    Ok(typed)
}
