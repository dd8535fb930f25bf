//! Passwords and keys: from the environment variable site.toml names, else
//! asked on the terminal without echo. Never printed, never stored.

use std::io::IsTerminal;

use super::remote::{Failure, RemoteError};

/// The secret in environment variable `var`, or typed in answer to `what`.
pub fn secret(var: &str, what: &str) -> Result<String, RemoteError> {
    if let Ok(value) = std::env::var(var) {
        if !value.is_empty() {
            return Ok(value);
        }
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("请输入{what}（输入时不显示）："))
            .map_err(|e| RemoteError::from_io(&e));
    }
    Err(RemoteError::new(
        Failure::Login,
        format!("没有设置环境变量 {var}，也不在终端里，无法询问{what}"),
    ))
}
