//! `fast_object!`: the fast decoder of a `json_object!` type (invoked by that
//! macro, so both paths always know the same fields).

/// Implements [`crate::fast::FastDecode`] for a `json_object!` struct.
macro_rules! fast_object {
    ($name:ident { $( $json:literal => $field:ident, )* }) => {
        impl<'a> $crate::fast::FastDecode<'a> for $name<'a> {
            #[allow(unused_assignments, unused_mut, unused_variables, unreachable_code)]
            fn fast_decode<'i, M: $crate::fast::Mode<'i, 'a>>(
                r: &mut $crate::fast::Reader<'i>,
            ) -> Result<Self, $crate::fast::Bail> {
                /// One variant per field, so a found index dispatches
                /// through a jump table instead of a chain of compares.
                #[allow(non_camel_case_types, dead_code)]
                #[derive(Clone, Copy)]
                enum Field { $($field),* }
                const FIELDS: &[Field] = &[$(Field::$field),*];
                const KEYS: &[&[u8]] = &[$($json.as_bytes()),*];
                // Each key as it usually appears: quoted, with its colon.
                const MEMBERS: &[&[u8]] = &[$(concat!("\"", $json, "\":").as_bytes()),*];
                let mut out = $name::default();
                if !r.begin_object()? {
                    return Ok(out);
                }
                // The server sends fields in a stable order: try the one
                // after the last found first.
                let mut hint = 0usize;
                loop {
                    let found = match MEMBERS.get(hint) {
                        Some(member) if r.member(member) => Some(hint),
                        _ => match r.key_in(KEYS)? {
                            Ok(found) => Some(found),
                            Err(key) => {
                                let name = M::text(key.into_str());
                                let value = $crate::fast::FastDecode::fast_decode::<M>(r)?;
                                out.extra.push(name, value);
                                None
                            }
                        },
                    };
                    if let Some(field) = found.and_then(|i| FIELDS.get(i)) {
                        hint = *field as usize + 1;
                        match *field {
                            $(Field::$field => {
                                out.$field = $crate::fast::FastDecode::fast_decode::<M>(r)?;
                            })*
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
