//! Where a generator's choices come from.

/// Choices read from bytes: a slice (read as `0xff` once it runs out, so
/// nothing more happens) or a function (a seeded RNG, endless).
pub struct Choices<'b> {
    source: Source<'b>,
}

enum Source<'b> {
    Bytes(&'b [u8], usize),
    Fn(Box<dyn FnMut() -> u8 + 'b>),
}

/// A chance that always comes true (once the mix allows its class).
pub(crate) const ALWAYS: u16 = 256;

impl<'b> Choices<'b> {
    /// Choices read from `bytes`.
    pub fn new(bytes: &'b [u8]) -> Self {
        Choices {
            source: Source::Bytes(bytes, 0),
        }
    }

    /// Choices read from `next`, one byte a call.
    pub fn from_fn(next: impl FnMut() -> u8 + 'b) -> Self {
        Choices {
            source: Source::Fn(Box::new(next)),
        }
    }

    pub(crate) fn byte(&mut self) -> u8 {
        match &mut self.source {
            Source::Bytes(bytes, pos) => {
                let b = bytes.get(*pos).copied().unwrap_or(0xff);
                *pos = pos.saturating_add(1);
                b
            }
            Source::Fn(next) => next(),
        }
    }

    /// A number below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }

    /// True about `per256` times in 256 (always from [`ALWAYS`] on).
    pub(crate) fn chance(&mut self, per256: u16) -> bool {
        u16::from(self.byte()) < per256
    }
}
