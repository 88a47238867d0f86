//! Reading a multipart form with attached files (the forms that take attachments post
//! `multipart/form-data`, with or without JavaScript): text fields into a map, each file streamed
//! chunk by chunk into a spool file of the file store — never whole in memory —, judged by its
//! content ([`crate::domain::attachment`]) and held to the limits. A file that is not taken is
//! read to its end and dropped, so every problem of the form is reported at once, naming the file.

use crate::domain::attachment::{self, AttachLimits, AttachProblem, FileKind, Refusal, Sniffed, SNIFF_BYTES};
use crate::error::{AppError, FieldCode, FieldError};
use crate::files::{FileKey, FileStore, Spool};
use std::collections::HashMap;

/// The server functions that take forms with files (their requests get the larger body limit
/// and the longer timeout; see the server's `middleware::body_limits`).
pub fn is_upload_path(path: &str) -> bool {
    crate::model::attachment::forms::ALL.contains(&path)
}

/// The form field that carries files (`<input type="file" name="files" multiple>`).
pub const FILES_FIELD: &str = "files";

/// The longest text field a form with files may carry (bytes): the longest text any of them
/// takes is an inquiry body of 5,000 characters, at most 4 bytes each.
const TEXT_FIELD_MAX: usize = 64 * 1024;

/// A file that passed: spooled, judged, waiting to be kept.
pub struct Taken {
    spool: Spool,
    pub kind: FileKind,
    pub name: String,
    pub size: u64,
}

/// A kept file, as an attachment row records it.
#[derive(Debug, Clone)]
pub struct Kept {
    pub key: FileKey,
    pub kind: FileKind,
    pub name: String,
    pub size: u64,
}

/// What a form brought.
pub struct Upload {
    fields: HashMap<String, String>,
    pub files: Vec<Taken>,
    /// One entry per file not taken (field `files`, the code names it).
    pub problems: Vec<FieldError>,
}

impl Upload {
    /// A text field's value ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// The form's own check (`checked`) with the files' problems: its value when neither found
    /// any, else every field error and every file problem together.
    pub fn checked<T>(&self, checked: Result<T, Vec<FieldError>>) -> Result<T, AppError> {
        match checked {
            Ok(value) if self.problems.is_empty() => Ok(value),
            Ok(_) => Err(AppError::Invalid(self.problems.clone())),
            Err(errors) => Err(AppError::Invalid(errors.into_iter().chain(self.problems.iter().cloned()).collect())),
        }
    }

    /// Stores the taken files (content-addressed: a file sent twice is stored once).
    pub async fn keep(self, store: &dyn FileStore) -> Result<Vec<Kept>, AppError> {
        let mut kept = Vec::with_capacity(self.files.len());
        for f in self.files {
            let key = store.keep(f.spool).await?;
            kept.push(Kept { key, kind: f.kind, name: f.name, size: f.size });
        }
        Ok(kept)
    }
}

/// The request broke off or is not a form (the browser went away, the body limit was reached).
fn broken(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(format!("the form could not be read: {e}"))
}

fn problem(name: &str, p: AttachProblem) -> FieldError {
    FieldError::new(FILES_FIELD, FieldCode::Attachment { name: name.to_string(), problem: p })
}

/// Judges a file by its first bytes (`head`, at most [`SNIFF_BYTES`] of them looked at) and, when
/// it may be taken, starts its spool with them.
async fn start(store: &dyn FileStore, head: &[u8]) -> Result<Result<(Sniffed, Spool), Refusal>, AppError> {
    let sniffed = match attachment::sniff(&head[..head.len().min(SNIFF_BYTES)]) {
        Ok(s) => s,
        Err(r) => return Ok(Err(r)),
    };
    let mut spool = store.spool().await?;
    spool.write(head).await?;
    Ok(Ok((sniffed, spool)))
}

/// Reads the whole form. Errors only when the request itself is broken (not multipart, cut off);
/// files that are not taken are listed in [`Upload::problems`].
pub async fn read(data: leptos::server_fn::codec::MultipartData, store: &dyn FileStore, limits: AttachLimits) -> Result<Upload, AppError> {
    let mut multipart = data.into_inner().ok_or_else(|| AppError::BadRequest("expected a multipart form".into()))?;
    let mut upload = Upload { fields: HashMap::new(), files: Vec::new(), problems: Vec::new() };
    let mut total: u64 = 0;
    let mut seen = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let field_name = field.name().unwrap_or("").to_string();
        let Some(file_name) = field.file_name().map(str::to_string) else {
            let mut value = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                if value.len() + chunk.len() > TEXT_FIELD_MAX {
                    return Err(AppError::BadRequest(format!("the field {field_name} is too long")));
                }
                value.extend_from_slice(&chunk);
            }
            let value = String::from_utf8(value).map_err(|_| AppError::BadRequest(format!("the field {field_name} is not UTF-8 text")))?;
            upload.fields.insert(field_name, value);
            continue;
        };
        let mut head: Vec<u8> = Vec::new();
        // once the first bytes are judged: what they said, and the spool the file goes to
        let mut started: Option<(Sniffed, Spool)> = None;
        let mut size: u64 = 0;
        let mut refused: Option<AttachProblem> = None;
        let wanted = field_name == FILES_FIELD;
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            size += chunk.len() as u64;
            if !wanted || refused.is_some() {
                continue; // read to its end and dropped
            }
            if size > limits.per_file {
                refused = Some(AttachProblem::TooLarge { max_mib: limits.per_file / attachment::MIB });
                started = None;
                continue;
            }
            if total + size > limits.per_message {
                refused = Some(AttachProblem::MessageTooLarge { max_mib: limits.per_message / attachment::MIB });
                started = None;
                continue;
            }
            match started.as_mut() {
                Some((_, spool)) => spool.write(&chunk).await?,
                None => {
                    head.extend_from_slice(&chunk);
                    if head.len() >= SNIFF_BYTES {
                        match start(store, &std::mem::take(&mut head)).await? {
                            Ok(s) => started = Some(s),
                            Err(r) => refused = Some(AttachProblem::Refused(r)),
                        }
                    }
                }
            }
        }
        // an empty file input sends a part with no name and no bytes: nothing was chosen
        if !wanted || (file_name.is_empty() && size == 0) {
            continue;
        }
        seen += 1;
        let shown = if file_name.trim().is_empty() { "file".to_string() } else { file_name.clone() };
        if seen > limits.files {
            upload.problems.push(problem(&shown, AttachProblem::TooMany { max: limits.files }));
            continue;
        }
        if let Some(p) = refused {
            upload.problems.push(problem(&shown, p));
            continue;
        }
        // a file shorter than the sniffing window is judged now
        let started = match started {
            Some(s) => s,
            None => match start(store, &head).await? {
                Ok(s) => s,
                Err(r) => {
                    upload.problems.push(problem(&shown, AttachProblem::Refused(r)));
                    continue;
                }
            },
        };
        let (sniffed, mut spool) = started;
        spool.finish().await?;
        let path = spool.path().to_path_buf();
        let judged = tokio::task::spawn_blocking(move || {
            let mut file = std::fs::File::open(path).map_err(|_| Refusal::NotAllowed)?;
            attachment::settle(sniffed, &mut file)
        })
        .await
        .map_err(|e| AppError::internal("uploads: judge", e))?;
        match judged {
            Ok(kind) => {
                total += size;
                upload.files.push(Taken { spool, kind, name: attachment::display_name(&file_name, kind), size });
            }
            Err(r) => upload.problems.push(problem(&shown, AttachProblem::Refused(r))),
        }
    }
    Ok(upload)
}
