//! The HTTP/1.1 server under `serve`: one thread per connection, keep-alive
//! on that thread, GET and HEAD only.
//!
//! Our own rather than a crate's: `tiny_http` serves each connection on a
//! thread of a small pool for as long as the browser keeps it open, and its
//! pool can lose the wake-up of a new task in a burst, so when Chromium opens
//! six connections at once a stylesheet or the reload script could wait
//! forever behind threads blocked on idle keep-alive connections. What we
//! need is tiny (GET and HEAD of files held in memory, and one long-lived
//! event stream per tab), and a thread per connection means no connection can
//! wait behind another.

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// The request line and headers together may not be longer than this.
pub const MAX_HEAD: usize = 16 * 1024;

/// A connection with no request for this long is closed.
const IDLE: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub url: String,
    /// `HTTP/1.0` or `HTTP/1.1`.
    pub version: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The value of the first header of this name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the client wants the connection kept open after the answer.
    pub fn keep_alive(&self) -> bool {
        let has = |token: &str| {
            self.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("Connection"))
                .flat_map(|(_, v)| v.split(','))
                .any(|t| t.trim().eq_ignore_ascii_case(token))
        };
        if self.version == "HTTP/1.0" {
            has("keep-alive")
        } else {
            !has("close")
        }
    }

    /// A body we do not read would be taken for the next request: a
    /// connection whose request has one is closed after the answer.
    fn has_body(&self) -> bool {
        self.header("Transfer-Encoding").is_some()
            || self
                .header("Content-Length")
                .is_some_and(|n| n.trim() != "0")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body,
        }
    }

    /// Sets a header, replacing one of the same name.
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// What a handler answers.
pub enum Reply {
    Full(Response),
    /// The handler takes the connection over (an event stream) and writes
    /// everything itself, head included; the connection ends with it.
    TakeOver(Box<dyn FnOnce(TcpStream) + Send>),
}

/// Accepts connections on a thread of its own and answers each on a thread
/// of its own.
pub fn start<F>(listener: TcpListener, handler: F) -> io::Result<()>
where
    F: Fn(&Request) -> Reply + Send + Sync + 'static,
{
    let handler = Arc::new(handler);
    std::thread::Builder::new()
        .name("http-accept".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else {
                    // Out of file descriptors, say: wait rather than spin.
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                let handler = Arc::clone(&handler);
                let _ = std::thread::Builder::new()
                    .name("http-connection".into())
                    .spawn(move || connection(stream, &*handler));
            }
        })?;
    Ok(())
}

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    /// Closed, idle too long or broken: nothing to answer.
    Gone,
    TooLarge,
    Bad,
}

/// Answers requests on one connection until either side is done with it.
fn connection<F: Fn(&Request) -> Reply>(stream: TcpStream, handler: &F) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_head(&mut reader).and_then(|head| parse(&head)) {
            Ok(request) => request,
            Err(Failure::Gone) => return,
            Err(Failure::TooLarge) => {
                let _ = write(&mut writer, &refusal(431, "请求头太长"), false, false);
                return;
            }
            Err(Failure::Bad) => {
                let _ = write(&mut writer, &refusal(400, "请求格式不正确"), false, false);
                return;
            }
        };
        let keep = request.keep_alive() && !request.has_body();
        let head_only = request.method == "HEAD";
        let reply = if request.method == "GET" || head_only {
            handler(&request)
        } else {
            Reply::Full(refusal(405, "只支持 GET 和 HEAD").with_header("Allow", "GET, HEAD"))
        };
        match reply {
            Reply::Full(response) => {
                let http10 = request.version == "HTTP/1.0";
                if write(&mut writer, &response, head_only, keep && http10).is_err() || !keep {
                    return;
                }
            }
            Reply::TakeOver(take) => {
                take(writer);
                return;
            }
        }
    }
}

fn refusal(status: u16, message: &str) -> Response {
    Response::new(status, message.as_bytes().to_vec())
        .with_header("Content-Type", "text/plain; charset=utf-8")
        .with_header("Cache-Control", "no-store")
}

/// Reads the request line and headers, up to and including the empty line.
/// Empty lines before the request line are skipped (RFC 9112, 2.2).
fn read_head<R: BufRead>(reader: &mut R) -> Result<Vec<u8>, Failure> {
    let mut head = Vec::new();
    let mut started = false;
    loop {
        let start = head.len();
        let limit = (MAX_HEAD + 1 - start) as u64;
        let read = match reader.take(limit).read_until(b'\n', &mut head) {
            Ok(read) => read,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Err(Failure::Gone),
        };
        if head.len() > MAX_HEAD {
            return Err(Failure::TooLarge);
        }
        if read == 0 || !head.ends_with(b"\n") {
            return Err(Failure::Gone);
        }
        let line = &head[start..];
        if line == b"\r\n" || line == b"\n" {
            if started {
                return Ok(head);
            }
        } else {
            started = true;
        }
    }
}

/// Parses a head read by `read_head`.
fn parse(head: &[u8]) -> Result<Request, Failure> {
    let text = std::str::from_utf8(head).map_err(|_| Failure::Bad)?;
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .skip_while(|l| l.is_empty());
    let first = lines.next().ok_or(Failure::Bad)?;
    let mut parts = first.split(' ');
    let (Some(method), Some(url), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Failure::Bad);
    };
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic());
    if !token(method) || !token(url) || !matches!(version, "HTTP/1.0" | "HTTP/1.1") {
        return Err(Failure::Bad);
    }
    let mut headers = Vec::new();
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(Failure::Bad)?;
        // No space before the colon, no folded continuation lines.
        if !token(name) {
            return Err(Failure::Bad);
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    Ok(Request {
        method: method.to_string(),
        url: url.to_string(),
        version: version.to_string(),
        headers,
    })
}

/// Writes a response with its length; for HEAD without the body.
fn write<W: Write>(
    out: &mut W,
    response: &Response,
    head_only: bool,
    keep_alive_http10: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        if !name.eq_ignore_ascii_case("Content-Length") {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    if keep_alive_http10 {
        head.push_str("Connection: keep-alive\r\n");
    }
    head.push_str("\r\n");
    // One write, so that the head does not wait for an acknowledgement.
    let mut bytes = head.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    out.write_all(&bytes)?;
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use std::time::Instant;

    fn request(raw: &str) -> Result<Request, Failure> {
        read_head(&mut Cursor::new(raw.as_bytes().to_vec())).and_then(|head| parse(&head))
    }

    #[test]
    fn request_line_and_headers() {
        let r = request(
            "\r\nGET /tags/%E5%8F%8D%E8%AF%88/?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nACCEPT:text/html \r\n\r\nnext",
        )
        .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.url, "/tags/%E5%8F%8D%E8%AF%88/?x=1");
        assert_eq!(r.header("accept"), Some("text/html"));
        assert_eq!(r.header("host"), Some("127.0.0.1"));
        assert!(r.keep_alive());
        assert!(!r.has_body());

        let head = request("HEAD / HTTP/1.1\nConnection: Close\n\n").unwrap();
        assert_eq!(head.method, "HEAD");
        assert!(!head.keep_alive());
        assert!(!request("GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive());
        assert!(request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            .unwrap()
            .keep_alive());
        assert!(request("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
            .unwrap()
            .has_body());
    }

    #[test]
    fn malformed_requests_are_refused() {
        for raw in [
            "GET /\r\n\r\n",
            "GET / HTTP/2\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1 x\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
        ] {
            assert_eq!(request(raw), Err(Failure::Bad), "{raw:?}");
        }
        // Closed before the head ended: nothing to answer.
        assert_eq!(request(""), Err(Failure::Gone));
        assert_eq!(request("GET / HTTP/1.1\r\nHost: x\r\n"), Err(Failure::Gone));
    }

    #[test]
    fn an_oversize_head_is_refused() {
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(request(&long), Err(Failure::TooLarge));
        let endless = format!("GET /{} HTTP/1.1", "a".repeat(MAX_HEAD * 2));
        assert_eq!(request(&endless), Err(Failure::TooLarge));
        let fits = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD / 2));
        assert!(request(&fits).is_ok());
    }

    #[test]
    fn head_gets_the_length_without_the_body() {
        let response = Response::new(200, b"hello".to_vec())
            .with_header("Content-Type", "text/plain")
            .with_header("content-type", "text/html");
        let mut out = Vec::new();
        write(&mut out, &response, true, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nContent-Length: 5\r\n\r\n"
        );
        let mut out = Vec::new();
        write(&mut out, &response, false, false).unwrap();
        assert!(out.ends_with(b"\r\n\r\nhello"));
    }

    /// Reads one response: status and body.
    fn read_response(reader: &mut BufReader<TcpStream>) -> (u16, String) {
        let mut status = 0;
        let mut length = 0;
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).expect("a response");
            if status == 0 {
                status = line.split(' ').nth(1).unwrap().parse().unwrap();
            } else if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.trim().parse().unwrap();
            } else if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        (status, String::from_utf8(body).unwrap())
    }

    fn open(port: u16) -> (TcpStream, BufReader<TcpStream>) {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        (stream, reader)
    }

    #[test]
    fn open_connections_never_hold_up_a_new_one() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        start(listener, |request: &Request| {
            Reply::Full(Response::new(200, request.url.clone().into_bytes()))
        })
        .unwrap();

        // Two requests on one kept-alive connection.
        let (mut first, mut first_reader) = open(port);
        first
            .write_all(b"GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        assert_eq!(read_response(&mut first_reader), (200, "/one".into()));
        assert_eq!(read_response(&mut first_reader), (200, "/two".into()));
        first.write_all(b"POST /x HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(read_response(&mut first_reader).0, 405);

        // Eight at once that stay open, as a browser's are, half of them idle.
        let mut open_ones = Vec::new();
        for i in 0..8 {
            let (mut stream, mut reader) = open(port);
            if i % 2 == 0 {
                write!(stream, "GET /{i} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
                assert_eq!(read_response(&mut reader), (200, format!("/{i}")));
            }
            open_ones.push((stream, reader));
        }

        let started = Instant::now();
        let (mut ninth, mut ninth_reader) = open(port);
        ninth
            .write_all(b"HEAD /ninth HTTP/1.1\r\nHost: x\r\n\r\nGET /ninth HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut head = String::new();
        ninth_reader.read_line(&mut head).unwrap();
        assert_eq!(head, "HTTP/1.1 200 OK\r\n");
        while head != "\r\n" {
            head.clear();
            ninth_reader.read_line(&mut head).unwrap();
        }
        // The HEAD answer had no body: the next bytes are the GET's answer.
        assert_eq!(read_response(&mut ninth_reader), (200, "/ninth".into()));
        let mut rest = Vec::new();
        ninth_reader.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty(), "closed after Connection: close");
        assert!(started.elapsed() < Duration::from_secs(2));
        drop(open_ones);
    }
}
