//! A TCP echo server on `uvco::net`.
//!
//! ```sh
//! cargo run --example echo_server                   # self-test: serve, connect, echo, exit
//! cargo run --example echo_server -- 127.0.0.1:7000 # serve until interrupted
//! ```
//!
//! With no address it binds 127.0.0.1 on a free port, connects three clients to itself at
//! once, echoes a few messages on each, checks what comes back, and exits. Every connection
//! is a `spawn_local` task on the one libuv loop.

use std::io;
use std::net::SocketAddr;

use uvco::net::{TcpListener, TcpStream};

/// Sends back everything `conn` sends, until the peer shuts down its side; returns how many
/// bytes were echoed.
async fn echo(mut conn: TcpStream) -> io::Result<usize> {
    let mut buf = vec![0; 16 * 1024];
    let mut echoed = 0;
    loop {
        let n = conn.read(&mut buf).await?;
        if n == 0 {
            // EOF: the peer is done writing. Shut down our side so it sees EOF too.
            conn.shutdown().await?;
            return Ok(echoed);
        }
        conn.write_all(&buf[..n]).await?;
        echoed += n;
    }
}

/// Accepts connections until the task is aborted, serving each in a task of its own.
async fn serve(listener: TcpListener, log: bool) -> io::Result<()> {
    loop {
        let (conn, peer) = listener.accept().await?;
        uvco::spawn_local(async move {
            match echo(conn).await {
                Ok(n) if log => println!("{peer}: echoed {n} bytes"),
                Ok(_) => {}
                Err(err) => eprintln!("{peer}: {err}"),
            }
        })
        .detach();
    }
}

/// Reads exactly `buf.len()` bytes.
async fn read_exact(conn: &mut TcpStream, buf: &mut [u8]) -> io::Result<()> {
    let mut got = 0;
    while got < buf.len() {
        match conn.read(&mut buf[got..]).await? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => got += n,
        }
    }
    Ok(())
}

/// One client: sends each message, checks the echo, then closes and waits for the server's
/// EOF.
async fn client(id: usize, addr: SocketAddr) -> io::Result<()> {
    let mut conn = TcpStream::connect(addr).await?;
    for message in ["hello", "libuv", "from uvco"] {
        let message = format!("client {id}: {message}");
        conn.write_all(message.as_bytes()).await?;
        let mut back = vec![0; message.len()];
        read_exact(&mut conn, &mut back).await?;
        assert_eq!(back, message.as_bytes(), "echo differs");
        println!("{message:?} came back");
    }
    conn.shutdown().await?;
    let mut rest = [0u8; 1];
    assert_eq!(
        conn.read(&mut rest).await?,
        0,
        "server sent more than the echo"
    );
    Ok(())
}

async fn self_test() -> io::Result<()> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    let addr = listener.local_addr()?;
    println!("echo server on {addr}");
    let server = uvco::spawn_local(serve(listener, false));

    let clients: Vec<_> = (1..=3)
        .map(|id| uvco::spawn_local(client(id, addr)))
        .collect();
    for client in clients {
        // A failed assertion in a client panics its task; the handle reports the panic.
        client
            .await
            .unwrap_or_else(|err| panic!("client task: {err}"))?;
    }

    // Dropping the accept loop closes the listener.
    server.abort();
    println!("ok: 3 clients, 9 messages echoed");
    Ok(())
}

#[uvco::main]
async fn main() -> io::Result<()> {
    match std::env::args().nth(1) {
        None => self_test().await,
        Some(addr) => {
            let addr: SocketAddr = addr
                .parse()
                .map_err(|err| io::Error::new(io::ErrorKind::InvalidInput, err))?;
            let listener = TcpListener::bind(addr)?;
            println!("echo server on {}", listener.local_addr()?);
            serve(listener, true).await
        }
    }
}
