//! Actions of the registers: a treatment action of a risk or a corrective action of a finding,
//! read from an inline table `{ id, action, owner, due, done }`.

use jiff::civil::Date;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Position};
use crate::tomlread::{Fields, TomlSource};

/// One action with its due date and, once done, its completion date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Unique id across all registers (`RT-4`, `CA-7`).
    pub id: String,
    /// What is to be done.
    pub action: String,
    /// Who does it.
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<Date>,
    /// When it was done; `None` while open.
    pub done: Option<Date>,
    /// Where the action stands in its file.
    pub position: Position,
}

impl Action {
    /// Whether it is open and its due date has passed by `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.done.is_none() && self.due.is_some_and(|due| due < today)
    }
}

const ACTION_KEYS: &[&str] = &["id", "action", "owner", "due", "done"];

/// Reads the actions of `key` (an array of inline tables) in `fields`, whose own key prefix is
/// `prefix` (`risks.`).
pub fn read_actions(
    fields: &mut Fields<'_, '_>,
    key: &str,
    prefix: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<Action> {
    let src = fields.source();
    fields
        .tables(key, out)
        .into_iter()
        .filter_map(|(table, position)| read_action(src, table, position, prefix, out))
        .collect()
}

fn read_action(
    src: TomlSource<'_>,
    table: &DeTable<'_>,
    position: Position,
    prefix: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Action> {
    let prefix = format!("{prefix}actions.");
    let mut f = Fields::new(src, table, &prefix);
    let id = f.string("id", out);
    let action = f.string("action", out);
    let owner = f.string("owner", out).map(|o| o.value);
    let due = f.date("due", out).map(|d| d.value);
    let done = read_done(&mut f, &prefix, out);
    f.finish(ACTION_KEYS, out);
    let (Some(id), Some(action)) = (id, action) else {
        out.push(src.error_at(
            position,
            "an action needs an `id` and an `action`, such as { id = \"RT-1\", action = \"…\", due = 2026-12-31 }",
        ));
        return None;
    };
    Some(Action {
        id: id.value.trim().to_string(),
        action: action.value,
        owner,
        due,
        done,
        position,
    })
}

/// `done`: the completion date, or `false` while open.
fn read_done(f: &mut Fields<'_, '_>, prefix: &str, out: &mut Vec<Diagnostic>) -> Option<Date> {
    let value = f.raw("done")?;
    match value.get_ref() {
        DeValue::Boolean(false) => None,
        DeValue::Boolean(true) => {
            out.push(
                f.source()
                    .error(
                        value.span().start,
                        format!("`{prefix}done` must be the date the action was done, or false"),
                    )
                    .with_help("write the completion date, e.g. done = 2026-04-20"),
            );
            None
        }
        _ => f.date("done", out).map(|d| d.value),
    }
}
