//! Breadcrumb trails: the links from the dashboard down to a page's parent.

use crate::render::view::LinkView;
use crate::routes::{self, RouteId};

/// The dashboard, where every trail starts.
pub(super) fn home() -> LinkView {
    link("Dashboard", routes::url(RouteId::Dashboard))
}

/// A link labelled `label` to `url`.
pub(super) fn link(label: &str, url: &str) -> LinkView {
    LinkView {
        label: label.to_string(),
        url: url.to_string(),
    }
}

/// The trail of a document's page at `url`: the documents list, then each folder above it.
pub(super) fn crumbs_for_document(url: &str) -> Vec<LinkView> {
    let mut crumbs = vec![home(), link("Documents", routes::url(RouteId::Documents))];
    let parts: Vec<&str> = url.trim_end_matches('/').split('/').collect();
    for depth in 1..parts.len() {
        let folder = parts[..depth].join("/");
        crumbs.push(link(
            &crate::publish::title_from_path(parts[depth - 1]),
            &format!(
                "{}?folder={}",
                routes::url(RouteId::Documents),
                crate::links::encode_path(&folder)
            ),
        ));
    }
    crumbs
}
