//! [`Filled`]: a reader whose reads fill the buffer they are given.

use std::io::{self, Read};

/// Reads until the buffer is full or the input ends.
///
/// The clip stream decodes a unit (a clip, an envelope field) again from
/// its start each time it needs more input, asking for twice what it
/// holds. A pipe hands over 64 KiB per read whatever is asked, so one long
/// value from stdin would be decoded again every 64 KiB: quadratic time.
/// Filled reads keep the cost linear.
pub struct Filled<R>(pub R);

impl<R: Read> Read for Filled<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.0.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // What was read is handed over; the error comes again next time.
                Err(_) if filled > 0 => break,
                Err(e) => return Err(e),
            }
        }
        Ok(filled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands over at most 3 bytes per read.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn reads_fill_the_buffer_until_the_end() {
        let mut reader = Filled(Trickle(b"0123456789"));
        let mut buf = [0; 8];
        assert_eq!(reader.read(&mut buf).unwrap(), 8);
        assert_eq!(&buf, b"01234567");
        assert_eq!(reader.read(&mut buf).unwrap(), 2);
        assert_eq!(reader.read(&mut buf).unwrap(), 0);
    }
}
