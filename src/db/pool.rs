//! The connection pool: one writer behind an async mutex, N readers behind a
//! semaphore. Closures run on tokio's blocking threads inside the caller's span.

use super::DbError;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use tracing::Instrument as _;

thread_local! {
    /// Set while a write transaction enqueues work; read when it commits. A
    /// transaction runs on one blocking thread from start to commit.
    static WORK_ENQUEUED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Notes that the write transaction running on this thread enqueued work:
/// the workers are woken once it commits.
pub fn note_work_enqueued() {
    WORK_ENQUEUED.set(true);
}

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    /// Woken after every commit that enqueued work (see `note_work_enqueued`).
    work: Arc<tokio::sync::Notify>,
    /// Every committed change (see `bus`).
    bus: tokio::sync::broadcast::Sender<Arc<super::bus::Committed>>,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: Mutex<Vec<Connection>>,
    reader_slots: Arc<Semaphore>,
}

impl Db {
    /// Opens (creating if needed) the database file, applies pending migrations
    /// and opens the read-only connections.
    pub fn open(path: &Path, readers: usize, busy_timeout: Duration) -> Result<Db, DbError> {
        Db::open_sized(path, readers, busy_timeout, DEFAULT_CACHE_KIB)
    }

    /// `open`, each connection keeping at most `cache_kib` of pages in memory.
    pub fn open_sized(
        path: &Path,
        readers: usize,
        busy_timeout: Duration,
        cache_kib: u32,
    ) -> Result<Db, DbError> {
        let open_err = |source| DbError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut writer = Connection::open(path).map_err(open_err)?;
        configure(&writer, busy_timeout, false, cache_kib).map_err(open_err)?;
        super::migrations::apply(&mut writer)?;

        let mut pool = Vec::with_capacity(readers);
        for _ in 0..readers {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
            configure(&conn, busy_timeout, true, cache_kib).map_err(open_err)?;
            pool.push(conn);
        }
        Ok(Db {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                work: Arc::default(),
                bus: tokio::sync::broadcast::Sender::new(super::bus::CAPACITY),
                writer: Arc::new(tokio::sync::Mutex::new(writer)),
                readers: Mutex::new(pool),
                reader_slots: Arc::new(Semaphore::new(readers)),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// What the background workers wait on: woken after each commit that
    /// enqueued work, so none of the writers has to remember to ring.
    pub fn work_committed(&self) -> Arc<tokio::sync::Notify> {
        self.inner.work.clone()
    }

    /// Every change committed from now on, in commit order. A subscriber
    /// that falls more than `bus::CAPACITY` changes behind is told how many
    /// it missed (`RecvError::Lagged`).
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Arc<super::bus::Committed>> {
        self.inner.bus.subscribe()
    }

    /// Runs `f` on a read-only connection.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let permit = self
            .inner
            .reader_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| DbError::TaskFailed)?;
        let inner = self.inner.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _enter = span.enter();
            let conn = inner
                .readers
                .lock()
                .map_err(|_| DbError::TaskFailed)?
                .pop()
                .ok_or(DbError::TaskFailed)?;
            // Give the connection back even if `f` panics.
            let lease = Lease {
                conn: Some(conn),
                home: &inner.readers,
            };
            let out = f(lease.conn());
            drop(lease);
            drop(permit);
            out
        })
        .await
        .map_err(|_| E::from(DbError::TaskFailed))?
    }

    /// Runs `f` inside an IMMEDIATE transaction on the single writer; commits
    /// when `f` returns `Ok`, rolls back otherwise. The commit is durable
    /// (`synchronous=FULL`) before this returns.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&Transaction<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let guard = self.inner.writer.clone().lock_owned().await;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _enter = span.enter();
            let mut guard = guard;
            let tx = guard
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(DbError::from)?;
            WORK_ENQUEUED.set(false);
            super::bus::clear();
            let out = f(&tx);
            // Whatever happens, the notes do not outlive the transaction.
            let enqueued = WORK_ENQUEUED.replace(false);
            let changes = super::bus::take();
            let out = out?;
            tx.commit().map_err(DbError::from)?;
            Ok((out, enqueued, changes))
        })
        .instrument(tracing::Span::current())
        .await
        .map_err(|_| E::from(DbError::TaskFailed))?
        .map(|(out, enqueued, changes)| {
            if enqueued {
                self.inner.work.notify_waiters();
            }
            for change in changes {
                // Nobody listening is fine: the bus keeps nothing for later.
                let _ = self.inner.bus.send(Arc::new(change));
            }
            out
        })
    }

    /// Runs `f` with the writer connection outside any transaction (checkpoints, VACUUM).
    pub async fn with_writer<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let guard = self.inner.writer.clone().lock_owned().await;
        tokio::task::spawn_blocking(move || {
            let mut guard = guard;
            f(&mut guard)
        })
        .await
        .map_err(|_| E::from(DbError::TaskFailed))?
    }

    /// Empties the page cache of every connection not in use (an idle
    /// server's memory goes back; the next queries read from the OS's
    /// cache). Returns how many connections were shrunk.
    pub async fn shrink_memory(&self) -> usize {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut shrunk = 0;
            if let Ok(readers) = inner.readers.lock() {
                for c in readers.iter() {
                    shrunk += usize::from(shrink(c));
                }
            }
            // A writer in use is busy, not idle: it is left alone.
            if let Ok(writer) = inner.writer.try_lock() {
                shrunk += usize::from(shrink(&writer));
            }
            shrunk
        })
        .await
        .unwrap_or(0)
    }

    /// Moves every WAL frame into the main file and truncates the WAL; run at shutdown.
    pub async fn checkpoint(&self) -> Result<(), DbError> {
        self.with_writer(|c| {
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(DbError::from)
        })
        .await
    }
}

struct Lease<'a> {
    conn: Option<Connection>,
    home: &'a Mutex<Vec<Connection>>,
}

impl Lease<'_> {
    fn conn(&self) -> &Connection {
        // The option is only emptied in drop.
        match &self.conn {
            Some(c) => c,
            None => unreachable!("lease used after drop"),
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut home)) = (self.conn.take(), self.home.lock()) {
            home.push(conn);
        }
    }
}

/// One writable connection to a migrated database, for commands that work
/// on a data directory no server runs on (import).
pub fn open_single(path: &Path, busy_timeout: Duration) -> Result<Connection, DbError> {
    let open_err = |source| DbError::Open {
        path: path.to_path_buf(),
        source,
    };
    let mut conn = Connection::open(path).map_err(open_err)?;
    configure(&conn, busy_timeout, false, DEFAULT_CACHE_KIB).map_err(open_err)?;
    super::migrations::apply(&mut conn)?;
    Ok(conn)
}

/// Page cache per connection unless configured (`storage.sqlite_cache_kib`).
pub const DEFAULT_CACHE_KIB: u32 = 16_000;

fn shrink(c: &Connection) -> bool {
    c.execute_batch("PRAGMA shrink_memory;").is_ok()
}

fn configure(
    conn: &Connection,
    busy: Duration,
    read_only: bool,
    cache_kib: u32,
) -> rusqlite::Result<()> {
    conn.busy_timeout(busy)?;
    // Listings build their SQL from access filters; keep those compiled too.
    conn.set_prepared_statement_cache_capacity(64);
    if !read_only {
        // journal_mode is persistent in the file; set it from the writer.
        conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))?;
    }
    conn.execute_batch(
        "PRAGMA synchronous=FULL;
         PRAGMA foreign_keys=ON;
         PRAGMA temp_store=MEMORY;",
    )?;
    // Negative: a size in KiB rather than in pages.
    conn.execute_batch(&format!("PRAGMA cache_size=-{cache_kib};"))?;
    if read_only {
        conn.execute_batch("PRAGMA query_only=ON;")?;
    }
    Ok(())
}
