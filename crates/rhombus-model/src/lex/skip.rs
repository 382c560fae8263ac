//! Skipping a value: checking it is JSON and finding its end, at any depth,
//! without recursion (so without a stack overflow on hostile input).

use super::{Code, Fail, Lexer};

/// The open containers of a value being skipped, one bit each (1: object),
/// reused from value to value: a hostile `[[[[…` costs one bit a level.
pub(crate) struct Nesting {
    bits: Vec<u64>,
    depth: usize,
}

impl Nesting {
    pub(crate) fn new() -> Self {
        Nesting {
            bits: Vec::new(),
            depth: 0,
        }
    }

    fn push(&mut self, object: bool) {
        let (word, bit) = (self.depth / 64, self.depth % 64);
        if word == self.bits.len() {
            self.bits.push(0);
        }
        if object {
            self.bits[word] |= 1 << bit;
        } else {
            self.bits[word] &= !(1 << bit);
        }
        self.depth += 1;
    }

    fn top_is_object(&self) -> bool {
        let d = self.depth - 1;
        self.bits[d / 64] & (1 << (d % 64)) != 0
    }
}

impl Lexer<'_> {
    /// Moves past the JSON value at the cursor, checking its syntax as a
    /// parser would (strings' escapes, numbers' grammar, brackets that
    /// match). Returns the deepest nesting inside it (0 for a scalar).
    pub(crate) fn skip(&mut self, nesting: &mut Nesting) -> Result<usize, Fail> {
        nesting.depth = 0;
        let mut deepest = 0;
        loop {
            // A value starts here.
            match self.peek()? {
                b'{' => {
                    self.pos += 1;
                    nesting.push(true);
                    deepest = deepest.max(nesting.depth);
                    if self.peek()? == b'}' {
                        self.pos += 1;
                        nesting.depth -= 1;
                    } else {
                        self.key_string()?;
                        self.colon()?;
                        continue;
                    }
                }
                b'[' => {
                    self.pos += 1;
                    nesting.push(false);
                    deepest = deepest.max(nesting.depth);
                    if self.peek()? == b']' {
                        self.pos += 1;
                        nesting.depth -= 1;
                    } else {
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                }
                _ => return Err(self.fail(Code::ExpectedValue)),
            }
            // A value ended: close containers until one goes on.
            loop {
                if nesting.depth == 0 {
                    return Ok(deepest);
                }
                if nesting.top_is_object() {
                    if self.next_member()? {
                        self.key_string()?;
                        self.colon()?;
                        break;
                    }
                } else if self.next_element()? {
                    break;
                }
                nesting.depth -= 1;
            }
        }
    }
}
