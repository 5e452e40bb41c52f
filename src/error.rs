//! The one error that stops annexa from running at all (exit code 2).

/// A problem that prevents annexa from doing its work: bad arguments, no `annexa.toml`, an
/// unreadable folder, an output folder that is not safe to replace.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Fatal(pub String);

impl Fatal {
    /// A fatal error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Fatal(message.into())
    }
}
