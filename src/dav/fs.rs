//! The libraries as a WebDAV file system. Every call resolves its path
//! through `documents::paths` (access-checked step by step) and changes
//! things only through the documents service, exactly as the pages do:
//! writes become versions, deletes go to the trash, moves keep history.

use super::file::{Entry, Meta, ReadFile, WriteFile};
use super::{DavUser, fs_error, props};
use crate::access::{self, SpaceAction};
use crate::auth::tokens::Scope;
use crate::blobs::Sink;
use crate::documents::folders;
use crate::documents::model::FileName;
use crate::documents::paths::{self, Children, Node};
use crate::documents::service::{self, UploadTarget};
use axum::http::StatusCode;
use dav_server::davpath::DavPath;
use dav_server::fs::{
    DavDirEntry, DavFile, DavMetaData, DavProp, FsError, FsFuture, FsResult, FsStream,
    GuardedFileSystem, OpenOptions, ReadDirMeta,
};
use futures_util::FutureExt;

#[derive(Clone)]
pub struct ParvisFs;

/// What one request has learned, so a PROPFIND of a large folder resolves
/// each child once (from the listing) instead of path by path. Forgotten at
/// the first change the request makes.
#[derive(Default)]
pub struct Memo {
    nodes: std::collections::HashMap<String, Node>,
    /// Children whose dead properties are known: those in `with_props` have some.
    props_known: std::collections::HashSet<props::Key>,
    with_props: std::collections::HashSet<props::Key>,
}

fn memo(user: &DavUser) -> Option<std::sync::MutexGuard<'_, Memo>> {
    user.memo.lock().ok()
}

/// The request changes something: what it learned may be stale.
fn forget(user: &DavUser) {
    if let Some(mut m) = memo(user) {
        *m = Memo::default();
    }
}

/// The names of a path (`/space/folder/file` → ["space", "folder", "file"]).
fn segments(path: &DavPath) -> FsResult<Vec<String>> {
    let raw = std::str::from_utf8(path.as_bytes()).map_err(|_| FsError::NotFound)?;
    Ok(raw
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

/// The parent's names and the last name of a path, checked as a file name.
fn split(path: &DavPath) -> FsResult<(Vec<String>, FileName)> {
    let mut segs = segments(path)?;
    let last = segs.pop().ok_or(FsError::Forbidden)?;
    let name = FileName::parse(&last).map_err(|e| fs_error(&e))?;
    Ok((segs, name))
}

async fn resolve(user: &DavUser, segs: Vec<String>) -> FsResult<Node> {
    paths::resolve(&user.state.db, &user.actor, segs)
        .await
        .map_err(|e| fs_error(&e))
}

async fn node(user: &DavUser, path: &DavPath) -> FsResult<Node> {
    let segs = segments(path)?;
    if let Some(n) = memo(user).and_then(|m| m.nodes.get(&segs.join("/")).cloned()) {
        return Ok(n);
    }
    resolve(user, segs).await
}

/// Changing anything needs a token that may write (and, in the service, a
/// contributor's role where the change happens).
fn writer(user: &DavUser) -> FsResult<()> {
    if user.scope >= Scope::Write {
        forget(user);
        Ok(())
    } else {
        Err(FsError::Forbidden)
    }
}

fn meta_of(node: &Node) -> Meta {
    match node {
        Node::Root | Node::Space { .. } => Meta::dir(0),
        Node::Folder { folder, .. } => Meta::dir(folder.updated_at),
        Node::Document { doc, .. } => Meta::file(doc.size, doc.updated_at, &doc.blob_hash),
    }
}

/// Where a new child named by `path` goes: its container and its name.
async fn destination(user: &DavUser, path: &DavPath) -> FsResult<(i64, Option<i64>, FileName)> {
    let (parent, name) = split(path)?;
    let (space, folder) = resolve(user, parent)
        .await?
        .container()
        .ok_or(FsError::Forbidden)?;
    Ok((space, folder, name))
}

impl GuardedFileSystem<DavUser> for ParvisFs {
    fn open<'a>(
        &'a self,
        path: &'a DavPath,
        options: OpenOptions,
        user: &'a DavUser,
    ) -> FsFuture<'a, Box<dyn DavFile>> {
        async move {
            if !options.write {
                let Node::Document { doc, .. } = node(user, path).await? else {
                    return Err(FsError::Forbidden);
                };
                let db = &user.state.db;
                let (d, v) = service::for_download(db, &user.actor, doc.id, None)
                    .await
                    .map_err(|e| fs_error(&e))?;
                let file = service::open_blob(&user.state.blobs, &v)
                    .await
                    .map_err(|_| FsError::GeneralFailure)?;
                let meta = Meta::file(v.size, d.updated_at, &v.blob_hash);
                crate::documents::download::note(
                    &user.state,
                    &user.actor,
                    crate::adoption::Metric::Download,
                    d.space_id,
                    v.size,
                );
                return Ok(Box::new(ReadFile { file, meta }) as Box<dyn DavFile>);
            }
            writer(user)?;
            let existing = match node(user, path).await {
                Ok(Node::Document { .. }) => true,
                Ok(_) => return Err(FsError::Forbidden),
                Err(FsError::NotFound) => false,
                Err(e) => return Err(e),
            };
            if existing && options.create_new {
                return Err(FsError::Exists);
            }
            if !existing && !options.create && !options.create_new {
                return Err(FsError::NotFound);
            }
            let (space_id, folder, name) = destination(user, path).await?;
            let target = UploadTarget {
                space_id,
                folder,
                name,
                comment: user.comment.clone(),
            };
            let state = &user.state;
            let limits = &state.config.documents;
            if options.size.is_some_and(|n| n > limits.max_file_bytes) {
                return Err(FsError::TooLarge);
            }
            service::check_upload(
                &state.db,
                &user.actor,
                &target,
                options.size,
                limits.space_quota_bytes,
            )
            .await
            .map_err(|e| fs_error(&e))?;
            let sink = Sink::start(&state.blobs, limits.max_file_bytes)
                .map_err(|e| fs_error(&service::blob_error(e)))?;
            Ok(Box::new(WriteFile {
                user: user.clone(),
                target: Some(target),
                sink: Some(sink),
                expected: options.size,
                written: 0,
                first: Vec::new(),
                failed: None,
                drain_until: 0,
            }) as Box<dyn DavFile>)
        }
        .boxed()
    }

    fn read_dir<'a>(
        &'a self,
        path: &'a DavPath,
        _meta: ReadDirMeta,
        user: &'a DavUser,
    ) -> FsFuture<'a, FsStream<Box<dyn DavDirEntry>>> {
        async move {
            let n = node(user, path).await?;
            if let Node::Document { .. } = n {
                return Err(FsError::Forbidden);
            }
            let children = paths::children(&user.state.db, &user.actor, &n)
                .await
                .map_err(|e| fs_error(&e))?;
            if let (Children::Library { folders, documents }, Some((space, folder)), Some(role)) =
                (&children, n.container(), n.role())
            {
                let with_props = props::present_among(&user.state.db, space, folder)
                    .await
                    .map_err(|e| fs_error(&e))?;
                let base = segments(path)?.join("/");
                if let Some(mut m) = memo(user) {
                    let kids = folders
                        .iter()
                        .map(|f| {
                            (
                                f.name.clone(),
                                Node::Folder {
                                    folder: f.clone(),
                                    role,
                                },
                            )
                        })
                        .chain(documents.iter().map(|d| {
                            (
                                d.name.clone(),
                                Node::Document {
                                    doc: d.clone(),
                                    role,
                                },
                            )
                        }));
                    for (name, child) in kids {
                        if let Some(k) = props::key(&child) {
                            m.props_known.insert(k);
                        }
                        m.nodes.insert(format!("{base}/{name}"), child);
                    }
                    m.with_props.extend(with_props);
                }
            }
            let entries: Vec<FsResult<Box<dyn DavDirEntry>>> = match children {
                Children::Spaces(spaces) => spaces
                    .into_iter()
                    .map(|s| {
                        Ok(Box::new(Entry {
                            name: s.slug,
                            meta: Meta::dir(0),
                        }) as Box<dyn DavDirEntry>)
                    })
                    .collect(),
                Children::Library { folders, documents } => folders
                    .into_iter()
                    .map(|f| {
                        Ok(Box::new(Entry {
                            meta: Meta::dir(f.updated_at),
                            name: f.name,
                        }) as Box<dyn DavDirEntry>)
                    })
                    .chain(documents.into_iter().map(|d| {
                        Ok(Box::new(Entry {
                            meta: Meta::file(d.size, d.updated_at, &d.blob_hash),
                            name: d.name,
                        }) as Box<dyn DavDirEntry>)
                    }))
                    .collect(),
            };
            Ok(Box::pin(futures_util::stream::iter(entries)) as FsStream<Box<dyn DavDirEntry>>)
        }
        .boxed()
    }

    fn metadata<'a>(
        &'a self,
        path: &'a DavPath,
        user: &'a DavUser,
    ) -> FsFuture<'a, Box<dyn DavMetaData>> {
        async move {
            let n = node(user, path).await?;
            Ok(Box::new(meta_of(&n)) as Box<dyn DavMetaData>)
        }
        .boxed()
    }

    fn create_dir<'a>(&'a self, path: &'a DavPath, user: &'a DavUser) -> FsFuture<'a, ()> {
        async move {
            writer(user)?;
            if node(user, path).await.is_ok() {
                return Err(FsError::Exists);
            }
            let (space, parent, name) = destination(user, path).await?;
            service::create_folder(&user.state.db, &user.actor, space, parent, name)
                .await
                .map_err(|e| fs_error(&e))?;
            Ok(())
        }
        .boxed()
    }

    fn remove_dir<'a>(&'a self, path: &'a DavPath, user: &'a DavUser) -> FsFuture<'a, ()> {
        async move {
            writer(user)?;
            let Node::Folder { folder, .. } = node(user, path).await? else {
                return Err(FsError::Forbidden);
            };
            folders::trash(&user.state.db, &user.actor, folder.id)
                .await
                .map_err(|e| fs_error(&e))?;
            Ok(())
        }
        .boxed()
    }

    fn remove_file<'a>(&'a self, path: &'a DavPath, user: &'a DavUser) -> FsFuture<'a, ()> {
        async move {
            writer(user)?;
            let Node::Document { doc, .. } = node(user, path).await? else {
                return Err(FsError::Forbidden);
            };
            service::trash(&user.state.db, &user.actor, doc.id)
                .await
                .map_err(|e| fs_error(&e))?;
            Ok(())
        }
        .boxed()
    }

    fn rename<'a>(
        &'a self,
        from: &'a DavPath,
        to: &'a DavPath,
        user: &'a DavUser,
    ) -> FsFuture<'a, ()> {
        async move {
            writer(user)?;
            let source = node(user, from).await?;
            let (space, folder, name) = destination(user, to).await?;
            let db = &user.state.db;
            let quota = user.state.config.documents.space_quota_bytes;
            let result = match source {
                Node::Document { doc, .. } => {
                    service::relocate(db, &user.actor, doc.id, space, folder, Some(name)).await
                }
                Node::Folder { folder: f, .. } => {
                    folders::relocate(db, &user.actor, f.id, space, folder, Some(name), quota).await
                }
                _ => return Err(FsError::Forbidden),
            };
            result.map_err(|e| fs_error(&e))
        }
        .boxed()
    }

    fn copy<'a>(
        &'a self,
        from: &'a DavPath,
        to: &'a DavPath,
        user: &'a DavUser,
    ) -> FsFuture<'a, ()> {
        async move {
            writer(user)?;
            let Node::Document { doc, .. } = node(user, from).await? else {
                return Err(FsError::Forbidden);
            };
            let (space, folder, name) = destination(user, to).await?;
            let quota = user.state.config.documents.space_quota_bytes;
            let copied = service::copy(
                &user.state.db,
                &user.actor,
                doc.id,
                space,
                folder,
                Some(name),
                quota,
            )
            .await
            .map_err(|e| fs_error(&e))?;
            // Dead properties travel with a copy, as they would on a disk.
            props::copy(&user.state.db, doc.id, copied)
                .await
                .map_err(|e| fs_error(&e))
        }
        .boxed()
    }

    fn have_props<'a>(
        &'a self,
        _path: &'a DavPath,
        _user: &'a DavUser,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send + 'a>> {
        async { true }.boxed()
    }

    fn patch_props<'a>(
        &'a self,
        path: &'a DavPath,
        patch: Vec<(bool, DavProp)>,
        user: &'a DavUser,
    ) -> FsFuture<'a, Vec<(StatusCode, DavProp)>> {
        async move {
            let n = node(user, path).await?;
            let allowed = user.scope >= Scope::Write
                && n.role()
                    .is_some_and(|r| access::can(r, SpaceAction::Contribute))
                && !matches!(n, Node::Root);
            if !allowed {
                return Ok(patch
                    .into_iter()
                    .map(|(_, p)| (StatusCode::FORBIDDEN, props::bare(&p)))
                    .collect());
            }
            forget(user);
            props::patch(&user.state.db, &user.actor, &n, patch)
                .await
                .map_err(|e| fs_error(&e))
        }
        .boxed()
    }

    fn get_props<'a>(
        &'a self,
        path: &'a DavPath,
        do_content: bool,
        user: &'a DavUser,
    ) -> FsFuture<'a, Vec<DavProp>> {
        async move {
            let n = node(user, path).await?;
            let known_bare = props::key(&n).is_some_and(|k| {
                memo(user).is_some_and(|m| m.props_known.contains(&k) && !m.with_props.contains(&k))
            });
            if known_bare {
                return Ok(Vec::new());
            }
            props::all(&user.state.db, &n, do_content)
                .await
                .map_err(|e| fs_error(&e))
        }
        .boxed()
    }

    fn get_prop<'a>(
        &'a self,
        path: &'a DavPath,
        prop: DavProp,
        user: &'a DavUser,
    ) -> FsFuture<'a, Vec<u8>> {
        async move {
            let n = node(user, path).await?;
            props::one(&user.state.db, &n, &prop)
                .await
                .map_err(|e| fs_error(&e))?
                .ok_or(FsError::NotFound)
        }
        .boxed()
    }
}
