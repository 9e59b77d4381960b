//! Refuses well-known passwords, including the usual disguises: digits or
//! symbols added around a common word, a word typed twice, keyboard runs.

use flate2::read::GzDecoder;
use std::collections::HashSet;
use std::io::Read;
use std::sync::LazyLock;

static LIST: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let gz: &[u8] = include_bytes!("../../assets/data/common-passwords.txt.gz");
    let mut text = String::new();
    if GzDecoder::new(gz).read_to_string(&mut text).is_err() {
        tracing::error!("embedded common-password list is unreadable");
        return HashSet::new();
    }
    text.lines().map(str::to_owned).collect()
});

#[cfg(test)]
fn list_len() -> usize {
    LIST.len()
}

/// True when `password` is common or only dresses up a common word or one of
/// the `context` words (the person's e-mail, name, the product's name).
pub fn is_common(password: &str, context: &[&str]) -> bool {
    let lower = password.to_lowercase();
    if LIST.contains(&lower) || is_run(&lower) {
        return true;
    }
    let core = lower.trim_matches(|c: char| {
        c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace()
    });
    if core.is_empty() {
        // Only digits and symbols: refuse runs and repetitions of short units.
        return repeats_short_unit(&lower)
            || is_run(&lower.replace(|c: char| !c.is_ascii_digit(), ""));
    }
    let context: Vec<String> = context
        .iter()
        .map(|w| w.trim().to_lowercase())
        .filter(|w| w.chars().count() >= 3)
        .chain(std::iter::once("parvis".to_string()))
        .collect();
    let known =
        |w: &str| (w.chars().count() >= 4 && LIST.contains(w)) || context.iter().any(|c| c == w);
    if known(core) || repeats_short_unit(core) || is_run(core) {
        return true;
    }
    // A common word typed several times: "passwordpassword".
    let chars: Vec<char> = core.chars().collect();
    for unit_len in 1..=chars.len() / 2 {
        if chars.len().is_multiple_of(unit_len) {
            let unit: String = chars[..unit_len].iter().collect();
            if unit.repeat(chars.len() / unit_len) == core && known(&unit) {
                return true;
            }
        }
    }
    false
}

/// A unit of at most 3 characters repeated: "aaaaaaaaaaaa", "abcabcabcabc".
fn repeats_short_unit(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    (1..=3).any(|n| {
        chars.len() >= 2 * n
            && chars.len().is_multiple_of(n)
            && chars.chunks(n).all(|chunk| chunk == &chars[..n])
    })
}

/// An ascending or descending run of letters or digits: "abcdefghijkl", "987654321098".
fn is_run(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 6 || !chars.iter().all(char::is_ascii_alphanumeric) {
        return false;
    }
    let step = |a: char, b: char, dir: i32| -> bool {
        let (a, b) = (a as i32, b as i32);
        b - a == dir
            || (a == '9' as i32 && b == '0' as i32 && dir == 1)
            || (a == '0' as i32 && b == '9' as i32 && dir == -1)
    };
    [1, -1]
        .iter()
        .any(|&dir| chars.windows(2).all(|w| step(w[0], w[1], dir)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_loaded() {
        assert!(list_len() > 30_000);
    }

    #[test]
    fn refuses_common_and_disguised_passwords() {
        for pw in [
            "qwerty123456",
            "1q2w3e4r5t6y",
            "Password2024!",
            "passwordpassword",
            "aaaaaaaaaaaa",
            "abcabcabcabc",
            "123456789012",
            "abcdefghijklm",
            "!!Sunshine!!123",
            "parvisparvis",
            "Parvis2026!!",
        ] {
            assert!(is_common(pw, &[]), "{pw} accepted");
        }
        assert!(is_common("claire.martin2026", &["claire.martin"]));
    }

    #[test]
    fn accepts_uncommon_passwords() {
        for pw in [
            "correct horse battery staple",
            "vélo-cargo-mûrier-42",
            "7Kp#rT9!mQ2v",
            "4829-1837-2736",
            "ÉtéIndienÀParis",
        ] {
            assert!(!is_common(pw, &["claire.martin"]), "{pw} refused");
        }
    }
}
