//! A unified diff of a file whose fixes replaced text within lines (no line is added or
//! removed), with three lines of context, as `diff -u` and `git diff` print it.

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// The unified diff from `before` to `after` of `file` (`a/file`, `b/file`); empty when equal.
pub fn unified(file: &str, before: &str, after: &str) -> String {
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    if old == new || old.len() != new.len() {
        return String::new();
    }
    let changed: Vec<usize> = (0..old.len()).filter(|&i| old[i] != new[i]).collect();
    let mut out = format!("--- a/{file}\n+++ b/{file}\n");
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let from = i.saturating_sub(CONTEXT);
        let to = (i + CONTEXT + 1).min(old.len());
        match hunks.last_mut() {
            Some(last) if from <= last.1 => last.1 = to,
            _ => hunks.push((from, to)),
        }
    }
    for (from, to) in hunks {
        let count = to - from;
        out.push_str(&format!(
            "@@ -{},{count} +{},{count} @@\n",
            from + 1,
            from + 1
        ));
        let mut i = from;
        while i < to {
            if old[i] == new[i] {
                push_line(&mut out, ' ', old[i]);
                i += 1;
                continue;
            }
            // A run of changed lines: the old ones, then the new ones.
            let run = (i..to).take_while(|&j| old[j] != new[j]).count();
            for line in &old[i..i + run] {
                push_line(&mut out, '-', line);
            }
            for line in &new[i..i + run] {
                push_line(&mut out, '+', line);
            }
            i += run;
        }
    }
    out
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_merge_and_keep_three_lines_of_context() {
        let before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n";
        let after = before
            .replacen("2\n", "two\n", 1)
            .replace("\n4\n", "\nfour\n")
            .replace("15", "xv");
        assert_eq!(
            unified("a.md", before, &after),
            "--- a/a.md\n+++ b/a.md\n@@ -1,7 +1,7 @@\n 1\n-2\n+two\n 3\n-4\n+four\n 5\n 6\n 7\n@@ -12,5 +12,5 @@\n 12\n 13\n 14\n-15\n+xv\n 16\n"
        );
        assert_eq!(
            unified("a.md", "x", "y"),
            "--- a/a.md\n+++ b/a.md\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n"
        );
    }
}
