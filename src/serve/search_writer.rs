//! The preview's search index, written on its own thread: a saved document is served as soon as
//! its page is rendered, and the index of every document is brought up to date after.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};

use crate::search::{self, KeptDoc};
use crate::serve::http::Shared;
use crate::write::{Tree, Written};

/// What the writer is asked to do.
enum Job {
    /// A new preview folder, whose search files a full render wrote for `docs`.
    Reset {
        dir: PathBuf,
        written: Written,
        docs: Vec<KeptDoc>,
    },
    /// Documents rendered again (by index, with their search data): their result files and the index
    /// are written again.
    Update(Vec<(usize, KeptDoc)>),
}

/// The thread that writes the preview's search files, one job or burst of jobs at a time.
pub struct SearchWriter {
    jobs: Option<mpsc::Sender<Job>>,
    /// Jobs sent and not yet done, and a signal when that reaches zero.
    pending: Arc<(Mutex<usize>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SearchWriter {
    /// Starts the thread; a write that fails is reported as a note of `shared`.
    pub fn start(shared: &Arc<Shared>) -> Self {
        let (tx, rx) = mpsc::channel();
        let pending: Arc<(Mutex<usize>, Condvar)> = Arc::default();
        let thread = {
            let pending = Arc::clone(&pending);
            let shared = Arc::clone(shared);
            std::thread::spawn(move || run(&rx, &pending, &shared))
        };
        SearchWriter {
            jobs: Some(tx),
            pending,
            thread: Some(thread),
        }
    }

    /// The search files of the new preview folder `dir` are those of `docs`.
    pub fn reset(&self, dir: PathBuf, written: Written, docs: Vec<KeptDoc>) {
        self.send(Job::Reset { dir, written, docs });
    }

    /// Writes the result files of the documents `rendered` and the index again.
    pub fn update(&self, rendered: Vec<(usize, KeptDoc)>) {
        if !rendered.is_empty() {
            self.send(Job::Update(rendered));
        }
    }

    fn send(&self, job: Job) {
        let Some(jobs) = &self.jobs else { return };
        let (count, _) = &*self.pending;
        if let Ok(mut count) = count.lock() {
            *count += 1;
        }
        if jobs.send(job).is_err() {
            finished(&self.pending, 1);
        }
    }

    /// Waits until every job sent is done (before the folder it writes into is removed).
    pub fn wait(&self) {
        let (count, idle) = &*self.pending;
        let Ok(mut count) = count.lock() else { return };
        while *count > 0 {
            match idle.wait(count) {
                Ok(c) => count = c,
                Err(_) => return,
            }
        }
    }
}

impl Drop for SearchWriter {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn finished(pending: &(Mutex<usize>, Condvar), n: usize) {
    let (count, idle) = pending;
    if let Ok(mut count) = count.lock() {
        *count = count.saturating_sub(n);
        if *count == 0 {
            idle.notify_all();
        }
    }
}

/// The folder written into and its documents' search data, as the writer holds them.
struct State {
    dir: PathBuf,
    written: Written,
    docs: Vec<KeptDoc>,
}

/// Takes jobs until the sender is dropped; the jobs waiting when one is taken are done with it,
/// so that a burst of saves writes the index once.
fn run(rx: &mpsc::Receiver<Job>, pending: &(Mutex<usize>, Condvar), shared: &Shared) {
    let mut state: Option<State> = None;
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        jobs.extend(rx.try_iter());
        let n = jobs.len();
        let mut changed = BTreeSet::new();
        for job in jobs {
            match job {
                Job::Reset { dir, written, docs } => {
                    state = Some(State { dir, written, docs });
                    changed.clear();
                }
                Job::Update(rendered) => {
                    let Some(state) = state.as_mut() else {
                        continue;
                    };
                    for (i, doc) in rendered {
                        if let Some(slot) = state.docs.get_mut(i) {
                            changed.insert(i);
                            *slot = doc;
                        }
                    }
                }
            }
        }
        if let Some(state) = &state
            && !changed.is_empty()
        {
            let started = std::time::Instant::now();
            match write(state, &changed) {
                Err(e) => shared.note(format!("annexa: the search index was not updated: {}", e.0)),
                // Stage timings go through the notes too: `serve` holds standard error.
                Ok(()) if std::env::var_os("ANNEXA_TIMINGS").is_some() => shared.note(format!(
                    "timing: search index (after) {:>7.1} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                )),
                Ok(()) => {}
            }
        }
        finished(pending, n);
    }
}

fn write(state: &State, changed: &BTreeSet<usize>) -> Result<(), crate::error::Fatal> {
    let dir = Tree::remembering(&state.dir, &state.written);
    for &index in changed {
        search::write_kept_entry(&dir, &state.docs, index)?;
    }
    search::write_kept_index(&dir, &state.docs)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchFields;

    /// Documents in the writer's first job; enough that writing their index takes a while.
    const DOCS: usize = 1500;

    /// The search data of document `i`, whose body has the word `word`.
    fn kept(i: usize, word: &str) -> KeptDoc {
        let url = format!("d{i}/");
        let title = format!("Document {i}");
        let fields = SearchFields {
            url: &url,
            title: &title,
            id: None,
            owner: Some("Head of IT"),
            kind: "policy",
            status: "approved",
            summary: None,
            tags: &[],
            controls: Vec::new(),
        };
        let body = format!("Backups of {word} run nightly and restores are tested quarterly.");
        let entry = search::ResultEntry::new(i, &fields, &body);
        KeptDoc::new(&fields, &body, entry)
    }

    /// A writer told that `dir` holds the search files of [`DOCS`] documents, then that
    /// document 1234 was rendered again with the word `zebrafinch`.
    fn writer_with_an_update(dir: &std::path::Path) -> (SearchWriter, Arc<Shared>) {
        let shared = Arc::new(Shared::default());
        let writer = SearchWriter::start(&shared);
        let docs = (0..DOCS).map(|i| kept(i, "tapes")).collect();
        writer.reset(dir.to_path_buf(), Written::default(), docs);
        writer.update(vec![(1234, kept(1234, "zebrafinch"))]);
        (writer, shared)
    }

    /// What the writer wrote into `dir`: the result file of document 1234 and the index's meta.
    fn written(dir: &std::path::Path) -> (bool, bool) {
        let read = |rel: &str| std::fs::read_to_string(dir.join(rel)).unwrap_or_default();
        let result = read("search/docs/1234.js");
        let meta = read("search/meta.js");
        (
            result.contains("Backups of zebrafinch run nightly"),
            meta.starts_with("annexaSearch.meta({\"n\":1500,"),
        )
    }

    #[test]
    fn waiting_returns_once_every_job_sent_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let (writer, shared) = writer_with_an_update(dir.path());
        writer.wait();
        assert_eq!(written(dir.path()), (true, true));
        // Its timing goes to the notes only when asked for.
        let notes = shared.take_notes();
        if std::env::var_os("ANNEXA_TIMINGS").is_none() {
            assert_eq!(notes, Vec::<String>::new());
        } else {
            assert_eq!(notes.len(), 1, "{notes:?}");
            assert!(notes[0].starts_with("timing: search index (after) "));
        }
    }

    #[test]
    fn a_writer_dropped_finishes_its_jobs_first() {
        let dir = tempfile::tempdir().unwrap();
        let (writer, _shared) = writer_with_an_update(dir.path());
        drop(writer);
        assert_eq!(written(dir.path()), (true, true));
    }
}
