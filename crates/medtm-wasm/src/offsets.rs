//! Positions as JavaScript counts them. The engine's spans are byte offsets into UTF-8 text;
//! JavaScript strings (and so every browser editor) index UTF-16 code units. The two agree on
//! ASCII text and drift apart after every other character, so every position the page receives
//! or sends goes through [`Offsets`].

/// Converts between byte offsets and UTF-16 offsets in one text.
#[derive(Debug, Clone)]
pub struct Offsets {
    /// The text's non-ASCII characters, in order. Empty for ASCII text, where both offsets agree.
    wide: Vec<Wide>,
    len: usize,
}

/// Where a non-ASCII character starts in both counts, and how long it is in each.
#[derive(Debug, Clone, Copy)]
struct Wide {
    byte: usize,
    utf16: usize,
    bytes: usize,
    units: usize,
}

impl Offsets {
    pub fn new(text: &str) -> Self {
        let mut wide = Vec::new();
        let mut drift = 0;
        for (byte, c) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
            wide.push(Wide { byte, utf16: byte - drift, bytes: c.len_utf8(), units: c.len_utf16() });
            drift += c.len_utf8() - c.len_utf16();
        }
        Offsets { wide, len: text.len() }
    }

    /// The UTF-16 offset of a byte offset, clamped to the text; an offset inside a character
    /// counts as the character's start.
    pub fn to_utf16(&self, byte: usize) -> usize {
        let byte = byte.min(self.len);
        let before = self.wide.partition_point(|c| c.byte <= byte);
        match before.checked_sub(1).map(|index| self.wide[index]) {
            None => byte,
            Some(c) if byte < c.byte + c.bytes => c.utf16,
            Some(c) => c.utf16 + c.units + (byte - c.byte - c.bytes),
        }
    }

    /// The byte offset of a UTF-16 offset, clamped to the text; an offset between the halves of
    /// a surrogate pair counts as the character's start.
    pub fn to_byte(&self, utf16: usize) -> usize {
        let before = self.wide.partition_point(|c| c.utf16 <= utf16);
        let byte = match before.checked_sub(1).map(|index| self.wide[index]) {
            None => utf16,
            Some(c) if utf16 < c.utf16 + c.units => c.byte,
            Some(c) => c.byte + c.bytes + (utf16 - c.utf16 - c.units),
        };
        byte.min(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::Offsets;

    /// Every character boundary maps both ways, as JavaScript's `String.length` counts.
    #[test]
    fn maps_character_boundaries_both_ways() {
        let text = "a·b — 🫀 c\u{e9}";
        let offsets = Offsets::new(text);
        for (byte, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            let utf16 = text[..byte].encode_utf16().count();
            assert_eq!(offsets.to_utf16(byte), utf16, "byte {byte}");
            assert_eq!(offsets.to_byte(utf16), byte, "utf16 {utf16}");
        }
    }

    #[test]
    fn clamps_and_rounds_down_inside_characters() {
        let text = "x🫀y";
        let offsets = Offsets::new(text);
        // Bytes 2..=4 are inside the heart; UTF-16 unit 2 is between its surrogates.
        assert_eq!(offsets.to_utf16(3), 1);
        assert_eq!(offsets.to_byte(2), 1);
        assert_eq!(offsets.to_utf16(99), 4);
        assert_eq!(offsets.to_byte(99), text.len());
    }

    #[test]
    fn ascii_offsets_are_the_same() {
        let offsets = Offsets::new("component pump {}");
        assert_eq!(offsets.to_utf16(10), 10);
        assert_eq!(offsets.to_byte(10), 10);
    }
}
