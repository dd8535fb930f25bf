//! `kind = "s3"`: S3-compatible object storage (阿里云 OSS, 腾讯云 COS,
//! 华为云 OBS, MinIO).
//!
//! Site path `p` is the object `prefix/p` (just `p` with no prefix).
//! PutObject replaces an object whole, so a reader gets the old page or the
//! new one, never half of it; a listing returns a thousand keys a request,
//! quick enough to check the bucket on every deploy.
//!
//! Why rust-s3, with its blocking client (attohttpc): a deploy sends one
//! request at a time from one thread, and rust-s3 signs them (AWS Signature
//! V4, which all four services accept) with no async runtime and few
//! dependencies. The official aws-sdk-s3 needs tokio, is many times the size
//! to build, and by default sends checksums that some S3-compatible services
//! refuse; object_store is async too; rusty-s3 only signs, leaving the HTTP
//! client and the XML to us.

use std::collections::BTreeMap;
use std::io;
use std::net::ToSocketAddrs;
use std::time::Duration;

use s3::creds::Credentials;
use s3::error::S3Error;
use s3::{Bucket, Region};

use super::remote::{Failure, Remote, RemoteError};
use super::secrets::secret;
use super::targets::S3;

/// The longest one request may take, long enough for a big PDF on a slow
/// line; a server that stops answering is caught sooner, by the HTTP
/// client's 30-second read timeout.
const REQUEST_DEADLINE: Duration = Duration::from_secs(600);

pub fn open(settings: &S3) -> Result<Box<dyn Remote>, RemoteError> {
    let access_key = secret(&settings.access_key_env, "对象存储的 AccessKey ID")?;
    let secret_key = secret(&settings.secret_key_env, "对象存储的 AccessKey Secret")?;
    Ok(Box::new(S3Target::new(settings, access_key, secret_key)?))
}

struct S3Target {
    /// `None` once severed: the next request fails as over a cut connection.
    bucket: Option<Box<Bucket>>,
    settings: S3,
    /// Kept only to blank them out of any message.
    keys: [String; 2],
    /// Whether the endpoint has answered on this connection: a refusal or a
    /// timeout before that means it cannot be reached, after it a passing break.
    answered: bool,
}

impl S3Target {
    fn new(settings: &S3, access_key: String, secret_key: String) -> Result<S3Target, RemoteError> {
        use_ring();
        // The session retries, over a fresh connection and with its own
        // waits; rust-s3's retry would sleep a second first, every time.
        s3::set_retries(0);
        let credentials = Credentials::new(Some(&access_key), Some(&secret_key), None, None, None)
            .map_err(|e| RemoteError::new(Failure::Login, e))?;
        let region = Region::Custom {
            region: settings.region.clone(),
            endpoint: endpoint(settings),
        };
        let mut bucket = Bucket::new(&settings.bucket, region, credentials)
            .map_err(|e| RemoteError::new(Failure::Other, e))?;
        if settings.path_style || names_no_domain(&bucket.region().host()) {
            bucket = bucket.with_path_style();
        }
        bucket.set_request_timeout(Some(REQUEST_DEADLINE));
        Ok(S3Target {
            bucket: Some(bucket),
            settings: settings.clone(),
            keys: [access_key, secret_key],
            answered: false,
        })
    }

    fn key(&self, path: &str) -> String {
        match self.settings.prefix.as_str() {
            "" => path.to_string(),
            prefix => format!("{prefix}/{path}"),
        }
    }

    /// Runs one request about `path`; `Ok(None)` when the object is not there.
    fn send<T>(
        &mut self,
        path: Option<&str>,
        request: impl FnOnce(&Bucket) -> Result<T, S3Error>,
    ) -> Result<Option<T>, RemoteError> {
        let Some(bucket) = self.bucket.as_deref() else {
            return Err(at(RemoteError::new(Failure::Transient, "连接已断开"), path));
        };
        let result = request(bucket);
        self.answered |= !matches!(result, Err(S3Error::Atto(_) | S3Error::Io(_)));
        match result {
            Ok(value) => Ok(Some(value)),
            Err(S3Error::HttpFailWithBody(404, body)) if error_code(&body) != "NoSuchBucket" => {
                Ok(None)
            }
            Err(error) => Err(at(self.failure(error), path)),
        }
    }

    fn failure(&self, error: S3Error) -> RemoteError {
        let error = match error {
            S3Error::HttpFailWithBody(status, body) => self.refused(status, &body),
            S3Error::Atto(error) => self.transport(&error),
            S3Error::Io(error) => self.broken(&error),
            S3Error::UrlParse(error) => RemoteError::new(
                Failure::Other,
                format!("site.toml 里的 endpoint 写得不对（{error}）"),
            ),
            other => RemoteError::new(Failure::Other, format!("服务器的回答看不懂（{other}）")),
        };
        self.scrub(error)
    }

    /// The server answered with an error.
    fn refused(&self, status: u16, body: &str) -> RemoteError {
        let code = error_code(body);
        let failure = http_failure(status, code);
        let said = match (code, xml_tag(body, "Message")) {
            ("", _) => format!("服务器回答 HTTP {status}"),
            (code, "") => format!("服务器回答 HTTP {status} {code}"),
            (code, message) => format!("服务器回答 HTTP {status} {code}：{message}"),
        };
        let detail = match self.hint(failure, code, body) {
            hint if hint.is_empty() => said,
            hint => format!("{said}；{hint}"),
        };
        RemoteError::new(failure, detail)
    }

    /// What to check, for the errors a setting in site.toml can cause.
    fn hint(&self, failure: Failure, code: &str, body: &str) -> String {
        let s = &self.settings;
        match (failure, code) {
            (_, "NoSuchBucket") => self.no_bucket(),
            (Failure::Login, _) => format!(
                "请核对环境变量 {} 和 {} 里的 AccessKey",
                s.access_key_env, s.secret_key_env
            ),
            (Failure::Permission, _) => {
                format!("这个 AccessKey 要有存储桶“{}”的读写和删除权限", s.bucket)
            }
            (_, "RequestTimeTooSkewed") => "这台电脑的时间不准，请校准日期和时间后再发布".into(),
            (_, "AuthorizationHeaderMalformed") => {
                format!("请核对 site.toml 里的 region（现在是 {}）", s.region)
            }
            (_, "PermanentRedirect" | "TemporaryRedirect") => {
                let right = match xml_tag(body, "Endpoint") {
                    "" => String::new(),
                    endpoint => format!("（服务器说应该用 {endpoint}）"),
                };
                format!(
                    "存储桶不在这个 endpoint 上，请核对 site.toml 里的 endpoint 和 region{right}"
                )
            }
            _ => String::new(),
        }
    }

    fn transport(&self, error: &attohttpc::Error) -> RemoteError {
        match error.kind() {
            attohttpc::ErrorKind::Io(io) => self.broken(io),
            attohttpc::ErrorKind::InvalidResponse(_) => RemoteError::new(
                Failure::Transient,
                format!("{} 的回答不完整（{error}）", self.settings.endpoint),
            ),
            _ => RemoteError::new(
                Failure::Other,
                format!("{}：{error}", self.settings.endpoint),
            ),
        }
    }

    /// The connection failed: sorted by what the system said.
    fn broken(&self, error: &io::Error) -> RemoteError {
        let endpoint = &self.settings.endpoint;
        let tls = error
            .get_ref()
            .and_then(|e| e.downcast_ref::<rustls::Error>());
        if let Some(tls) = tls {
            return RemoteError::new(
                Failure::Other,
                format!("{endpoint} 的 HTTPS 证书或加密连接有问题（{tls}），请核对 site.toml 里的 endpoint"),
            );
        }
        let failure = network_failure(error.kind(), self.answered);
        if failure == Failure::Other && !self.answered && !self.host_resolves() {
            return RemoteError::new(
                Failure::Unreachable,
                format!("找不到 {endpoint} 这个地址（{error}），请核对 site.toml 里的 endpoint"),
            );
        }
        let what = match failure {
            Failure::Unreachable => "连接不上，请核对 site.toml 里的 endpoint",
            Failure::Transient => "连接中断",
            _ => "网络出错",
        };
        RemoteError::new(failure, format!("{endpoint} {what}（{error}）"))
    }

    /// Whether the endpoint's host name resolves here; asked only after a
    /// failure, as a request through a proxy needs no local lookup.
    fn host_resolves(&self) -> bool {
        let Ok(url) = url::Url::parse(&endpoint(&self.settings)) else {
            return false;
        };
        match (url.host_str(), url.port_or_known_default()) {
            (Some(host), Some(port)) => (host, port).to_socket_addrs().is_ok(),
            _ => false,
        }
    }

    fn no_bucket(&self) -> String {
        let s = &self.settings;
        format!(
            "存储桶“{}”不存在，请核对 site.toml 里的 bucket 和 endpoint（{}）",
            s.bucket, s.endpoint
        )
    }

    /// A listing or an upload answered 404 without saying why: only the
    /// bucket can be missing then.
    fn missing_bucket(&self) -> RemoteError {
        let detail = format!("服务器回答 HTTP 404；{}", self.no_bucket());
        RemoteError::new(Failure::Other, detail)
    }

    /// Blanks out the keys, should a server or library ever repeat them.
    fn scrub(&self, mut error: RemoteError) -> RemoteError {
        for key in self.keys.iter().filter(|k| k.len() >= 6) {
            error.detail = error.detail.replace(key.as_str(), "***");
        }
        error
    }
}

impl Remote for S3Target {
    fn list(&mut self) -> Result<BTreeMap<String, u64>, RemoteError> {
        let prefix = match self.settings.prefix.as_str() {
            "" => String::new(),
            prefix => format!("{prefix}/"),
        };
        let mut files = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .send(None, |b| {
                    b.list_page(prefix.clone(), None, token.clone(), None, None)
                })?
                .ok_or_else(|| self.missing_bucket())?
                .0;
            for object in page.contents {
                match object.key.strip_prefix(&prefix) {
                    // A key ending in `/` is a folder made in a web console.
                    Some(path) if !path.is_empty() && !path.ends_with('/') => {
                        files.insert(path.to_string(), object.size);
                    }
                    _ => {}
                }
            }
            match page.next_continuation_token {
                Some(next) if page.is_truncated && token.as_ref() != Some(&next) => {
                    token = Some(next)
                }
                _ if page.is_truncated => {
                    return Err(RemoteError::new(
                        Failure::Other,
                        "服务器列出的文件不完整（没有给出下一页）",
                    ))
                }
                _ => return Ok(files),
            }
        }
    }

    fn size(&mut self, path: &str) -> Result<Option<u64>, RemoteError> {
        let key = self.key(path);
        let Some((head, _)) = self.send(Some(path), |b| b.head_object(&key))? else {
            return Ok(None);
        };
        match head.content_length.and_then(|n| u64::try_from(n).ok()) {
            Some(size) => Ok(Some(size)),
            None => Err(RemoteError::new(Failure::Other, "服务器没有给出文件大小").at(path)),
        }
    }

    fn get(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        let key = self.key(path);
        let data = self.send(Some(path), |b| b.get_object(&key))?;
        Ok(data.map(|d| d.to_vec()))
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        let key = self.key(path);
        let kind = content_type(path);
        self.send(Some(path), |b| {
            b.put_object_with_content_type(&key, bytes, kind)
        })?
        .ok_or_else(|| self.missing_bucket().at(path))?;
        Ok(())
    }

    fn delete(&mut self, path: &str) -> Result<(), RemoteError> {
        let key = self.key(path);
        self.send(Some(path), |b| b.delete_object(&key))?;
        Ok(())
    }

    fn sever(&mut self) {
        self.bucket = None;
    }

    fn lists_quickly(&self) -> bool {
        true
    }
}

/// rustls has two crypto providers in this build (ring, and aws-lc-rs that
/// attohttpc asks for) and panics on the first HTTPS request unless one is
/// chosen for the process; ring is the one the rest of deploy uses.
fn use_ring() {
    // An error only says a provider was chosen already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn at(error: RemoteError, path: Option<&str>) -> RemoteError {
    match path {
        Some(path) => error.at(path),
        None => error,
    }
}

/// The endpoint as rust-s3 wants it. A bucket's own address copied from a
/// web console (`https://bucket.oss-cn-beijing.aliyuncs.com`) loses the
/// bucket, which rust-s3 puts in front again.
fn endpoint(settings: &S3) -> String {
    let endpoint = settings.endpoint.trim().trim_end_matches('/');
    let (scheme, host) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let host = match host.strip_prefix(&format!("{}.", settings.bucket)) {
        Some(rest) if !settings.path_style && rest.contains('.') => rest,
        _ => host,
    };
    format!("{scheme}://{host}")
}

/// Whether a host (with its port) is an IP address or `localhost`, where
/// the bucket cannot go in front as a subdomain: MinIO on an intranet.
fn names_no_domain(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.parse::<u16>().is_ok() => name,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name == "localhost" || name.parse::<std::net::IpAddr>().is_ok()
}

/// What an S3 error reply means, by its HTTP status and its `<Code>`.
fn http_failure(status: u16, code: &str) -> Failure {
    match (status, code) {
        (_, "NoSuchBucket") => Failure::Other,
        (_, "InvalidAccessKeyId" | "SignatureDoesNotMatch") | (401, _) => Failure::Login,
        (_, "RequestTimeTooSkewed") => Failure::Other,
        (_, "SlowDown" | "InternalError" | "ServiceUnavailable" | "RequestTimeout")
        | (408 | 429 | 500..=599, _) => Failure::Transient,
        (403, _) => Failure::Permission,
        _ => Failure::Other,
    }
}

/// What a failed connection means; see [`S3Target::answered`].
fn network_failure(kind: io::ErrorKind, answered: bool) -> Failure {
    use io::ErrorKind as K;
    match kind {
        K::ConnectionRefused
        | K::TimedOut
        | K::WouldBlock
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::NetworkDown
        | K::AddrNotAvailable
            if !answered =>
        {
            Failure::Unreachable
        }
        K::ConnectionRefused
        | K::TimedOut
        | K::WouldBlock
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::NetworkDown
        | K::AddrNotAvailable
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::BrokenPipe
        | K::UnexpectedEof
        | K::NotConnected
        | K::Interrupted => Failure::Transient,
        _ => Failure::Other,
    }
}

fn error_code(body: &str) -> &str {
    xml_tag(body, "Code")
}

/// The text of the first `<tag>` in an error reply, or "": the replies are
/// small and flat, no XML parser needed.
fn xml_tag<'a>(body: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let Some(start) = body.find(&open).map(|i| i + open.len()) else {
        return "";
    };
    let end = body[start..]
        .find(&format!("</{tag}>"))
        .map_or(body.len(), |i| start + i);
    body[start..end].trim()
}

/// The Content-Type a browser needs to show the file rather than download it.
fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "rss.xml" {
        return "application/rss+xml; charset=utf-8";
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "application/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(prefix: &str) -> S3 {
        S3 {
            endpoint: "https://oss-cn-beijing.aliyuncs.com/".into(),
            bucket: "jiedao".into(),
            prefix: prefix.into(),
            region: "cn-beijing".into(),
            access_key_env: "OSS_KEY".into(),
            secret_key_env: "OSS_SECRET".into(),
            path_style: false,
        }
    }

    fn target(prefix: &str) -> S3Target {
        S3Target::new(
            &settings(prefix),
            "AKIDEXAMPLE123".into(),
            "Secret-Example-456".into(),
        )
        .unwrap()
    }

    #[test]
    fn site_paths_are_keys_under_the_prefix() {
        assert_eq!(
            target("jiedao/site").key("a/b.html"),
            "jiedao/site/a/b.html"
        );
        assert_eq!(target("").key("index.html"), "index.html");
    }

    #[test]
    fn a_bucket_address_copied_from_the_console_is_an_endpoint() {
        let mut s = settings("");
        s.endpoint = "https://jiedao.oss-cn-beijing.aliyuncs.com/".into();
        assert_eq!(endpoint(&s), "https://oss-cn-beijing.aliyuncs.com");
        s.endpoint = "minio.example.gov.cn:9000".into();
        assert_eq!(endpoint(&s), "https://minio.example.gov.cn:9000");
    }

    #[test]
    fn an_ip_address_takes_the_bucket_in_the_path() {
        assert!(names_no_domain("10.1.2.3:9000"));
        assert!(names_no_domain("[::1]:9000"));
        assert!(names_no_domain("localhost"));
        assert!(!names_no_domain("oss-cn-beijing.aliyuncs.com"));
        let mut s = settings("");
        s.endpoint = "http://10.1.2.3:9000".into();
        let target = S3Target::new(&s, "k".into(), "s".into()).unwrap();
        assert!(target.bucket.unwrap().is_path_style());
    }

    #[test]
    fn error_replies_are_sorted_by_status_and_code() {
        assert_eq!(http_failure(403, "InvalidAccessKeyId"), Failure::Login);
        assert_eq!(http_failure(403, "SignatureDoesNotMatch"), Failure::Login);
        assert_eq!(http_failure(403, "AccessDenied"), Failure::Permission);
        assert_eq!(http_failure(404, "NoSuchBucket"), Failure::Other);
        assert_eq!(http_failure(503, "SlowDown"), Failure::Transient);
        assert_eq!(http_failure(500, ""), Failure::Transient);
        assert_eq!(http_failure(400, "RequestTimeout"), Failure::Transient);
        assert_eq!(http_failure(400, "InvalidArgument"), Failure::Other);
    }

    #[test]
    fn a_refusal_before_any_answer_is_unreachable_after_one_a_break() {
        use io::ErrorKind as K;
        assert_eq!(
            network_failure(K::ConnectionRefused, false),
            Failure::Unreachable
        );
        assert_eq!(network_failure(K::TimedOut, false), Failure::Unreachable);
        assert_eq!(network_failure(K::TimedOut, true), Failure::Transient);
        assert_eq!(
            network_failure(K::ConnectionReset, false),
            Failure::Transient
        );
        assert_eq!(network_failure(K::InvalidData, true), Failure::Other);
    }

    #[test]
    fn a_message_names_the_bucket_and_never_holds_a_key() {
        let target = target("site");
        let body = "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>";
        let error = target.failure(S3Error::HttpFailWithBody(404, body.into()));
        assert_eq!(error.failure, Failure::Other);
        assert!(
            error.detail.contains("存储桶“jiedao”不存在"),
            "{}",
            error.detail
        );
        let body = "<Error><Code>SignatureDoesNotMatch</Code><Message>key Secret-Example-456 bad</Message></Error>";
        let error = target.failure(S3Error::HttpFailWithBody(403, body.into()));
        assert_eq!(error.failure, Failure::Login);
        assert!(
            !error.detail.contains("Secret-Example-456"),
            "{}",
            error.detail
        );
        assert!(error.detail.contains("OSS_SECRET"), "{}", error.detail);
    }

    #[test]
    fn a_severed_connection_fails_the_next_request_as_a_break() {
        let mut target = target("site");
        target.sever();
        let error = target.put("index.html", b"x").unwrap_err();
        assert_eq!(
            (error.failure, error.path.as_deref()),
            (Failure::Transient, Some("index.html"))
        );
    }

    #[test]
    fn pages_feeds_and_pictures_get_their_content_type() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("news/rss.xml"),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("images/a.WEBP"), "image/webp");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn xml_tags_are_read_from_flat_replies() {
        let body =
            "<?xml?><Error><Code>AccessDenied</Code><Message> Access Denied </Message></Error>";
        assert_eq!(error_code(body), "AccessDenied");
        assert_eq!(xml_tag(body, "Message"), "Access Denied");
        assert_eq!(xml_tag(body, "Endpoint"), "");
        assert_eq!(xml_tag("<Code>cut", "Code"), "cut");
    }
}
