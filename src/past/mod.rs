//! History read against the model: the approval check ([`approval`]), the ISMS at an earlier
//! commit ([`at`]), and the change report between two commits ([`compare`], [`registers`],
//! [`report`]). `history` reads Git; this module is the layer above it and the model.

pub mod approval;
pub mod at;
pub mod compare;
pub mod registers;
pub mod report;
