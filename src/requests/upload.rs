//! Receiving files for requests: one raw body (the API) or the parts of a
//! form (the pages), each streamed to the blob store, never whole in
//! memory, under the documents' size limit.

use super::files::{Batch, Incoming, MAX_FILES};
use crate::app::AppState;
use crate::documents::model::{FileName, sniff};
use crate::documents::upload::{drain_multipart, store_stream};
use crate::service::Error;
use axum::extract::Multipart;
use std::collections::HashMap;

/// The most a form's text part may hold.
const MAX_TEXT: usize = 256 * 1024;

/// Streams one body named `name`; `declared` is the length its sender
/// announced (a body of another length keeps nothing).
pub async fn one<S, E>(
    state: &AppState,
    name: &str,
    declared: Option<u64>,
    stream: S,
) -> Result<Incoming, Error>
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
{
    let name = FileName::parse(name)?;
    let limit = state.config.documents.max_file_bytes;
    if declared.is_some_and(|n| n > limit) {
        return Err(Error::TooLarge { field: "file" });
    }
    let (stored, first) = store_stream(&state.blobs, limit, stream).await?;
    if declared.is_some_and(|n| n != stored.size) {
        return Err(Error::invalid("file", "upload-interrupted"));
    }
    Ok(Incoming {
        content_type: sniff(&first, &name),
        name,
        stored,
    })
}

/// Files received into a batch kept with a reply or a note.
pub fn batch(state: &AppState, files: Vec<Incoming>) -> Option<Batch> {
    (!files.is_empty()).then(|| Batch {
        blobs: state.blobs.clone(),
        quota: state.config.documents.space_quota_bytes,
        files,
    })
}

/// What a form sent: its text inputs (several values for a name that
/// repeats) and its files, by the input that sent them.
#[derive(Default)]
pub struct FormParts {
    pub text: HashMap<String, Vec<String>>,
    pub files: Vec<(String, Incoming)>,
}

impl FormParts {
    pub fn one(&self, name: &str) -> String {
        first(&self.text, name)
    }

    /// The files, whatever input sent them.
    pub fn take_files(&mut self) -> Vec<Incoming> {
        std::mem::take(&mut self.files)
            .into_iter()
            .map(|(_, f)| f)
            .collect()
    }
}

/// The first value sent for input `name`; empty when none was.
fn first(text: &HashMap<String, Vec<String>>, name: &str) -> String {
    text.get(name)
        .and_then(|v| v.first())
        .cloned()
        .unwrap_or_default()
}

/// Reads a multipart form: text parts kept, each file part streamed (at
/// most `MAX_FILES`; an empty file input sends a part with no name, which
/// is skipped). A part that fails stops the reading and the rest of the
/// body is drained, so that the sender gets the answer.
pub async fn form(state: &AppState, multipart: &mut Multipart) -> Result<FormParts, Error> {
    let read = parts(state, multipart).await;
    if read.is_err() {
        drain_multipart(multipart).await;
    }
    read
}

async fn parts(state: &AppState, multipart: &mut Multipart) -> Result<FormParts, Error> {
    let mut out = FormParts::default();
    let interrupted = || Error::invalid("file", "upload-interrupted");
    while let Some(mut field) = multipart.next_field().await.map_err(|_| interrupted())? {
        let input = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(raw) => {
                if raw.is_empty() {
                    continue;
                }
                if out.files.len() >= MAX_FILES {
                    return Err(Error::invalid("file", "request-too-many-files"));
                }
                // Browsers may send a path: its last segment is the name.
                let last = raw
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or_default()
                    .to_string();
                let stream = futures_util::stream::unfold(field, |mut f| async move {
                    match f.chunk().await {
                        Ok(Some(c)) => Some((Ok(c), f)),
                        Ok(None) => None,
                        Err(e) => Some((Err(e), f)),
                    }
                });
                let file = one(state, &last, None, stream).await?;
                out.files.push((input, file));
            }
            None => {
                let mut text = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| interrupted())? {
                    if text.len() + chunk.len() > MAX_TEXT {
                        return Err(Error::invalid("body", "request-body-too-long"));
                    }
                    text.extend_from_slice(&chunk);
                }
                let text =
                    String::from_utf8(text).map_err(|_| Error::invalid("body", "form-invalid"))?;
                out.text.entry(input).or_default().push(text);
            }
        }
    }
    Ok(out)
}

/// Reads a page's form, whether it came as multipart (with files) or
/// URL-encoded (without).
pub async fn any_form(state: &AppState, req: axum::extract::Request) -> Result<FormParts, Error> {
    use axum::extract::FromRequest;
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let mut m = Multipart::from_request(req, state)
            .await
            .map_err(|_| Error::invalid("body", "form-invalid"))?;
        return form(state, &mut m).await;
    }
    let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
        .await
        .map_err(|_| Error::invalid("body", "form-invalid"))?;
    let mut out = FormParts::default();
    for (k, v) in pairs {
        out.text.entry(k).or_default().push(v);
    }
    Ok(out)
}

/// A form with one small file (a CSV): its text inputs and the file's
/// bytes, at most `max`.
pub struct SmallFileForm {
    pub text: HashMap<String, Vec<String>>,
    pub file: Vec<u8>,
}

impl SmallFileForm {
    pub fn one(&self, name: &str) -> String {
        first(&self.text, name)
    }
}

/// Reads a multipart form whose one file is small enough to hold whole.
pub async fn csv_form(
    state: &AppState,
    req: axum::extract::Request,
    max: usize,
) -> Result<SmallFileForm, Error> {
    use axum::extract::FromRequest;
    let invalid = || Error::invalid("file", "form-invalid");
    let mut m = Multipart::from_request(req, state)
        .await
        .map_err(|_| invalid())?;
    let mut out = SmallFileForm {
        text: HashMap::new(),
        file: Vec::new(),
    };
    while let Some(mut field) = m.next_field().await.map_err(|_| invalid())? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| invalid())? {
            if bytes.len() + chunk.len() > max {
                drain_multipart(&mut m).await;
                return Err(Error::TooLarge { field: "file" });
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            out.file = bytes;
        } else {
            let text = String::from_utf8(bytes).map_err(|_| invalid())?;
            out.text.entry(name).or_default().push(text);
        }
    }
    Ok(out)
}
