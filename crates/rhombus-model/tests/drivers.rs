//! Every driver decodes the same bytes to the same values, problems and
//! errors: in memory, from a reader, and clip by clip, whatever the reads'
//! sizes; tolerant and strict.

mod common;

use common::{from_reader, in_memory, streamed};
use proptest::prelude::*;
use rhombus_model::Decoder;
use rhombus_model::generate::{Choices, Classes, Mix, response};

fn mixes() -> impl Strategy<Value = Mix> {
    prop_oneof![
        Just(Mix::SPEC),
        Just(Mix::JAVA),
        Just(Mix::DRIFT),
        Just(Mix::HOSTILE)
    ]
}

/// Every driver's answer equals the in-memory one.
fn agree(bytes: &[u8], chunk: usize, strict: bool) -> Result<(), TestCaseError> {
    let decoder = Decoder::new().strict(strict).max_depth(64);
    let want = in_memory(&decoder, bytes);
    let show = |a: &common::Answer| match a {
        Ok((json, problems)) => format!("ok {} {problems:?}", String::from_utf8_lossy(json)),
        Err(e) => format!("error {e:?}"),
    };
    let reader = from_reader(&decoder, bytes, chunk);
    let body = String::from_utf8_lossy(bytes);
    prop_assert_eq!(
        show(&reader),
        show(&want),
        "reader, chunk {}, body {}",
        chunk,
        body
    );
    let stream = streamed(&decoder, bytes, chunk);
    prop_assert_eq!(
        show(&stream),
        show(&want),
        "stream, chunk {}, body {}",
        chunk,
        body
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn drivers_agree_on_generated_bodies(
        seed in proptest::collection::vec(any::<u8>(), 0..600),
        mix in mixes(),
        chunk in 1usize..70,
        strict in any::<bool>(),
    ) {
        let body = response(&mut Choices::new(&seed), mix, &mut Classes::default());
        agree(&body, chunk, strict)?;
    }

    #[test]
    fn drivers_agree_on_cut_and_damaged_bodies(
        seed in proptest::collection::vec(any::<u8>(), 0..300),
        cut in any::<prop::sample::Index>(),
        damage in proptest::option::of((any::<prop::sample::Index>(), any::<u8>())),
        chunk in 1usize..40,
    ) {
        let mut body = response(&mut Choices::new(&seed), Mix::HOSTILE, &mut Classes::default());
        if let Some((at, byte)) = damage {
            let at = at.index(body.len());
            body[at] = byte;
        }
        body.truncate(cut.index(body.len() + 1));
        agree(&body, chunk, false)?;
    }

    #[test]
    fn drivers_agree_on_arbitrary_bytes(
        body in proptest::collection::vec(any::<u8>(), 0..64),
        chunk in 1usize..9,
    ) {
        agree(&body, chunk, false)?;
    }
}
