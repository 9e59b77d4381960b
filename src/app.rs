//! The application state, built once and shared by `serve`, the CLI and the tests.

use crate::auth::password::PasswordHasher;
use crate::auth::session::SessionCache;
use crate::auth::throttle::Throttle;
use crate::config::Config;
use crate::db::{Db, DbError};
use crate::i18n::{I18n, I18nError};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    I18n(#[from] I18nError),
    #[error(transparent)]
    Service(#[from] crate::service::Error),
    #[error(transparent)]
    Blobs(#[from] crate::blobs::BlobError),
}

/// Everything a request handler or a command may need; cloning it is one
/// reference-count increment (every middleware layer takes a copy per request).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub config: Arc<Config>,
    pub db: Db,
    pub i18n: Arc<I18n>,
    pub hasher: PasswordHasher,
    pub throttle: Arc<Throttle>,
    pub sessions: Arc<SessionCache>,
    /// Rung after a commit that enqueued outbox work.
    pub outbox: crate::outbox::Bell,
    /// Every portal, reloaded when an administrator changes one.
    pub portals: crate::portals::Registry,
    /// Content-addressed file contents.
    pub blobs: crate::blobs::BlobStore,
    /// WebDAV locks, shared by every client of this instance.
    pub dav_locks: crate::dav::locks::LockTable,
    /// The search index, opened by the server (commands leave it closed).
    pub search: std::sync::OnceLock<std::sync::Arc<crate::search::index::SearchIndex>>,
    /// The instance's time zone (`server.time_zone`), resolved once.
    pub time_zone: jiff::tz::TimeZone,
    /// Requests in flight and the last one's time: an idle server gives memory back.
    pub activity: Arc<crate::util::Activity>,
    /// The open live streams and the changes they were sent lately.
    pub live: Arc<crate::live::Hub>,
    /// The kinds of content this instance serves (`content::KINDS`).
    pub kinds: &'static [&'static crate::content::ContentKind],
    /// Reactions added this minute, per person (their allowance).
    pub reactions_added: Arc<crate::comments::reactions::Added>,
    /// Adoption figures noted by requests, written by a loop.
    pub adoption: Arc<crate::adoption::Recorder>,
}

impl AppState {
    /// Opens the data directory and the database (applying migrations) and loads translations.
    pub async fn open(config: Config) -> Result<AppState, AppError> {
        Self::open_with(config, crate::content::KINDS).await
    }

    /// Opens with these kinds of content (tests add a kind of their own).
    pub async fn open_with(
        config: Config,
        kinds: &'static [&'static crate::content::ContentKind],
    ) -> Result<AppState, AppError> {
        let dir = config.data_dir.clone();
        std::fs::create_dir_all(&dir).map_err(|source| AppError::DataDir {
            path: dir.clone(),
            source,
        })?;
        restrict_permissions(&dir);
        let db_path = dir.join("parvis.db");
        let (readers, busy) = (config.storage.sqlite_readers, config.storage.busy_timeout);
        let cache = config.storage.sqlite_cache_kib;
        let db =
            tokio::task::spawn_blocking(move || Db::open_sized(&db_path, readers, busy, cache))
                .await
                .map_err(|_| DbError::TaskFailed)??;
        let i18n = Arc::new(I18n::load()?);
        let portals = crate::portals::Registry::load(&db).await?;
        let outbox = crate::outbox::Bell::of(&db);
        let blobs =
            crate::blobs::BlobStore::open(&dir)?.small_up_to(config.storage.small_blob_bytes);
        let hasher = PasswordHasher::new(config.hash_concurrency());
        let throttle = Arc::new(Throttle::new(crate::auth::throttle::Limits {
            pair_free: config.auth.account_free_failures,
            address_free: config.auth.address_free_failures,
            account_free: config.auth.account_lockout_failures,
            max_delay: config.auth.max_throttle_delay,
        }));
        let time_zone = config.time_zone();
        let live = Arc::new(crate::live::Hub::new(&config.live));
        let adoption = Arc::new(crate::adoption::Recorder::new(time_zone.clone()));
        Ok(AppState(Arc::new(Shared {
            adoption,
            time_zone,
            config: Arc::new(config),
            db,
            i18n,
            hasher,
            throttle,
            sessions: Arc::new(SessionCache::default()),
            outbox,
            portals,
            blobs,
            dav_locks: crate::dav::lock_table(),
            search: std::sync::OnceLock::new(),
            activity: Arc::default(),
            live,
            kinds,
            reactions_added: Arc::default(),
        })))
    }

    /// Reloads the portals after `init` or a change made outside the portal service.
    pub async fn reload_portals(&self) -> Result<(), AppError> {
        Ok(self.portals.reload(&self.db).await?)
    }
}

/// Extractors ask for the part of the state they need (`FromRef`).
impl axum::extract::FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Db {
        state.db.clone()
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The data directory holds secrets (the TLS key, the database): owner only.
fn restrict_permissions(dir: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)) {
            tracing::warn!(dir = %dir.display(), error = %e, "cannot restrict data directory permissions");
        }
    }
}
