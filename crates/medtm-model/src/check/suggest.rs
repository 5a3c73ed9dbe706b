//! "Did you mean ...?": the closest candidate to a misspelt word, if it is close enough.

/// The candidate closest to `word` by edit distance, if the distance is small for its length.
/// Hyphens and underscores count as the same, so `anti-rollback` finds `anti_rollback`.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let normalize = |text: &str| text.to_ascii_lowercase().replace('-', "_");
    let wanted = normalize(word);
    // A single letter is too short to guess from, except for a change of case (`h` for `H`).
    let length = wanted.chars().count();
    let limit = if length <= 1 { 0 } else { (length / 3).clamp(1, 3) };
    candidates
        .into_iter()
        .filter(|candidate| *candidate != word)
        .map(|candidate| (strsim::damerau_levenshtein(&wanted, &normalize(candidate)), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_close_words_only() {
        let words = ["component", "boundary", "asset"];
        assert_eq!(closest("compnent", words), Some("component"));
        assert_eq!(closest("boundry", words), Some("boundary"));
        assert_eq!(closest("xyz", words), None);
        assert_eq!(closest("anti-rollback", ["anti_rollback", "signed"]), Some("anti_rollback"));
        assert_eq!(closest("Ble", ["ble", "nfc"]), Some("ble"));
        assert_eq!(closest("X", ["N", "L", "H"]), None);
        assert_eq!(closest("h", ["N", "L", "H"]), Some("H"));
    }

    #[test]
    fn prefers_the_closest_then_the_first_alphabetically() {
        assert_eq!(closest("tls", ["tls1_2", "tls1_3"]), None);
        assert_eq!(closest("tls13", ["tls1_2", "tls1_3"]), Some("tls1_3"));
    }
}
