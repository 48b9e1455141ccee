//! Count lines, words and the most frequent words of text files, like `wc` with a top-10 list.

use std::collections::HashMap;
use std::env;
use std::fs;
use std::process::ExitCode;

/// Word frequencies and totals for one text.
#[derive(Debug, Default)]
struct Counts {
    lines: usize,
    words: usize,
    frequencies: HashMap<String, usize>,
}

impl Counts {
    fn of(text: &str) -> Self {
        let mut counts = Counts { lines: text.lines().count(), ..Default::default() };
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            counts.words += 1;
            *counts.frequencies.entry(word.to_lowercase()).or_insert(0) += 1;
        }
        counts
    }

    /// The `n` most frequent words, ties broken alphabetically.
    fn top(&self, n: usize) -> Vec<(&str, usize)> {
        let mut entries: Vec<_> = self.frequencies.iter().map(|(w, c)| (w.as_str(), *c)).collect();
        entries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        entries.truncate(n);
        entries
    }
}

fn main() -> ExitCode {
    let paths: Vec<String> = env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: wordcount FILE...");
        return ExitCode::from(2);
    }
    for path in paths {
        match fs::read_to_string(&path) {
            Ok(text) => {
                let counts = Counts::of(&text);
                println!("{path}: {} lines, {} words", counts.lines, counts.words);
                for (word, count) in counts.top(10) {
                    println!("  {count:6} {word}");
                }
            }
            Err(error) => eprintln!("{path}: {error}"),
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_case_insensitively() {
        let counts = Counts::of("The cat and the hat.\nThe end.");
        assert_eq!(counts.lines, 2);
        assert_eq!(counts.words, 7);
        assert_eq!(counts.top(1), vec![("the", 3)]);
    }
}
