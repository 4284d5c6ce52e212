//! Opening a drop file: its bytes hashed and counted as they are read, decompressed as its
//! name says, and guarded by the limits that keep one file from exhausting the machine.

use std::cell::{Cell, RefCell, RefMut};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::discover::DropFile;
use crate::{Compression, IngestError, Progress};

/// The limits of [`crate::IngestOptions`], in the units the readers check.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest CSV record or NDJSON line. Unit: bytes.
    pub max_record_bytes: u64,
    /// Largest native JSON document after decompression. Unit: bytes.
    pub max_document_bytes: u64,
    /// Largest ratio of decompressed to compressed bytes, checked past [`RATIO_GRACE`].
    pub max_compression_ratio: f64,
    /// Rejected rows of one file after which the rest of the file is not read.
    pub max_rejected_per_file: u64,
}

impl Default for Limits {
    fn default() -> Self {
        let d = microscout_model::campaign::IngestSettings::default();
        Self::from(&d)
    }
}

impl From<&microscout_model::campaign::IngestSettings> for Limits {
    fn from(s: &microscout_model::campaign::IngestSettings) -> Self {
        Limits {
            max_record_bytes: s.max_record_bytes,
            max_document_bytes: s.max_document_bytes,
            max_compression_ratio: s.max_compression_ratio,
            max_rejected_per_file: s.max_rejected_per_file,
        }
    }
}

/// Decompressed bytes before the compression ratio is checked: small files of repetitive
/// rows legitimately compress far better than large ones.
pub const RATIO_GRACE: u64 = 64 << 20;

pub(crate) use microscout_model::reason::LimitHit;

/// The limit behind an I/O error, if one was hit (limits travel inside `io::Error`s through
/// the decoders and the CSV parser, so the reader can tell them from damaged data).
pub(crate) fn limit_hit(e: &std::io::Error) -> Option<&LimitHit> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<LimitHit>())
}

fn limit_error(limit: LimitHit) -> std::io::Error {
    std::io::Error::other(limit)
}

/// Opens a drop file for reading, and checks again that what was opened is a regular file
/// (the listing checked the name; this closes the window in which it could have been
/// replaced by a pipe). On Linux the open itself never blocks (`O_NONBLOCK`, which does not
/// change reads of a regular file).
pub(crate) fn open(f: &DropFile) -> Result<File, IngestError> {
    let io = |source| IngestError::Io {
        path: f.path.clone(),
        source,
    };
    let file = open_nonblocking(&f.path).map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(IngestError::NotAFile {
            path: f.path.clone(),
            reason: "not a regular file (it changed after the drop was listed)".into(),
        });
    }
    Ok(file)
}

/// Opens `path` for reading without waiting: on Linux with `O_NONBLOCK`, so that a pipe
/// without a writer opens at once (the caller then refuses what is not a regular file);
/// reads of a regular file are unchanged.
pub fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK on Linux (all architectures microscout builds for).
        options.custom_flags(0o4000);
    }
    options.open(path)
}

/// Counts and hashes the bytes of a file as they are read (before any decompression), and
/// reports progress. Shared between the reader that feeds the parser and the caller.
#[derive(Clone)]
pub(crate) struct Meter(Rc<RefCell<MeterState>>);

struct MeterState {
    hasher: HashWorker,
    bytes: u64,
    reported: u64,
}

impl Meter {
    fn new() -> Self {
        Meter(Rc::new(RefCell::new(MeterState {
            hasher: HashWorker::new(),
            bytes: 0,
            reported: 0,
        })))
    }

    fn state(&self) -> RefMut<'_, MeterState> {
        self.0.borrow_mut()
    }

    /// Bytes of the file read so far.
    fn bytes(&self) -> u64 {
        self.state().bytes
    }

    /// Reports progress every 4 MiB.
    pub(crate) fn tick(&self, progress: &dyn Progress) {
        let mut m = self.state();
        if m.bytes - m.reported >= 4 << 20 {
            progress.advance(m.bytes - m.reported);
            m.reported = m.bytes;
        }
    }

    /// [`Self::finish`] with the file named in the error.
    pub(crate) fn done(
        &self,
        f: &DropFile,
        progress: &dyn Progress,
    ) -> Result<(u64, String), IngestError> {
        self.finish(&f.path, progress)
            .map_err(|source| IngestError::Io {
                path: f.path.clone(),
                source,
            })
    }

    /// Hashes whatever the parser did not read (a decoder may stop before trailing bytes,
    /// a limit may stop the parser), so the hash is always that of the whole file; returns
    /// (bytes, hex SHA-256).
    fn finish(
        &self,
        path: &Path,
        progress: &dyn Progress,
    ) -> Result<(u64, String), std::io::Error> {
        let mut m = self.state();
        let mut file = File::open(path)?;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(m.bytes))?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            m.hasher.update(&buf[..n]);
            m.bytes += n as u64;
        }
        progress.advance(m.bytes - m.reported);
        Ok((m.bytes, crate::hex(&m.hasher.finalize())))
    }
}

/// Bytes handed to the hashing thread at once. Unit: bytes.
const HASH_BUFFER: usize = 1 << 20;

/// SHA-256 of a file's bytes, computed on a thread of its own so that hashing is off the
/// reading thread (the critical path of ingestion): the bytes are copied once into 1 MiB
/// buffers, at most four wait for the hasher, and emptied buffers come back for reuse. When
/// no thread can be started, it hashes in place.
struct HashWorker {
    pending: Vec<u8>,
    to_hasher: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    emptied: Option<std::sync::mpsc::Receiver<Vec<u8>>>,
    thread: Option<std::thread::JoinHandle<Sha256>>,
    /// Hashing in place (no thread), or what was finalized.
    inline: Option<Sha256>,
}

impl HashWorker {
    fn new() -> Self {
        let (to_hasher, full) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let (give_back, emptied) = std::sync::mpsc::channel::<Vec<u8>>();
        let thread = std::thread::Builder::new()
            .name("sha256".into())
            .spawn(move || {
                let mut h = Sha256::new();
                for mut buf in full {
                    h.update(&buf);
                    buf.clear();
                    // The reader may be gone (an error ended the file): nothing to give back.
                    let _ = give_back.send(buf);
                }
                h
            });
        match thread {
            Ok(t) => HashWorker {
                pending: Vec::with_capacity(HASH_BUFFER),
                to_hasher: Some(to_hasher),
                emptied: Some(emptied),
                thread: Some(t),
                inline: None,
            },
            Err(_) => HashWorker::in_place(),
        }
    }

    /// Hashing on the calling thread.
    fn in_place() -> Self {
        HashWorker {
            pending: Vec::new(),
            to_hasher: None,
            emptied: None,
            thread: None,
            inline: Some(Sha256::new()),
        }
    }

    fn update(&mut self, mut bytes: &[u8]) {
        if let Some(h) = &mut self.inline {
            h.update(bytes);
            return;
        }
        while !bytes.is_empty() {
            let take = (HASH_BUFFER - self.pending.len()).min(bytes.len());
            self.pending.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.pending.len() == HASH_BUFFER {
                self.hand_over();
            }
        }
    }

    /// Sends the pending bytes to the hashing thread.
    fn hand_over(&mut self) {
        let (Some(to_hasher), Some(emptied)) = (&self.to_hasher, &self.emptied) else {
            return;
        };
        if self.pending.is_empty() {
            return;
        }
        let next = emptied
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(HASH_BUFFER));
        let full = std::mem::replace(&mut self.pending, next);
        to_hasher.send(full).expect("the hashing thread runs");
    }

    /// The digest of every byte given to [`Self::update`].
    fn finalize(&mut self) -> [u8; 32] {
        self.hand_over();
        self.to_hasher = None;
        if let Some(t) = self.thread.take() {
            self.inline = Some(t.join().expect("the hashing thread does not panic"));
        }
        self.inline.take().unwrap_or_default().finalize().into()
    }
}

/// Wraps a reader, feeding every byte that passes through to a [`Meter`].
struct Hashing<R> {
    inner: R,
    meter: Meter,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut m = self.meter.state();
        m.hasher.update(&buf[..n]);
        m.bytes += n as u64;
        Ok(n)
    }
}

/// Stops a decompressed stream that expands more than the ratio allows.
struct Expansion<R> {
    inner: R,
    meter: Meter,
    out: u64,
    max_ratio: f64,
    what: &'static str,
}

impl<R: Read> Read for Expansion<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if self.out > RATIO_GRACE {
            let compressed = self.meter.bytes().max(1);
            let ratio = self.out as f64 / compressed as f64;
            if ratio > self.max_ratio {
                return Err(limit_error(LimitHit::Ratio {
                    compression: self.what,
                    limit: self.max_ratio.to_string(),
                    decompressed_mib: self.out >> 20,
                    compressed_kib: compressed >> 10,
                }));
            }
        }
        Ok(n)
    }
}

/// Opens a file for reading, decompressed as its name says and guarded by the ratio limit,
/// with a [`Meter`] on its (compressed) bytes.
pub(crate) fn open_metered(
    f: &DropFile,
    limits: &Limits,
    progress: &dyn Progress,
) -> Result<(Box<dyn Read>, Meter), IngestError> {
    let file = open(f)?;
    progress.start_file(&f.name, file.metadata().map(|m| m.len()).unwrap_or(0));
    let meter = Meter::new();
    let raw = Hashing {
        inner: file,
        meter: meter.clone(),
    };
    let what = match f.compression {
        Compression::None => return Ok((Box::new(raw), meter)),
        Compression::Gzip => "gzip",
        Compression::Zstd => "zstd",
        Compression::Xz => "xz",
    };
    let decoded: Box<dyn Read> = match f.compression {
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(raw))),
        Compression::Zstd => {
            Box::new(
                zstd::stream::read::Decoder::new(raw).map_err(|source| IngestError::Io {
                    path: f.path.clone(),
                    source,
                })?,
            )
        }
        // Streaming: memory stays at the decoder's dictionary whatever the file expands to.
        Compression::Xz => Box::new(lzma_rust2::XzReader::new(BufReader::new(raw), true)),
        Compression::None => unreachable!("returned above"),
    };
    let guarded = Expansion {
        inner: decoded,
        meter: meter.clone(),
        out: 0,
        max_ratio: limits.max_compression_ratio,
        what,
    };
    Ok((Box::new(guarded), meter))
}

/// Counts the bytes handed to a parser and fails a read once the current record (from the
/// last boundary the parser reported) is longer than the limit, so that a record without
/// an end is never buffered whole.
pub(crate) struct RecordGuard<R> {
    inner: R,
    state: Rc<GuardState>,
}

struct GuardState {
    delivered: Cell<u64>,
    boundary: Cell<u64>,
    max: u64,
}

/// The parser's side of a [`RecordGuard`]: reports where each record ended.
#[derive(Clone)]
pub(crate) struct Boundary(Rc<GuardState>);

impl Boundary {
    /// A record ended at this byte offset of the decompressed stream.
    pub(crate) fn set(&self, offset: u64) {
        self.0.boundary.set(offset);
    }
}

pub(crate) fn record_guard<R: Read>(inner: R, max: u64) -> (RecordGuard<R>, Boundary) {
    let state = Rc::new(GuardState {
        delivered: Cell::new(0),
        boundary: Cell::new(0),
        max,
    });
    (
        RecordGuard {
            inner,
            state: state.clone(),
        },
        Boundary(state),
    )
}

impl<R: Read> Read for RecordGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let s = &self.state;
        if s.delivered.get() - s.boundary.get() > s.max {
            return Err(limit_error(LimitHit::Record { limit: s.max }));
        }
        let n = self.inner.read(buf)?;
        s.delivered.set(s.delivered.get() + n as u64);
        Ok(n)
    }
}

/// Reads a whole document, at most `max` bytes of it; Err(limit) when it is longer.
pub(crate) fn read_bounded(r: &mut dyn Read, max: u64) -> std::io::Result<Vec<u8>> {
    // Read in chunks and join them once at the end: one growing buffer doubles, and copying
    // half a gigabyte into a new gigabyte holds both at once (a document just over the limit
    // would take twice the limit in memory).
    const CHUNK: u64 = 8 << 20;
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut total = 0u64;
    loop {
        let mut chunk = Vec::with_capacity(CHUNK as usize);
        let n = (&mut *r).take(CHUNK).read_to_end(&mut chunk)? as u64;
        if n == 0 {
            break;
        }
        total += n;
        if total > max {
            return Err(limit_error(LimitHit::Document { limit: max }));
        }
        chunks.push(chunk);
    }
    if chunks.len() <= 1 {
        return Ok(chunks.pop().unwrap_or_default());
    }
    let mut out = Vec::with_capacity(total as usize);
    for chunk in chunks {
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(d: [u8; 32]) -> String {
        crate::hex(&d)
    }

    #[test]
    fn bounded_reads_join_their_chunks_and_stop_one_byte_over() {
        let data: Vec<u8> = (0..(20u32 << 20) + 5).map(|i| (i % 251) as u8).collect();
        let max = data.len() as u64;
        assert_eq!(read_bounded(&mut &data[..], max).unwrap(), data);
        let err = read_bounded(&mut &data[..], max - 1).unwrap_err();
        assert!(limit_hit(&err).is_some(), "{err}");
        assert_eq!(read_bounded(&mut &b""[..], 0).unwrap(), b"");
        assert_eq!(read_bounded(&mut &b"abc"[..], 3).unwrap(), b"abc");
    }

    #[test]
    fn the_hashing_thread_gives_the_digest_of_every_byte() {
        // FIPS 180-2's example: SHA-256("abc").
        let mut w = HashWorker::new();
        w.update(b"a");
        w.update(b"bc");
        assert_eq!(
            hex(w.finalize()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Over several buffers, in pieces of odd sizes, as on the calling thread.
        let data: Vec<u8> = (0..(5 * HASH_BUFFER + 12_345))
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        let (mut threaded, mut in_place) = (HashWorker::new(), HashWorker::in_place());
        for piece in data.chunks(77_777) {
            threaded.update(piece);
            in_place.update(piece);
        }
        let want: [u8; 32] = Sha256::digest(&data).into();
        assert_eq!(threaded.finalize(), want);
        assert_eq!(in_place.finalize(), want);
        // Nothing given: the digest of nothing.
        assert_eq!(
            hex(HashWorker::new().finalize()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
