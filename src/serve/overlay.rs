//! The error overlay of `serve`: a box over every page of the preview while the content has
//! errors, listing each with its lint, place and message.

use crate::diagnostic::{Diagnostic, Severity};
use crate::pipeline::Analysis;

/// How many errors the analysis has that the overlay shows (findings that come from today's date
/// are not shown there), and the overlay, if there are any.
pub(super) fn errors_and_overlay(analysis: &Analysis) -> (usize, Option<String>) {
    let errors: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && !d.lint.is_date_driven())
        .collect();
    (errors.len(), (!errors.is_empty()).then(|| overlay(&errors)))
}

/// The overlay listing `errors`.
fn overlay(errors: &[&Diagnostic]) -> String {
    let rows: Vec<(String, String, String)> = errors
        .iter()
        .map(|d| {
            let place = d.location().unwrap_or_default();
            (d.lint.name().to_string(), place, d.message.clone())
        })
        .collect();
    overlay_html(&rows)
}

/// The overlay of `rows` (lint, place, message), for errors that are no diagnostics too.
pub(super) fn overlay_html(rows: &[(String, String, String)]) -> String {
    let escape = crate::render::highlight::escape;
    let mut items = String::new();
    for (lint, place, message) in rows {
        items.push_str(&format!(
            "<li><code class=\"annexa-lint\">{}</code> <span class=\"annexa-place\">{}</span><br>{}</li>",
            escape(lint),
            escape(place),
            escape(message)
        ));
    }
    format!(
        r#"<div id="annexa-overlay" role="alertdialog" aria-labelledby="annexa-overlay-title" style="position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff5f5;color:#1a1a1a;border:2px solid #c62828;border-radius:8px;padding:1rem 1.25rem;font:14px/1.45 system-ui,sans-serif;box-shadow:0 8px 30px rgba(0,0,0,.25)"><strong id="annexa-overlay-title" style="color:#b71c1c">annexa: {} {} — fix and save; this page reloads by itself</strong><ul style="margin:.5rem 0 0;padding-left:1.2rem">{items}</ul><button type="button" onclick="this.parentNode.remove()" style="position:absolute;top:.5rem;right:.75rem" aria-label="Hide">×</button></div>"#,
        rows.len(),
        if rows.len() == 1 { "error" } else { "errors" }
    )
}
