//! The preview folders of `serve`: private temporary folders named by the process that made
//! them, so that the folders of a `serve` killed without a chance to clean up can be removed.

use std::path::Path;

/// The name of every preview folder begins with this and the process id of its `serve`.
pub(super) const PREFIX: &str = "annexa-serve-";

/// Removes the preview folders in `temp` of `serve` processes that are gone (killed without a
/// chance to clean up): `annexa-serve-PID-…` where no process PID runs.
pub(super) fn remove_stale_previews(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !process_runs(pid) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(entry.path()).ok();
        }
    }
}

/// Whether a process `pid` exists (on systems without a way to ask: always).
fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let status = unsafe { libc::kill(pid, 0) };
        status == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}
