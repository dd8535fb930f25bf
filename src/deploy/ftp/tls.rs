//! FTPS: which server certificates are trusted.
//!
//! Without `tls_certificate` in site.toml: a certificate that a public
//! authority signed for `host`, checked against the roots webpki-roots
//! bundles, the same on every system. With it: exactly that one
//! certificate, as SSH trusts a recorded host key, for an intranet server
//! whose certificate it made itself. The pin names the certificate by the
//! SHA-256 of its DER bytes, so its name and dates are not checked; the
//! handshake's signatures still are, so only the holder of that
//! certificate's private key gets through.

use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use suppaftp::rustls::client::danger::{
    HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
};
use suppaftp::rustls::client::WebPkiServerVerifier;
use suppaftp::rustls::crypto::{self, WebPkiSupportedAlgorithms};
use suppaftp::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use suppaftp::rustls::{
    self, CertificateError, ClientConfig, DigitallySignedStruct, OtherError, RootCertStore,
    SignatureScheme,
};
use suppaftp::{FtpError, RustlsConnector};

use crate::deploy::remote::{Failure, RemoteError};

/// TLS as site.toml asks, and what the server showed of itself.
pub(super) struct Tls {
    config: Arc<ClientConfig>,
    /// `tls_certificate` as written in site.toml, for messages.
    pin: Option<String>,
    /// The fingerprint of the certificate the server presented last,
    /// recorded by [`Verifier`] for the message when it is not trusted.
    presented: Arc<Mutex<Option<Fingerprint>>>,
}

impl Tls {
    /// The TLS settings for `tls_certificate` (if any); a pin that is not
    /// a fingerprint is an error before anything is connected.
    pub(super) fn new(pin: Option<&str>) -> Result<Tls, RemoteError> {
        let pin = pin.map(str::trim).filter(|p| !p.is_empty());
        let pinned = match pin {
            Some(text) => Some(Fingerprint::parse(text).ok_or_else(|| not_a_fingerprint(text))?),
            None => None,
        };
        // Named, not the process default, which panics when the build holds
        // more than one provider (dependencies bring their own).
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let trust = match pinned {
            Some(fingerprint) => Trust::Pinned(fingerprint),
            None => {
                let roots = RootCertStore {
                    roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                };
                let webpki =
                    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                        .build()
                        .map_err(|e| settings_error(&e))?;
                Trust::Authorities(webpki)
            }
        };
        let presented = Arc::new(Mutex::new(None));
        let verifier = Verifier {
            trust,
            algorithms: provider.signature_verification_algorithms,
            presented: presented.clone(),
        };
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| settings_error(&e))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok(Tls {
            config: Arc::new(config),
            pin: pin.map(str::to_string),
            presented,
        })
    }

    pub(super) fn connector(&self) -> RustlsConnector {
        RustlsConnector::from(self.config.clone())
    }

    /// Why the handshake failed, when it was TLS, with the fingerprint of
    /// the certificate the server presented; `None` for other errors.
    pub(super) fn failure(&self, error: &FtpError) -> Option<RemoteError> {
        let FtpError::ConnectionError(io) = error else {
            return None;
        };
        let error = rustls_error(io)?;
        let presented = *self
            .presented
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let unknown_issuer = matches!(
            error,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        );
        let (failure, detail) = match (presented, &self.pin) {
            (Some(presented), Some(pin)) if is_not_pinned(error) => (Failure::HostKey, format!(
                "服务器的加密证书不是 site.toml 里记录的那一张（tls_certificate = \"{pin}\"）：可能连错了服务器，也可能服务器换了新证书。它现在的证书指纹是 {presented}；请先向管理服务器的同事核对，确认是换了证书、指纹无误后，再把 tls_certificate 改成 \"{presented}\""
            )),
            (Some(presented), _) if unknown_issuer => (Failure::HostKey, format!(
                "服务器的加密证书不是公认的机构签发的（多半是服务器自己生成的），无法确认连上的就是这台服务器。它的证书指纹是 {presented}。请向管理服务器的同事核对这个指纹，确认无误后，在 site.toml 的这个 [[deploy]] 里加一行 tls_certificate = \"{presented}\"，以后就只认这一张证书（{error}）"
            )),
            _ => (Failure::Other, explain(error)),
        };
        Some(RemoteError::new(failure, detail))
    }
}

/// What is wrong with the server's certificate or with TLS, when `error`
/// is a TLS error; without the certificate's fingerprint (for a data
/// connection, after the control connection was trusted).
pub(super) fn problem(error: &io::Error) -> Option<String> {
    rustls_error(error).map(explain)
}

fn rustls_error(error: &io::Error) -> Option<&rustls::Error> {
    error.get_ref()?.downcast_ref::<rustls::Error>()
}

fn explain(error: &rustls::Error) -> String {
    let why = match error {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "服务器的加密证书不是公认的机构签发的（多半是服务器自己生成的），无法确认连上的就是这台服务器；请管理服务器的同事换用正式证书，或告诉你证书的 SHA256 指纹，写进 site.toml 的 [[deploy]]：tls_certificate = \"SHA256:...\""
        }
        _ if is_not_pinned(error) => {
            "服务器的加密证书不是 site.toml 里 tls_certificate 记录的那一张：可能连错了服务器，也可能服务器换了新证书"
        }
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => "服务器的加密证书上写的不是 site.toml 里的 host：host 要写证书上的域名",
        rustls::Error::InvalidCertificate(
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. },
        ) => "服务器的加密证书已过期或还没生效，也可能是这台电脑的日期不对",
        rustls::Error::InvalidCertificate(_) => "服务器的加密证书无法验证",
        _ => "加密连接没能建立",
    };
    format!("{why}（{error}）")
}

/// Whether [`Verifier`] refused a certificate for not being the pinned one.
fn is_not_pinned(error: &rustls::Error) -> bool {
    matches!(
        error,
        rustls::Error::InvalidCertificate(CertificateError::Other(other))
            if other.0.downcast_ref::<NotPinned>().is_some()
    )
}

fn settings_error(error: &dyn fmt::Display) -> RemoteError {
    RemoteError::new(Failure::Other, format!("加密设置有误（{error}）"))
}

fn not_a_fingerprint(text: &str) -> RemoteError {
    RemoteError::new(
        Failure::Other,
        format!(
            "site.toml 里的 tls_certificate = \"{text}\" 写得不对：应写成 SHA256: 后面跟 43 个字母和数字（和 SSH 显示指纹的写法一样），或 openssl x509 -noout -fingerprint -sha256 显示的 AB:CD:… 那样 32 组以冒号隔开的写法"
        ),
    )
}

/// A certificate named by the SHA-256 of its DER bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint([u8; 32]);

impl Fingerprint {
    fn of(certificate: &[u8]) -> Fingerprint {
        // ring's SHA-256, reached through the suite that uses it: ring is
        // rustls's, not a dependency of this crate.
        let suite = rustls::crypto::ring::cipher_suite::TLS13_AES_128_GCM_SHA256
            .tls13()
            .expect("a TLS 1.3 suite");
        let hash = suite.common.hash_provider;
        debug_assert_eq!(hash.algorithm(), crypto::hash::HashAlgorithm::SHA256);
        let mut bytes = [0; 32];
        bytes.copy_from_slice(hash.hash(certificate).as_ref());
        Fingerprint(bytes)
    }

    /// `SHA256:` and base64 without padding, as OpenSSH prints a key's
    /// fingerprint (and as [`Fingerprint`] displays); or 32 hex bytes
    /// apart by colons, as `openssl x509 -noout -fingerprint -sha256`
    /// prints it (its whole line may be pasted). Either case.
    fn parse(text: &str) -> Option<Fingerprint> {
        let text = text.trim();
        let text = match text.split_once('=') {
            Some((label, hex)) if label.trim().eq_ignore_ascii_case("sha256 fingerprint") => {
                hex.trim()
            }
            _ => text,
        };
        let bytes = match text.get(..7) {
            Some(prefix) if prefix.eq_ignore_ascii_case("SHA256:") => {
                base64_decode(text[7..].trim_end_matches('='))?
            }
            _ => hex_decode(text)?,
        };
        bytes.try_into().ok().map(Fingerprint)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SHA256:{}", base64_encode(&self.0))
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 without the `=` padding.
fn base64_encode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |group, (i, &b)| {
            group | (u32::from(b) << (16 - 8 * i))
        });
        for i in 0..=chunk.len() {
            text.push(BASE64[(group >> (18 - 6 * i)) as usize & 63] as char);
        }
    }
    text
}

/// Standard base64 without padding; `None` for any other character, or
/// for bits left over at the end that are not zero.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0);
    for c in text.bytes() {
        let value = BASE64.iter().position(|&b| b == c)? as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    (bits == 0 && count < 6).then_some(bytes)
}

/// `AB:CD:...`, or the hex digits without the colons.
fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let pairs: Vec<&str> = if text.contains(':') {
        text.split(':').collect()
    } else {
        let digits = text.as_bytes().chunks(2);
        digits
            .map(std::str::from_utf8)
            .collect::<Result<_, _>>()
            .ok()?
    };
    pairs
        .into_iter()
        .map(|pair| match pair.len() {
            2 if pair.bytes().all(|b| b.is_ascii_hexdigit()) => u8::from_str_radix(pair, 16).ok(),
            _ => None,
        })
        .collect()
}

/// Why a pinned server was refused: its certificate is another one.
#[derive(Debug)]
struct NotPinned;

impl fmt::Display for NotPinned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not the certificate tls_certificate names")
    }
}

impl std::error::Error for NotPinned {}

#[derive(Debug)]
enum Trust {
    /// `tls_certificate`: this certificate and no other.
    Pinned(Fingerprint),
    /// The public authorities, for `host`.
    Authorities(Arc<WebPkiServerVerifier>),
}

#[derive(Debug)]
struct Verifier {
    trust: Trust,
    /// The ring provider's, for the handshake's signatures.
    algorithms: WebPkiSupportedAlgorithms,
    presented: Arc<Mutex<Option<Fingerprint>>>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let presented = Fingerprint::of(end_entity);
        *self
            .presented
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(presented);
        match &self.trust {
            Trust::Pinned(pinned) if *pinned == presented => Ok(ServerCertVerified::assertion()),
            Trust::Pinned(_) => Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(NotPinned)),
            ))),
            Trust::Authorities(webpki) => webpki.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of nothing, as `ssh-keygen` and `openssl` print it.
    const EMPTY: &str = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
    const EMPTY_HEX: &str = "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55";

    #[test]
    fn a_fingerprint_shows_as_openssh_prints_it() {
        assert_eq!(Fingerprint::of(b"").to_string(), EMPTY);
        assert_eq!(
            Fingerprint::of(b"streetpress").to_string(),
            "SHA256:BfUnaGB0n4fsRhp68DWYyoPpYkaZ4MsXxm631TM8mtk"
        );
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
        ] {
            assert_eq!(base64_encode(bytes), text);
            assert_eq!(base64_decode(text).as_deref(), Some(bytes));
        }
    }

    #[test]
    fn a_pin_is_read_in_the_openssh_form() {
        let empty = Some(Fingerprint::of(b""));
        assert_eq!(Fingerprint::parse(EMPTY), empty);
        // With base64's padding, another case of the prefix, spaces around.
        assert_eq!(Fingerprint::parse(&format!("{EMPTY}=")), empty);
        assert_eq!(
            Fingerprint::parse(&format!("  {}\n", EMPTY.replace("SHA256", "sha256"))),
            empty
        );
        for wrong in [
            "",
            "SHA256:",
            // One character short, one too many, one not of base64.
            &EMPTY[..EMPTY.len() - 1],
            &format!("{EMPTY}A"),
            &EMPTY.replace('+', "-"),
            "MD5:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
        ] {
            assert_eq!(Fingerprint::parse(wrong), None, "{wrong}");
        }
        // base64 is not case-insensitive: this is another certificate.
        let other = Fingerprint::parse(&EMPTY.replace("47DEQ", "47deq"));
        assert!(other.is_some() && other != empty);
    }

    #[test]
    fn a_pin_is_read_in_the_openssl_form() {
        let empty = Some(Fingerprint::of(b""));
        assert_eq!(Fingerprint::parse(EMPTY_HEX), empty);
        assert_eq!(Fingerprint::parse(&EMPTY_HEX.to_lowercase()), empty);
        assert_eq!(Fingerprint::parse(&EMPTY_HEX.replace(':', "")), empty);
        // The whole line openssl prints (OpenSSL 3; 1.1 wrote `SHA256`).
        assert_eq!(
            Fingerprint::parse(&format!("sha256 Fingerprint={EMPTY_HEX}")),
            empty
        );
        assert_eq!(
            Fingerprint::parse(&format!("SHA256 Fingerprint={EMPTY_HEX}\n")),
            empty
        );
        for wrong in [
            // A byte short, a byte too many, a digit not hex, a lone digit.
            &EMPTY_HEX[..EMPTY_HEX.len() - 3],
            &format!("{EMPTY_HEX}:00"),
            &EMPTY_HEX.replace("E3", "G3"),
            &EMPTY_HEX.replace("E3:B0", "E:3B0"),
            &format!("{EMPTY_HEX}:"),
            // SHA-1, as `openssl x509 -fingerprint` prints without -sha256.
            "DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09",
            &format!("md5 Fingerprint={EMPTY_HEX}"),
        ] {
            assert_eq!(Fingerprint::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn a_pin_that_is_no_fingerprint_is_refused_before_connecting() {
        let error = Tls::new(Some("SHA256:abc")).err().expect("refused");
        assert!(error.detail.contains("tls_certificate = \"SHA256:abc\""));
        assert!(Tls::new(Some(EMPTY)).is_ok());
        assert!(Tls::new(Some(EMPTY_HEX)).is_ok());
        // Left empty: the public authorities decide.
        assert!(Tls::new(Some(" ")).is_ok());
        assert!(Tls::new(None).is_ok());
    }
}
