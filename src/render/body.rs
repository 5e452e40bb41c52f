//! A document's Markdown body as the render wants it: read again from its file only when a
//! page is rendered or its search text made.

use std::borrow::Cow;

use crate::error::Fatal;
use crate::write::Hash;

/// A document's Markdown body, read again from its file (see [`crate::load::document_body`]) the
/// first time it is wanted: a page kept from the render cache whose search data the search
/// cache holds never reads it, when the load took the body's digest.
pub(super) struct Body<'p> {
    pub(super) root: &'p std::path::Path,
    pub(super) doc: &'p crate::document::ParsedDocument,
    pub(super) text: Option<Cow<'p, str>>,
}

impl Body<'_> {
    /// The body's text.
    pub(super) fn text(&mut self) -> Result<&str, Fatal> {
        if self.text.is_none() {
            self.text = Some(crate::load::document_body(self.root, self.doc)?);
        }
        Ok(self.text.as_deref().unwrap_or_default())
    }

    /// The body's digest: the load's, else made from the text.
    pub(super) fn digest(&mut self) -> Result<Hash, Fatal> {
        match self.doc.body_digest {
            Some(digest) => Ok(digest),
            None => Ok(crate::document::body_digest(self.text()?)),
        }
    }
}
