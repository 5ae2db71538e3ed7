//! A tiny HTTP/1.0 file server on `uvco::net` and `uvco::fs`.
//!
//! ```sh
//! cargo run --example file_server                          # self-test, then exit
//! cargo run --example file_server -- DIR [127.0.0.1:8000]  # serve DIR until interrupted
//! ```
//!
//! `GET /path` answers with the file's bytes, or with a plain-text listing for a directory.
//! With no arguments it fills a temporary directory, serves it on a free port of 127.0.0.1,
//! fetches a file, a listing, a missing file and an escape attempt from itself with a
//! `uvco::net::TcpStream`, checks each answer, removes the directory and exits.
//!
//! Only what an example needs: no keep-alive, no percent-decoding, no ranges.

use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use uvco::net::{TcpListener, TcpStream};

/// The most a request head may take; longer requests get 431.
const MAX_HEAD: usize = 8 * 1024;

/// Accepts connections until the task is aborted, one task per connection.
async fn serve(listener: TcpListener, root: Rc<Path>, log: bool) -> io::Result<()> {
    loop {
        let (conn, peer) = listener.accept().await?;
        let root = root.clone();
        uvco::spawn_local(async move {
            match handle(conn, &root).await {
                Ok((status, target)) if log => println!("{peer} {target} -> {status}"),
                Ok(_) => {}
                Err(err) => eprintln!("{peer}: {err}"),
            }
        })
        .detach();
    }
}

/// Serves one request on `conn`; returns the status and the request target, for the log.
async fn handle(mut conn: TcpStream, root: &Path) -> io::Result<(u16, String)> {
    let (status, target, content_type, body) = match read_head(&mut conn).await? {
        Err(status) => (status, String::new(), "text/plain", reason(status).into()),
        Ok(target) => match respond(root, &target).await {
            Ok((content_type, body)) => (200, target, content_type, body),
            Err(status) => (status, target, "text/plain", reason(status).into()),
        },
    };
    let head = format!(
        "HTTP/1.0 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        reason(status),
        body.len()
    );
    conn.write_all(head.as_bytes()).await?;
    conn.write_all(&body).await?;
    conn.shutdown().await?;
    Ok((status, target))
}

/// Reads the request head and returns the target of a `GET`, or the status to answer with.
async fn read_head(conn: &mut TcpStream) -> io::Result<Result<String, u16>> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return Ok(Err(431));
        }
        match conn.read(&mut buf).await? {
            0 => return Ok(Err(400)),
            n => head.extend_from_slice(&buf[..n]),
        }
    }
    let Ok(head) = std::str::from_utf8(&head) else {
        return Ok(Err(400));
    };
    let mut words = head.lines().next().unwrap_or("").split(' ');
    Ok(match (words.next(), words.next(), words.next()) {
        (Some("GET"), Some(target), Some(version)) if version.starts_with("HTTP/1.") => {
            Ok(target.to_owned())
        }
        (Some(_), Some(_), Some(_)) => Err(405),
        _ => Err(400),
    })
}

/// The content type and body for `target` under `root`, or an error status.
async fn respond(root: &Path, target: &str) -> Result<(&'static str, Vec<u8>), u16> {
    let path = resolve(root, target).ok_or(403u16)?;
    let metadata = uvco::fs::metadata(&path).await.map_err(status_of)?;
    if metadata.is_dir() {
        let mut listing = String::new();
        let mut entries = uvco::fs::read_dir(&path).await.map_err(status_of)?;
        while let Some(entry) = entries.next_entry().await.map_err(status_of)? {
            let slash = if entry.file_type().await.is_ok_and(|t| t.is_dir()) {
                "/"
            } else {
                ""
            };
            listing += &format!("{}{slash}\n", entry.file_name().to_string_lossy());
        }
        return Ok(("text/plain; charset=utf-8", listing.into_bytes()));
    }
    let body = uvco::fs::read(&path).await.map_err(status_of)?;
    Ok((content_type(&path), body))
}

/// `root` joined with the target's path, or `None` if the target would leave `root`.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?.strip_prefix('/')?;
    let mut resolved = root.to_path_buf();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(name) => resolved.push(name),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(resolved)
}

fn status_of(err: io::Error) -> u16 {
    match err.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => 404,
        io::ErrorKind::PermissionDenied => 403,
        _ => 500,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Internal Server Error",
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("txt" | "md" | "rs" | "toml") => "text/plain; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// `GET target` from `addr` with a uvco client; returns the status and the body, checked
/// against the `Content-Length` header.
async fn get(addr: SocketAddr, target: &str) -> io::Result<(u16, Vec<u8>)> {
    let mut conn = TcpStream::connect(addr).await?;
    let request = format!("GET {target} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    conn.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match conn.read(&mut buf).await? {
            0 => break, // the server closes after one response
            n => response.extend_from_slice(&buf[..n]),
        }
    }
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| invalid("no end of head"))?;
    let head = std::str::from_utf8(&response[..split]).map_err(|_| invalid("head not UTF-8"))?;
    let body = response[split + 4..].to_vec();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status"))?;
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("Content-Length: "))
        .and_then(|length| length.parse().ok())
        .ok_or_else(|| invalid("no Content-Length"))?;
    assert_eq!(length, body.len(), "Content-Length differs from the body");
    Ok((status, body))
}

async fn self_test() -> io::Result<()> {
    let root = std::env::temp_dir().join(format!("uvco-file-server-{}", std::process::id()));
    uvco::fs::create_dir_all(root.join("docs")).await?;
    let hello = "hello from uvco::fs, over uvco::net\n";
    uvco::fs::write(root.join("hello.txt"), hello).await?;
    uvco::fs::write(root.join("docs/notes.md"), "# notes\n").await?;

    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    let addr = listener.local_addr()?;
    println!("serving {} on http://{addr}/", root.display());
    let server = uvco::spawn_local(serve(listener, Rc::from(root.as_path()), true));

    let (status, body) = get(addr, "/hello.txt").await?;
    assert_eq!((status, body.as_slice()), (200, hello.as_bytes()));
    println!(
        "GET /hello.txt: {status}, {} bytes, body checked",
        body.len()
    );

    let (status, body) = get(addr, "/").await?;
    let listing = String::from_utf8_lossy(&body);
    assert_eq!(status, 200);
    assert!(listing.lines().any(|line| line == "hello.txt"), "{listing}");
    assert!(listing.lines().any(|line| line == "docs/"), "{listing}");
    println!(
        "GET /: {status}, listing {:?}",
        listing.lines().collect::<Vec<_>>()
    );

    let (status, _) = get(addr, "/docs/missing.txt").await?;
    assert_eq!(status, 404);
    println!("GET /docs/missing.txt: {status}");

    let (status, _) = get(addr, "/../hello.txt").await?;
    assert_eq!(status, 403);
    println!("GET /../hello.txt: {status}");

    server.abort();
    uvco::fs::remove_dir_all(&root).await?;
    println!("ok");
    Ok(())
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let rt = uvco::Runtime::new()?;
    match args.next() {
        None => rt.block_on(self_test())?,
        Some(dir) => {
            let addr: SocketAddr = args
                .next()
                .as_deref()
                .unwrap_or("127.0.0.1:8000")
                .parse()
                .map_err(|err| io::Error::new(io::ErrorKind::InvalidInput, err))?;
            rt.block_on(async {
                let listener = TcpListener::bind(addr)?;
                println!("serving {dir} on http://{}/", listener.local_addr()?);
                serve(listener, Rc::from(Path::new(&dir)), true).await
            })?;
        }
    }
    // Closing explicitly reports a loop that could not be closed (nothing may leak).
    rt.close()?;
    Ok(())
}
