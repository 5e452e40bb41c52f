//! Template values: the site view and each document's view as Tera values, made once per
//! render and shared by every page.

use tera::Value;

use crate::render::view::{DocView, SiteView};

/// The site view as a template value, and each document's view as a value shared with its
/// `documents`. The documents are serialised in parallel; the rest of the view is small.
pub(super) fn site_values(
    site: &mut SiteView,
    previous: Option<(&[DocView], &[Value])>,
) -> (Value, Vec<Value>) {
    use rayon::prelude::*;
    let doc_values: Vec<Value> = site
        .documents
        .par_iter()
        .enumerate()
        .map(|(i, view)| match previous {
            Some((views, values)) if views.get(i) == Some(view) && i < values.len() => {
                values[i].clone()
            }
            _ => Value::from_serializable(view),
        })
        .collect();
    // The site's value without its documents, which are the values just made (serialising
    // them twice held a second copy of every document's view at the build's peak).
    let documents = std::mem::take(&mut site.documents);
    let mut map = Value::from_serializable(&*site)
        .into_map()
        .expect("the site view serialises as a map");
    site.documents = documents;
    map.insert(
        tera::value::Key::Str("documents"),
        Value::from(doc_values.clone()),
    );
    (Value::from(map), doc_values)
}
