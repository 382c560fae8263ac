//! `fast_object!`: the fast decoder of a `json_object!` type (invoked by that
//! macro, so both paths always know the same fields).

/// Implements [`crate::fast::FastDecode`] for a `json_object!` struct.
macro_rules! fast_object {
    ($name:ident { $( $json:literal => $field:ident, )* }) => {
        impl<'a> $crate::fast::FastDecode<'a> for $name<'a> {
            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn fast_decode<'i, M: $crate::fast::Mode<'i, 'a>>(
                r: &mut $crate::fast::Reader<'i>,
            ) -> Result<Self, $crate::fast::Bail> {
                const KEYS: &[&[u8]] = &[$($json.as_bytes()),*];
                let mut out = $name::default();
                if !r.begin_object()? {
                    return Ok(out);
                }
                let mut hint = 0usize;
                loop {
                    match r.key_in(KEYS, hint)? {
                        Ok(found) => {
                            hint = found + 1;
                            let mut index = 0usize;
                            $(
                                if found == index {
                                    out.$field = $crate::fast::FastDecode::fast_decode::<M>(r)?;
                                }
                                index += 1;
                            )*
                        }
                        Err(key) => {
                            let name = M::text(key.into_str());
                            let value = $crate::fast::FastDecode::fast_decode::<M>(r)?;
                            out.extra.push(name, value);
                        }
                    }
                    if !r.next_member()? {
                        return Ok(out);
                    }
                }
            }
        }
    };
}
