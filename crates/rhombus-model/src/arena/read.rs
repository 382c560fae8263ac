//! [`decode_reader_in`]: a response read from an [`io::Read`] straight into
//! an arena, without holding the input.

use std::io::Read;

use bumpalo::Bump;

use crate::arena::{ArenaDecode, ArenaForm, CLIP_BYTES, Response, SplicedClip, with_capacity};
use crate::decode::from_slice;
use crate::error::DecodeError;
use crate::fast::{Copy, Reader, read_whole};
use crate::stream::{ClipDecode, StreamDecoder};

/// Decodes a response from `reader` into `bump`, every string copied there:
/// [`StreamDecoder::decode_in`] with the decoder's defaults.
///
/// ```
/// use rhombus_model::arena::{Bump, decode_reader_in};
///
/// let file = br#"{"splicedClips": [{"clipUuid": "AAAAAAAAAAAAAAAAAAAAAA", "duration": 5}]}"#;
/// let bump = Bump::new();
/// let response = decode_reader_in(&file[..], &bump)?;
/// assert_eq!(response.clips()[0].duration, Some(5));
/// # Ok::<(), rhombus_model::DecodeError>(())
/// ```
pub fn decode_reader_in<R: Read>(reader: R, bump: &Bump) -> Result<Response<'_>, DecodeError> {
    StreamDecoder::new(reader).decode_in(bump)
}

impl<R: Read> StreamDecoder<R> {
    /// Decodes the whole response into `bump`, every string copied there.
    ///
    /// The tree is the one [`decode_in`](crate::arena::decode_in) gives, but it
    /// borrows nothing from the input, which is read in a window about the
    /// size of a clip and never held whole: peak memory is the tree and its
    /// text, not the tree plus the input. Use it for a large file or body
    /// not in memory already; `decode_in` is faster on bytes in memory.
    /// Give the input's length, when known, to [`StreamDecoder::input_len`]:
    /// the clip list is then sized once instead of regrown, which leaves
    /// outgrown copies in the arena.
    ///
    /// Accepts what [`crate::decode`] accepts, except a second
    /// `splicedClips` key (refused, as the stream refuses it) and values
    /// over the stream's limits, and fails where it fails, with the same
    /// JSON path and position for an error inside a clip. A read error is a
    /// [`DecodeErrorKind::Io`](crate::DecodeErrorKind::Io) error.
    ///
    /// The tree grows with the input. To bound it on input you do not
    /// trust, bound the reader ([`Read::take`]): input cut off there is an
    /// end-of-input error, never a partial tree.
    pub fn decode_in(self, bump: &Bump) -> Result<Response<'_>, DecodeError> {
        let planned = self.input_len / CLIP_BYTES as u64;
        let mut clips = with_capacity(usize::try_from(planned).unwrap_or(usize::MAX), bump);
        let envelope = self.try_for_each_clip_as(InArena(bump), |_, clip| {
            clips.push(clip?);
            Ok::<_, DecodeError>(())
        })?;
        Ok(Response {
            error: envelope.error,
            error_msg: envelope.error_msg.into_arena(bump),
            spliced_clips: envelope.has_clips.then(|| clips.into_bump_slice()),
            warning_msg: envelope.warning_msg.into_arena(bump),
            extra: envelope.extra.into_arena(bump),
        })
    }
}

/// A stream's clips decoded into the arena, their text copied there.
struct InArena<'a>(&'a Bump);

impl<'a> ClipDecode for InArena<'a> {
    type Clip<'b> = SplicedClip<'a>;
    const TOLERANT: bool = false;

    fn prefix(&mut self, text: &str) -> Option<(SplicedClip<'a>, usize)> {
        let mut reader = Reader::new(text);
        let clip = SplicedClip::arena_decode::<Copy>(&mut reader, self.0).ok()?;
        Some((clip, reader.position()))
    }

    fn whole(&mut self, bytes: &[u8]) -> Result<SplicedClip<'a>, DecodeError> {
        let bump = self.0;
        if let Some(clip) = read_whole(bytes, |r| SplicedClip::arena_decode::<Copy>(r, bump)) {
            return Ok(clip);
        }
        // The fast path declined: the serde path decides, and explains a
        // failure, as `decode_in`'s does.
        let clip = from_slice::<crate::SplicedClip<'_>>(bytes)?;
        Ok(clip.into_owned().into_arena(bump))
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;
    use crate::DecodeErrorKind;
    use crate::arena::decode_in;

    /// `decode_in`'s error and `decode_reader_in`'s, as text.
    fn both_errors(input: &str) -> (String, String) {
        let bump = Bump::new();
        let in_memory = decode_in(input.as_bytes(), &bump)
            .err()
            .map(|e| e.to_string());
        let read = decode_reader_in(input.as_bytes(), &bump)
            .err()
            .map(|e| e.to_string());
        (
            in_memory.unwrap_or_else(|| "decoded".to_owned()),
            read.unwrap_or_else(|| "decoded".to_owned()),
        )
    }

    #[test]
    fn a_bad_clip_fails_as_decode_fails() {
        for input in [
            // A wrong type, then bytes that are not JSON: the wrong type is
            // the first error, as decode finds it.
            r#"{"splicedClips":[[1:2]]}"#,
            "{\"splicedClips\": [\n {\"duration\": [6 \"x\"], \"title\": \"unterminated\n",
            // Scalars cut short by the delimiter after them.
            "{\"splicedClips\": [\n  -  {}]}",
            r#"{"splicedClips":[,{}]}"#,
            "{\"splicedClips\": [t\n{}]}",
            r#"{"splicedClips":[{"duration":5},{"duration":"x"}]}"#,
            // A `\u` escape with a quote among its four bytes: the string
            // does not end at that quote, for the scanner either (fuzz).
            r#"{"splicedClips":[{"cluid":"A","durat00\ud"}":"C"}],"warningMsg":"w"}"#,
            r#"{"splicedClips":[{"title":"\u1"}"}]}"#,
        ] {
            let (in_memory, read) = both_errors(input);
            assert_ne!(in_memory, "decoded", "{input}");
            assert_eq!(read, in_memory, "{input}");
        }
    }

    #[test]
    fn the_envelope_comes_through() {
        let input = r#"{"error": true, "errorMsg": "bad key", "warningMsg": "w\"", "requestId": [1],
            "splicedClips": [{"duration": 5}]}"#;
        let bump = Bump::new();
        let response = decode_reader_in(input.as_bytes(), &bump).expect("decodes");
        assert_eq!(response.warning(), Some("w\""));
        assert_eq!(
            response.extra.get("requestId").map(|raw| raw.get()),
            Some("[1]")
        );
        assert_eq!(response.clips().len(), 1);
        let error = response.into_result().expect_err("error: true");
        assert_eq!(error.to_string(), "the API reported an error: bad key");
        let none = decode_reader_in(&br#"{"splicedClips": null}"#[..], &bump).expect("decodes");
        assert_eq!(none.spliced_clips, None);
    }

    #[test]
    fn a_second_clip_list_and_a_failed_read_are_errors() {
        let bump = Bump::new();
        let twice = br#"{"splicedClips": [], "splicedClips": []}"#;
        let e = decode_reader_in(&twice[..], &bump).expect_err("refused");
        assert!(
            e.message().contains("duplicate field `splicedClips`"),
            "{e}"
        );

        struct Broken;
        impl io::Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk gone"))
            }
        }
        let e = decode_reader_in(Broken, &bump).expect_err("read fails");
        assert_eq!(e.kind(), DecodeErrorKind::Io);
        assert!(e.message().contains("disk gone"), "{e}");
    }

    #[test]
    fn a_reader_cut_off_anywhere_is_an_end_of_input_error() {
        let input = br#"{"warningMsg": "w", "splicedClips": [{"duration": 1, "title": "a\"b"}, {"deviceMap": {"A.v0": {"totalSegments": 2}}}]}"#;
        let bump = Bump::new();
        assert!(decode_reader_in(&input[..], &bump).is_ok());
        for len in 0..input.len() {
            let e = decode_reader_in(io::Read::take(&input[..], len as u64), &bump)
                .expect_err("cut off");
            assert!(e.is_eof(), "cut at {len}: {e}");
        }
    }

    #[test]
    fn any_input_length_hint_decodes_the_same() {
        let input = br#"{"splicedClips": [{"duration": 1}, {"duration": 2}, {"duration": 3}]}"#;
        for hint in [0, 1, input.len() as u64, 1 << 40, u64::MAX] {
            let bump = Bump::new();
            // Room for the tree, not for a clip list sized by a huge hint.
            bump.set_allocation_limit(Some(1 << 20));
            let response = StreamDecoder::new(&input[..])
                .input_len(hint)
                .decode_in(&bump)
                .expect("decodes");
            let durations: Vec<_> = response.clips().iter().map(|c| c.duration).collect();
            assert_eq!(durations, [Some(1), Some(2), Some(3)], "hint {hint}");
        }
    }
}
