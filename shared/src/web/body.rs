//! The response body every host serves: a whole body, or (where the host
//! can hold a response open) a server-sent-events stream of keep-alives.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Frame, SizeHint};

pub enum Body {
    Full(Option<Bytes>),
    Sse(KeepAliveStream),
}

impl Body {
    pub fn empty() -> Self {
        Self::Full(None)
    }

    pub fn full(bytes: impl Into<Bytes>) -> Self {
        Self::Full(Some(bytes.into()))
    }

    /// The whole body, for hosts that buffer (Lambda) and for tests; a
    /// stream has no whole body and gives `None`.
    pub fn into_bytes(self) -> Option<Bytes> {
        match self {
            Self::Full(bytes) => Some(bytes.unwrap_or_default()),
            Self::Sse(_) => None,
        }
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Full(bytes) => write!(
                f,
                "Body::Full({} bytes)",
                bytes.as_ref().map_or(0, Bytes::len)
            ),
            Self::Sse(_) => f.write_str("Body::Sse"),
        }
    }
}

/// An SSE stream that says it is open, then sends a comment line at each
/// interval so proxies keep the connection. It ends when the client goes
/// away (the host drops the body), at its maximum age, or when told to
/// (its session ended). This server never has messages to push, so
/// comments are all it sends.
pub struct KeepAliveStream {
    opened: bool,
    interval: tokio::time::Interval,
    /// The end of its maximum age.
    until: Option<Pin<Box<tokio::time::Sleep>>>,
    /// Fires when the stream must end.
    ended: Option<tokio::sync::oneshot::Receiver<()>>,
    /// Released when the host drops the body (e.g. a stream slot).
    _held: Option<Box<dyn Send + Sync>>,
}

impl KeepAliveStream {
    pub fn new(every: Duration) -> Self {
        let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Self {
            opened: false,
            interval,
            until: None,
            ended: None,
            _held: None,
        }
    }

    /// A stream that ends after `max_age`, or when `ended` fires, holding
    /// `held` until it is dropped.
    pub fn watched(
        every: Duration,
        max_age: Duration,
        ended: tokio::sync::oneshot::Receiver<()>,
        held: impl Send + Sync + 'static,
    ) -> Self {
        Self {
            until: Some(Box::pin(tokio::time::sleep(max_age))),
            ended: Some(ended),
            ..Self::holding(every, held)
        }
    }

    /// Whether the stream must end now.
    fn over(&mut self, cx: &mut Context<'_>) -> bool {
        if let Some(until) = &mut self.until
            && until.as_mut().poll(cx).is_ready()
        {
            return true;
        }
        if let Some(ended) = &mut self.ended
            && let Poll::Ready(fired) = Pin::new(ended).poll(cx)
        {
            // A watcher that went away without firing ends nothing.
            self.ended = None;
            return fired.is_ok();
        }
        false
    }

    /// A stream that holds `held` until it is dropped.
    pub fn holding(every: Duration, held: impl Send + Sync + 'static) -> Self {
        Self {
            _held: Some(Box::new(held)),
            ..Self::new(every)
        }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Self::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Self::Sse(stream) => {
                if stream.over(cx) {
                    return Poll::Ready(None);
                }
                if !stream.opened {
                    stream.opened = true;
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
                        b": stream open\n\n",
                    )))));
                }
                stream
                    .interval
                    .poll_tick(cx)
                    .map(|_| Some(Ok(Frame::data(Bytes::from_static(b": keep-alive\n\n")))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Self::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Self::Sse(_) => SizeHint::default(),
        }
    }
}
