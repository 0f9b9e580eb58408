//! The TCP side of the simulator: a listener that can refuse service and connections that can
//! be cut. It is what makes the network faults real for a client:
//!
//! - while the simulator refuses ([`crate::sim::SimHandle::set_refusing`]), every new connection
//!   is closed as soon as it is accepted, and connections opened earlier fail on their next
//!   read, so no request gets through on a kept-alive connection either;
//! - a handler can cut its own connection ([`Conn::cut`]): the reply it returns is never
//!   written, the socket is closed, and the client sees the connection drop without a status.
//!
//! Cut and refused connections fail with an I/O error that hyper reports only at trace level,
//! so nothing alarming reaches stderr.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Accepts connections for the simulator, dropping them while `refusing` is on.
#[derive(Debug)]
pub struct SimListener {
    inner: TcpListener,
    refusing: Arc<AtomicBool>,
}

impl SimListener {
    pub fn new(inner: TcpListener, refusing: Arc<AtomicBool>) -> Self {
        Self { inner, refusing }
    }
}

impl Listener for SimListener {
    type Io = SimStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (SimStream, SocketAddr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, peer)) => {
                    if self.refusing.load(Ordering::SeqCst) {
                        // Closed before anything is read: the client sees a reset or an
                        // early end of stream, and nothing is recorded or applied.
                        drop(stream);
                        continue;
                    }
                    let stream = SimStream {
                        inner: stream,
                        cut: Arc::new(AtomicBool::new(false)),
                        refusing: Arc::clone(&self.refusing),
                    };
                    return (stream, peer);
                }
                // Per-connection failures (the peer gave up during the handshake) are
                // routine; anything else (out of file descriptors) gets a short pause so the
                // loop does not spin.
                Err(err) if is_connection_error(&err) => {}
                Err(err) => {
                    tracing::debug!(%err, "InvGate simulator: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// One accepted connection. Once cut, or while the simulator refuses, every read, write and
/// flush fails, which makes hyper drop the connection (and close the socket) without writing
/// anything more.
#[derive(Debug)]
pub struct SimStream {
    inner: TcpStream,
    cut: Arc<AtomicBool>,
    refusing: Arc<AtomicBool>,
}

impl SimStream {
    fn dead(&self) -> bool {
        self.cut.load(Ordering::SeqCst) || self.refusing.load(Ordering::SeqCst)
    }
}

fn aborted() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection cut by the simulator",
    )
}

impl AsyncRead for SimStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for SimStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// The handler's grip on its own connection (axum `ConnectInfo`).
#[derive(Debug, Clone)]
pub struct Conn {
    cut: Arc<AtomicBool>,
}

impl Conn {
    /// Drops the connection instead of answering: whatever the handler returns is never written.
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, SimListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, SimListener>) -> Self {
        Conn {
            cut: Arc::clone(&stream.io().cut),
        }
    }
}
