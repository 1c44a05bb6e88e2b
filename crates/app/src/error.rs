//! What a command answers instead of its result. No HTTP here: the server's `error.rs` is the
//! one place that turns each variant into a status and a problem, and the pages match on the
//! variant to decide between showing the refusal where the user acted and an error page.

use std::fmt;
use std::panic::Location;

use zhixing_domain::refusal::{Refusal, RefusalKind};
use zhixing_store::StoreError;

/// Why a command was not carried out.
#[derive(Debug, Clone)]
pub enum AppError {
    /// No such thing — or one the caller may not know of (another court's case answers the
    /// same, so that its existence is not revealed).
    NotFound { code: &'static str, message: String },
    /// A parameter that cannot be read as what it names (a scope, a cursor, a limit).
    Malformed { code: &'static str, message: String },
    /// The caller may see it but may not do this.
    Forbidden { code: &'static str, message: String },
    /// No valid session or key; or a sign-in that failed.
    Unauthenticated { code: &'static str, message: String },
    /// The domain refused, by a rule: the refusal carries the rule's parameters.
    Refused(Refusal),
    /// Someone else changed it meanwhile, or it exists already: read again and retry.
    Conflict {
        code: &'static str,
        message: String,
        details: Vec<String>,
    },
    /// Too many attempts: wait `retry_after` seconds.
    Throttled {
        code: &'static str,
        message: String,
        retry_after: u64,
    },
    /// Larger than accepted.
    TooLarge { code: &'static str, message: String },
    /// Content of a kind that is not accepted (an upload that is not audio or video).
    UnsupportedContent { code: &'static str, message: String },
    /// A byte range outside the content of `length` bytes.
    RangeNotSatisfiable { length: u64 },
    /// The database or the process cannot answer now; try again after `retry_after` seconds.
    Unavailable { message: String, retry_after: u64 },
    /// A fault of ours. Its context was logged where it was raised; callers see only that it
    /// happened.
    Internal { context: String },
}

impl AppError {
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        AppError::NotFound {
            code,
            message: message.into(),
        }
    }
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Malformed {
            code,
            message: message.into(),
        }
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden {
            code: "forbidden",
            message: message.into(),
        }
    }
    pub fn forbidden_as(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Forbidden {
            code,
            message: message.into(),
        }
    }
    pub fn unauthenticated() -> Self {
        AppError::Unauthenticated {
            code: "unauthenticated",
            message: "sign in first: send a valid bearer token or session cookie".into(),
        }
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }
    pub fn too_large(code: &'static str, message: impl Into<String>) -> Self {
        AppError::TooLarge {
            code,
            message: message.into(),
        }
    }
    pub fn unsupported(code: &'static str, message: impl Into<String>) -> Self {
        AppError::UnsupportedContent {
            code,
            message: message.into(),
        }
    }
    pub fn throttled(code: &'static str, message: impl Into<String>, retry_after: u64) -> Self {
        AppError::Throttled {
            code,
            message: message.into(),
            retry_after,
        }
    }
    pub fn unavailable(message: impl Into<String>, retry_after: u64) -> Self {
        AppError::Unavailable {
            message: message.into(),
            retry_after,
        }
    }

    /// A fault of ours, logged here with its context and where it was raised.
    #[track_caller]
    pub fn internal(context: impl fmt::Display) -> Self {
        let at = Location::caller();
        let context = context.to_string();
        tracing::error!(at = %at, context = %context, "internal error");
        AppError::Internal { context }
    }

    /// Attaches the individual problems to a conflict.
    #[must_use]
    pub fn with_details(self, details: Vec<String>) -> Self {
        match self {
            AppError::Conflict { code, message, .. } => AppError::Conflict {
                code,
                message,
                details,
            },
            other => other,
        }
    }

    /// The stable machine-readable code of the answer.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound { code, .. }
            | AppError::Malformed { code, .. }
            | AppError::Forbidden { code, .. }
            | AppError::Unauthenticated { code, .. }
            | AppError::Conflict { code, .. }
            | AppError::Throttled { code, .. }
            | AppError::TooLarge { code, .. }
            | AppError::UnsupportedContent { code, .. } => code,
            AppError::Refused(r) => r.code,
            AppError::RangeNotSatisfiable { .. } => "range_not_satisfiable",
            AppError::Unavailable { .. } => "unavailable",
            AppError::Internal { .. } => "internal",
        }
    }

    /// Whether this is a refusal the user can act on where they acted (a wrong input, or a
    /// state that does not allow it now), as opposed to a missing thing, a missing right or a
    /// fault.
    /// A fault of ours or of the database, as opposed to an answer about the request.
    pub fn is_fault(&self) -> bool {
        matches!(
            self,
            AppError::Internal { .. } | AppError::Unavailable { .. }
        )
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, AppError::NotFound { .. })
    }

    pub fn is_refusal(&self) -> bool {
        match self {
            AppError::Refused(r) => r.kind != RefusalKind::Broken,
            AppError::Conflict { .. } => true,
            _ => false,
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::NotFound { code, message }
            | AppError::Malformed { code, message }
            | AppError::Forbidden { code, message }
            | AppError::Unauthenticated { code, message }
            | AppError::Conflict { code, message, .. }
            | AppError::Throttled { code, message, .. }
            | AppError::TooLarge { code, message }
            | AppError::UnsupportedContent { code, message } => write!(f, "{code}: {message}"),
            AppError::Refused(r) => write!(f, "refused: {r}"),
            AppError::RangeNotSatisfiable { length } => {
                write!(f, "range_not_satisfiable: the content has {length} bytes")
            }
            AppError::Unavailable { message, .. } => write!(f, "unavailable: {message}"),
            AppError::Internal { context } => write!(f, "internal: {context}"),
        }
    }
}

impl std::error::Error for AppError {}

impl From<Refusal> for AppError {
    /// A refusal of the domain. A rule book or calendar that cannot answer is our fault, not
    /// the caller's: it is logged and answered as an internal error.
    #[track_caller]
    fn from(r: Refusal) -> Self {
        if r.kind == RefusalKind::Broken {
            AppError::internal(format_args!("the rule book cannot answer: {r}"))
        } else {
            AppError::Refused(r)
        }
    }
}

impl From<StoreError> for AppError {
    #[track_caller]
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => {
                AppError::conflict("conflict", format!("{what} already exists"))
            }
            other if other.is_unavailable() => {
                tracing::error!(at = %Location::caller(), error = %other, "database unavailable");
                AppError::unavailable("the database is unavailable; try again", 5)
            }
            other => AppError::internal(format_args!("store: {other}")),
        }
    }
}

/// Turns a value that must be there, or an operation that cannot fail on valid stored data,
/// into an internal error logged with what was expected and where.
pub trait OrInternal<T> {
    #[track_caller]
    fn or_internal(self, what: &str) -> Result<T, AppError>;
}

impl<T> OrInternal<T> for Option<T> {
    #[track_caller]
    fn or_internal(self, what: &str) -> Result<T, AppError> {
        match self {
            Some(v) => Ok(v),
            None => Err(AppError::internal(format_args!("{what}: missing"))),
        }
    }
}

impl<T, E: fmt::Display> OrInternal<T> for Result<T, E> {
    #[track_caller]
    fn or_internal(self, what: &str) -> Result<T, AppError> {
        match self {
            Ok(v) => Ok(v),
            Err(e) => Err(AppError::internal(format_args!("{what}: {e}"))),
        }
    }
}
