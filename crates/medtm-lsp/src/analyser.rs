//! The analysis thread. The server hands it the latest text of each changed document; a newer
//! version replaces one still waiting, and a result that a newer version overtook while it was
//! computed is dropped. So a burst of changes costs at most one analysis beyond the latest, and
//! the server keeps reading messages (and answering those that need no analysis) meanwhile.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};
use lsp_types::Uri;
use medtm_model::CheckOptions;

use crate::document::{Analysed, Text};
use crate::position::Encoding;

/// A version of a document to analyse.
#[derive(Debug)]
pub struct Job {
    pub uri: Uri,
    pub text: Text,
    pub options: CheckOptions,
}

/// An analysed version: the analysis and the diagnostics to publish (the JSON array, built
/// here rather than on the server's thread), or why analysing failed.
#[derive(Debug)]
pub struct Done {
    pub uri: Uri,
    pub version: i32,
    pub outcome: Result<(Arc<Analysed>, serde_json::Value), String>,
}

#[derive(Debug, Default)]
struct Queue {
    /// Waiting jobs in the order their documents first changed, at most one per document.
    jobs: Vec<Job>,
    stopped: bool,
}

#[derive(Debug, Default)]
struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
}

impl Shared {
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The handle of the analysis thread; dropping it stops the thread.
#[derive(Debug)]
pub struct Analyser {
    shared: Arc<Shared>,
    pub results: Receiver<Done>,
    thread: Option<JoinHandle<()>>,
}

impl Analyser {
    pub fn start(encoding: Encoding) -> Result<Self, String> {
        let shared = Arc::new(Shared::default());
        let (sender, results) = crossbeam_channel::unbounded();
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("medtm-analysis".to_owned())
            .spawn(move || work(&worker, &sender, encoding))
            .map_err(|error| format!("cannot start the analysis thread: {error}"))?;
        Ok(Self { shared, results, thread: Some(thread) })
    }

    /// Queues a version for analysis, replacing an older version of the same document.
    pub fn submit(&self, job: Job) {
        let mut queue = self.shared.queue();
        match queue.jobs.iter_mut().find(|waiting| waiting.uri == job.uri) {
            Some(waiting) => *waiting = job,
            None => queue.jobs.push(job),
        }
        self.shared.wake.notify_one();
    }

    /// Drops the waiting job of a closed document.
    pub fn forget(&self, uri: &Uri) {
        self.shared.queue().jobs.retain(|job| job.uri != *uri);
    }
}

impl Drop for Analyser {
    fn drop(&mut self) {
        self.shared.queue().stopped = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn work(shared: &Shared, sender: &Sender<Done>, encoding: Encoding) {
    loop {
        let job = {
            let mut queue = shared.queue();
            while queue.jobs.is_empty() && !queue.stopped {
                queue = shared.wake.wait(queue).unwrap_or_else(PoisonError::into_inner);
            }
            if queue.stopped {
                return;
            }
            queue.jobs.remove(0)
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let analysed = Analysed::new(job.uri.clone(), &job.text, encoding, job.options);
            let diagnostics = crate::diagnostics::all(&analysed);
            (Arc::new(analysed), diagnostics)
        }))
        .map_err(|panic| crate::server::panic_message(&*panic));
        if shared.queue().jobs.iter().any(|waiting| waiting.uri == job.uri) {
            // A newer version is waiting: this result is stale before it is published.
            continue;
        }
        if sender.send(Done { uri: job.uri, version: job.text.version, outcome }).is_err() {
            return;
        }
    }
}
