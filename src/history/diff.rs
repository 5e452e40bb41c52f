//! A line diff of two texts: which lines of the old one were removed and which of the new one
//! were added (the longest common subsequence, after the common head and tail).

/// The lines a change removed (indices into the old text's lines) and added (into the new's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineDiff {
    /// Old lines not in the new text.
    pub removed: Vec<usize>,
    /// New lines not in the old text.
    pub added: Vec<usize>,
}

/// Above this many cells the middle part is counted as replaced whole, not diffed.
const MAX_CELLS: usize = 4_000_000;

/// The line diff of `old` and `new`.
pub fn lines(old: &[&str], new: &[&str]) -> LineDiff {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let a = &old[head..old.len() - tail];
    let b = &new[head..new.len() - tail];
    let mut diff = LineDiff::default();
    if a.len().saturating_mul(b.len()) > MAX_CELLS {
        diff.removed = (head..head + a.len()).collect();
        diff.added = (head..head + b.len()).collect();
        return diff;
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            diff.removed.push(head + i);
            i += 1;
        } else {
            diff.added.push(head + j);
            j += 1;
        }
    }
    diff.removed.extend((i..a.len()).map(|i| head + i));
    diff.added.extend((j..b.len()).map(|j| head + j));
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_added_and_removed_lines() {
        let old = ["a", "b", "c", "d"];
        let new = ["a", "x", "c", "d", "e"];
        let diff = lines(&old, &new);
        assert_eq!(diff.removed, [1]);
        assert_eq!(diff.added, [1, 4]);
        assert_eq!(lines(&old, &old), LineDiff::default());
    }
}
