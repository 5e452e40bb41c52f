//! Lock: one build at a time per output folder, by an exclusive `flock` on a dot-named file
//! beside it that holds the builder's process id (for the message another build prints).

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

use crate::error::Fatal;

/// The lock on one output folder, held until dropped.
#[derive(Debug)]
pub(super) struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Locks the output folder `target` through the file at `path`, or says which build holds it.
    pub(super) fn acquire(path: &Path, target: &Path) -> Result<OutputLock, Fatal> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", path.display())))?;
        if let Err(e) = try_lock(&file) {
            if e.kind() != std::io::ErrorKind::WouldBlock {
                return Err(Fatal::new(format!("cannot lock `{}`: {e}", path.display())));
            }
            let mut text = String::new();
            file.read_to_string(&mut text).ok();
            let holder = match text.trim().parse::<u32>() {
                Ok(pid) => format!("another annexa build (pid {pid})"),
                Err(_) => "another annexa build".to_string(),
            };
            return Err(Fatal::new(format!(
                "{holder} is writing `{}`; wait for it to finish",
                target.display()
            )));
        }
        file.set_len(0)
            .and_then(|()| write_at_start(&file, std::process::id().to_string().as_bytes()))
            .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))?;
        Ok(OutputLock { _file: file })
    }
}

#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor this function borrows; it touches no memory.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Elsewhere no lock is taken (`File::try_lock` needs a newer Rust than `rust-version`).
#[cfg(not(unix))]
fn try_lock(_file: &File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn write_at_start(file: &File, bytes: &[u8]) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, 0)
}

#[cfg(not(unix))]
fn write_at_start(mut file: &File, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Seek, Write};
    file.seek(std::io::SeekFrom::Start(0))?;
    file.write_all(bytes)
}
