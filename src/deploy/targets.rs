//! The `[[deploy]]` tables of site.toml: where a site may be published.
//!
//! Secrets are never written here: a target names the environment variable
//! that holds its password or key (`password_env = "..."`), and `deploy`
//! asks on the terminal when that variable is not set.

use serde::Deserialize;
use toml::Spanned;

use crate::config::{error_in_config, read_tables};
use crate::diagnostics::Diagnostic;

/// One place to publish to, as site.toml describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A mounted share or a USB stick.
    Folder {
        path: String,
    },
    Sftp(Sftp),
    Ftp(Ftp),
    S3(S3),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sftp {
    pub host: String,
    pub port: u16,
    pub user: String,
    /// The folder on the server that the web server serves.
    pub path: String,
    /// The environment variable holding the password, if a password is used.
    pub password_env: Option<String>,
    /// A private key file (OpenSSH format), instead of a password.
    pub key: Option<String>,
    /// The environment variable holding the key's passphrase, if it has one.
    pub passphrase_env: Option<String>,
    /// The server's key, `SHA256:...` as `ssh-keygen -lf` prints it; else
    /// the user's `~/.ssh/known_hosts` decides.
    pub host_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ftp {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub path: String,
    pub password_env: Option<String>,
    pub tls: FtpTls,
    /// The server's own TLS certificate, `SHA256:...`, for a server whose
    /// certificate no public authority signed (an intranet's own): trusted
    /// when it is exactly this one.
    pub tls_certificate: Option<String>,
}

/// Whether FTP talks over TLS (FTPS, explicit `AUTH TLS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FtpTls {
    /// TLS when the server offers it, else plain FTP (with a warning).
    Auto,
    /// TLS or nothing.
    Always,
    /// Plain FTP, for an intranet server without TLS.
    Never,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3 {
    /// `https://oss-cn-hangzhou.aliyuncs.com`, `https://cos.ap-beijing.myqcloud.com`, ...
    pub endpoint: String,
    pub bucket: String,
    /// A folder in the bucket, without slashes at either end; may be empty.
    pub prefix: String,
    pub region: String,
    pub access_key_env: String,
    pub secret_key_env: String,
    /// `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO wants this).
    pub path_style: bool,
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    deploy: Vec<Spanned<RawTarget>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: Option<String>,
    kind: Spanned<String>,
    path: Option<String>,
    host: Option<String>,
    port: Option<Spanned<i64>>,
    user: Option<String>,
    password_env: Option<String>,
    key: Option<String>,
    passphrase_env: Option<String>,
    host_key: Option<String>,
    tls: Option<Spanned<String>>,
    tls_certificate: Option<String>,
    endpoint: Option<String>,
    bucket: Option<String>,
    prefix: Option<String>,
    region: Option<String>,
    access_key_env: Option<String>,
    secret_key_env: Option<String>,
    path_style: Option<bool>,
    /// Written by mistake instead of `password_env`: refused, with a hint.
    password: Option<Spanned<toml::Value>>,
    secret_key: Option<Spanned<toml::Value>>,
}

/// Every `[[deploy]]` table of site.toml, checked; an error names the line.
pub fn parse(text: &str) -> Result<Vec<Target>, Vec<Diagnostic>> {
    let at = |offset: usize, message: String| error_in_config(text, offset, message);
    let file: File = read_tables(
        text,
        "[[deploy]]",
        "可写的项目见 README 的“发布到服务器”一节；每一行写成 名称 = \"值\"",
    )?;
    let mut targets: Vec<Target> = Vec::new();
    let mut errors = Vec::new();
    for (index, spanned) in file.deploy.into_iter().enumerate() {
        let start = spanned.span().start;
        let raw = spanned.into_inner();
        match target(raw, index, start, &at) {
            Ok(target) if targets.iter().any(|t| t.name == target.name) => errors.push(
                at(start, format!("发布目标“{}”重复了", target.name))
                    .with_hint("每个 [[deploy]] 的 name 要各不相同"),
            ),
            Ok(target) => targets.push(target),
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    if errors.is_empty() {
        Ok(targets)
    } else {
        Err(errors)
    }
}

fn target(
    raw: RawTarget,
    index: usize,
    start: usize,
    at: &dyn Fn(usize, String) -> Diagnostic,
) -> Result<Target, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    if let Some(value) = raw.password.as_ref().or(raw.secret_key.as_ref()) {
        errors.push(
            at(value.span().start, "密码和密钥不能写在 site.toml 里：这个文件会被复制、发给别人，甚至上传到网上".into())
                .with_hint("改成 password_env = \"变量名\"（S3 用 secret_key_env），把密码放进这个环境变量；不设置时，发布时会在终端里询问"),
        );
    }
    let name = raw
        .name
        .clone()
        .unwrap_or_else(|| format!("deploy{}", index + 1));
    let kind_name = raw.kind.get_ref().trim().to_ascii_lowercase();
    let kind_at = raw.kind.span().start;
    let mut need = |value: &Option<String>, key: &str, example: &str| -> String {
        match value.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => v.to_string(),
            _ => {
                errors.push(
                    at(start, format!("发布目标“{name}”（{kind_name}）缺少 {key}"))
                        .with_hint(format!("加一行 {key} = {example}")),
                );
                String::new()
            }
        }
    };
    let kind = match kind_name.as_str() {
        "folder" => Kind::Folder {
            path: need(&raw.path, "path", "\"E:/网站\""),
        },
        "sftp" => Kind::Sftp(Sftp {
            host: need(&raw.host, "host", "\"192.168.1.10\""),
            user: need(&raw.user, "user", "\"web\""),
            path: need(&raw.path, "path", "\"/var/www/html\""),
            port: 22,
            password_env: raw.password_env.clone(),
            key: raw.key.clone(),
            passphrase_env: raw.passphrase_env.clone(),
            host_key: raw.host_key.clone(),
        }),
        "ftp" => Kind::Ftp(Ftp {
            host: need(&raw.host, "host", "\"192.168.1.10\""),
            user: need(&raw.user, "user", "\"web\""),
            path: need(&raw.path, "path", "\"/\""),
            port: 21,
            password_env: raw.password_env.clone(),
            tls: FtpTls::Auto,
            tls_certificate: raw.tls_certificate.clone(),
        }),
        "s3" => Kind::S3(S3 {
            endpoint: need(
                &raw.endpoint,
                "endpoint",
                "\"https://oss-cn-beijing.aliyuncs.com\"",
            ),
            bucket: need(&raw.bucket, "bucket", "\"jiedao-site\""),
            region: raw.region.clone().unwrap_or_else(|| "us-east-1".into()),
            prefix: raw
                .prefix
                .as_deref()
                .unwrap_or("")
                .trim_matches('/')
                .to_string(),
            access_key_env: need(
                &raw.access_key_env,
                "access_key_env",
                "\"OSS_ACCESS_KEY_ID\"",
            ),
            secret_key_env: need(
                &raw.secret_key_env,
                "secret_key_env",
                "\"OSS_ACCESS_KEY_SECRET\"",
            ),
            path_style: raw.path_style.unwrap_or(false),
        }),
        other => {
            errors.push(
                at(kind_at, format!("不认识的发布方式 kind = \"{other}\""))
                    .with_hint("可选 folder（文件夹、U 盘）、sftp、ftp、s3（阿里云 OSS、腾讯云 COS、华为云 OBS、MinIO 等对象存储）"),
            );
            return Err(errors);
        }
    };
    let kind = match kind {
        Kind::Sftp(mut sftp) => {
            sftp.port = port(&raw, 22, at, &mut errors);
            if sftp.password_env.is_none() && sftp.key.is_none() {
                errors.push(
                    at(start, format!("发布目标“{name}”没有写登录方式")).with_hint(
                        "用密码：password_env = \"环境变量名\"；用密钥：key = \"密钥文件的路径\"",
                    ),
                );
            }
            Kind::Sftp(sftp)
        }
        Kind::Ftp(mut ftp) => {
            ftp.port = port(&raw, 21, at, &mut errors);
            let anonymous = matches!(ftp.user.as_str(), "anonymous" | "ftp");
            if ftp.password_env.is_none() && !anonymous && !ftp.user.is_empty() {
                errors.push(
                    at(start, format!("发布目标“{name}”没有写密码从哪里来"))
                        .with_hint("加一行 password_env = \"环境变量名\"，把密码放进这个环境变量；不设置时，发布时会在终端里询问"),
                );
            }
            ftp.tls = match raw
                .tls
                .as_ref()
                .map(|t| (t.get_ref().as_str(), t.span().start))
            {
                None | Some(("auto", _)) => FtpTls::Auto,
                Some(("always", _)) => FtpTls::Always,
                Some(("never", _)) => FtpTls::Never,
                Some((other, offset)) => {
                    errors.push(
                        at(offset, format!("tls = \"{other}\" 不认识"))
                            .with_hint("可选 auto（服务器支持就加密，默认）、always（必须加密）、never（不加密，只用于内网）"),
                    );
                    FtpTls::Auto
                }
            };
            Kind::Ftp(ftp)
        }
        kind => kind,
    };
    if errors.is_empty() {
        Ok(Target { name, kind })
    } else {
        Err(errors)
    }
}

fn port(
    raw: &RawTarget,
    default: u16,
    at: &dyn Fn(usize, String) -> Diagnostic,
    errors: &mut Vec<Diagnostic>,
) -> u16 {
    match &raw.port {
        None => default,
        Some(port) => match u16::try_from(*port.get_ref()) {
            Ok(p) if p > 0 => p,
            _ => {
                errors.push(at(
                    port.span().start,
                    format!("端口 port = {} 不对，应在 1 到 65535 之间", port.get_ref()),
                ));
                default
            }
        },
    }
}

impl Target {
    /// Where the target is, for messages: no user name, no secret.
    pub fn place(&self) -> String {
        match &self.kind {
            Kind::Folder { path } => path.clone(),
            Kind::Sftp(s) => format!("sftp://{}:{}{}", s.host, s.port, s.path),
            Kind::Ftp(f) => format!("ftp://{}:{}{}", f.host, f.port, f.path),
            Kind::S3(s) => format!("{} 存储桶 {}/{}", s.endpoint, s.bucket, s.prefix),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_kind() {
        let text = r#"title = "x"
[[deploy]]
name = "U盘"
kind = "folder"
path = "E:/site"
[[deploy]]
name = "政务云"
kind = "sftp"
host = "10.0.0.2"
port = 2222
user = "web"
path = "/srv/www"
password_env = "ZWY_PASSWORD"
[[deploy]]
name = "ftp"
kind = "ftp"
host = "10.0.0.3"
user = "u"
path = "/"
password_env = "P"
tls = "never"
[[deploy]]
name = "oss"
kind = "s3"
endpoint = "https://oss-cn-beijing.aliyuncs.com"
bucket = "b"
prefix = "/site/"
access_key_env = "A"
secret_key_env = "S"
"#;
        let targets = parse(text).unwrap();
        assert_eq!(targets.len(), 4);
        assert_eq!(
            targets[0].kind,
            Kind::Folder {
                path: "E:/site".into()
            }
        );
        match &targets[1].kind {
            Kind::Sftp(s) => assert_eq!(
                (s.port, s.password_env.as_deref()),
                (2222, Some("ZWY_PASSWORD"))
            ),
            other => panic!("{other:?}"),
        }
        match &targets[2].kind {
            Kind::Ftp(f) => assert_eq!(f.tls, FtpTls::Never),
            other => panic!("{other:?}"),
        }
        match &targets[3].kind {
            Kind::S3(s) => assert_eq!(
                (s.prefix.as_str(), s.region.as_str()),
                ("site", "us-east-1")
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_password_in_site_toml_is_refused_at_its_line() {
        let text = "[[deploy]]\nkind = \"ftp\"\nhost = \"h\"\nuser = \"u\"\npath = \"/\"\npassword = \"123456\"\n";
        let errors = parse(text).unwrap_err();
        let shown = errors[0].to_string();
        assert!(shown.contains("site.toml:6:"), "{shown}");
        assert!(shown.contains("password_env"), "{shown}");
        assert!(!shown.contains("123456"), "{shown}");
    }

    #[test]
    fn a_missing_field_and_an_unknown_kind_are_named() {
        let errors =
            parse("[[deploy]]\nname = \"a\"\nkind = \"sftp\"\nhost = \"h\"\n").unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(shown.iter().any(|s| s.contains("缺少 user")), "{shown:?}");
        assert!(
            shown.iter().any(|s| s.contains("没有写登录方式")),
            "{shown:?}"
        );
        let errors = parse("[[deploy]]\nkind = \"ftps\"\n").unwrap_err();
        assert!(
            errors[0].to_string().contains("site.toml:2:8"),
            "{}",
            errors[0]
        );
    }
}
