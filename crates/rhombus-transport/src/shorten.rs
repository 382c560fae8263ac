//! Server text as a message may show it: one bounded length for every message.

use std::borrow::Cow;

/// The most characters of server text (an `errorMsg`, a `warningMsg`, an
/// error body, a decode error quoting the input) a message shows, the note
/// of what was cut included.
pub const SHOWN_CHARS: usize = 300;

/// `text` as a message may show it: unchanged when it has at most
/// [`SHOWN_CHARS`] characters; otherwise its start and its end (which often
/// says where: a JSON path, a line and column) around a note of how many
/// characters were cut, [`SHOWN_CHARS`] characters in all.
///
/// Hide secrets first ([`Secret::hidden_in`](crate::Secret::hidden_in)):
/// cutting first could leave part of one. Shortening twice changes nothing.
///
/// ```
/// use rhombus_transport::{SHOWN_CHARS, shorten};
///
/// assert_eq!(shorten("short"), "short");
/// let long = "x".repeat(10_000);
/// let shown = shorten(&long);
/// assert_eq!(shown.chars().count(), SHOWN_CHARS);
/// assert!(shown.contains("[9725 characters cut]"), "{shown}");
/// ```
pub fn shorten(text: &str) -> Cow<'_, str> {
    // Bytes bound characters: most texts are decided without counting.
    if text.len() <= SHOWN_CHARS {
        return Cow::Borrowed(text);
    }
    let total = text.chars().count();
    if total <= SHOWN_CHARS {
        return Cow::Borrowed(text);
    }
    // The note's length depends on the count it names, and the count on the
    // room the note leaves: settle it by trying from the longest note down.
    let (note, kept) = (1..=20)
        .rev()
        .find_map(|digits| {
            let kept = SHOWN_CHARS.checked_sub(note_chars(digits))?;
            let note = cut_note(total - kept);
            (note.chars().count() == note_chars(digits)).then_some((note, kept))
        })
        .unwrap_or_else(|| (cut_note(total), 0));
    let head = kept * 2 / 3;
    let tail = kept - head;
    let head_end = char_offset(text, head);
    let tail_start = char_offset(text, total - tail);
    Cow::Owned(format!(
        "{}{note}{}",
        &text[..head_end],
        &text[tail_start..]
    ))
}

/// The note standing for `cut` characters.
fn cut_note(cut: usize) -> String {
    format!(" …[{cut} characters cut]… ")
}

/// How many characters the note for a count of `digits` digits has.
fn note_chars(digits: usize) -> usize {
    cut_note(0).chars().count() - 1 + digits
}

/// The byte offset of character number `n` of `text` (its length past the end).
fn char_offset(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_untouched_and_borrowed() {
        for text in ["", "a", &"é".repeat(SHOWN_CHARS)] {
            assert!(matches!(shorten(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn long_text_keeps_its_ends_and_says_how_much_was_cut() {
        for total in [SHOWN_CHARS + 1, 400, 1_000, 123_456] {
            // Multi-byte characters: every cut lands on a character boundary.
            let text = format!(
                "START{}END at .splicedClips[3] (line 1, column 9)",
                "é".repeat(total)
            );
            let chars = text.chars().count();
            let shown = shorten(&text);
            assert_eq!(shown.chars().count(), SHOWN_CHARS, "{total}");
            assert!(shown.starts_with("START"), "{shown}");
            assert!(shown.ends_with("(line 1, column 9)"), "{shown}");
            let cut: usize = shown
                .split_once(" …[")
                .and_then(|(_, rest)| rest.split_once(' '))
                .and_then(|(n, _)| n.parse().ok())
                .expect("a count in the note");
            let note = cut_note(cut).chars().count();
            assert_eq!(
                cut + SHOWN_CHARS - note,
                chars,
                "the note counts what is missing"
            );
            assert_eq!(shorten(&shown), shown, "shortening twice changes nothing");
        }
    }
}
