//! `arena_object!`: a `json_object!` type's form in the arena (invoked by
//! that macro, from the same field list).

/// Defines `$arena`, the arena form of the model object `$name`: the same
/// fields, each the [`Form`](crate::arena::Form) of the model field's type,
/// plus its [`ArenaForm`](crate::arena::ArenaForm) link, decoder, output and
/// drift report.
macro_rules! arena_object {
    (
        $(#[$meta:meta])*
        pub struct $arena:ident<'a> for $name:ident {
            $( $(#[$fmeta:meta])* $json:literal => $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        ///
        #[doc = concat!("The arena form of [`", stringify!($name), "`](crate::", stringify!($name), "): see [`crate::arena`].")]
        #[derive(Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $arena<'a> {
            $( $(#[$fmeta])* pub $field: Option<$crate::arena::Form<'a, $ty>>, )*
            /// Fields this version does not know, kept as raw JSON.
            pub extra: $crate::arena::Extra<'a>,
        }

        // By hand, to print the name it is exported under (`arena::SplicedClip`).
        impl std::fmt::Debug for $arena<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $( .field(stringify!($field), &self.$field) )*
                    .field("extra", &self.extra)
                    .finish()
            }
        }

        impl<'a> $crate::arena::ArenaForm<'a> for $name<'a> {
            type Form = $arena<'a>;
            fn into_arena(self, bump: &'a $crate::arena::Bump) -> $arena<'a> {
                $arena {
                    $( $field: $crate::arena::ArenaForm::into_arena(self.$field, bump), )*
                    extra: $crate::arena::ArenaForm::into_arena(self.extra, bump),
                }
            }
        }

        impl<'a> $crate::arena::ArenaDecode<'a> for $arena<'a> {
            #[allow(unused_mut, unused_variables, unreachable_code)]
            fn arena_decode<'i, P: $crate::arena::Place<'i, 'a>>(
                r: &mut $crate::fast::Reader<'i>,
                bump: &'a $crate::arena::Bump,
            ) -> Result<Self, $crate::fast::Bail> {
                let mut out = $arena::default();
                // Unknown fields are rare: an empty arena Vec allocates nothing.
                let mut extra = bumpalo::collections::Vec::new_in(bump);
                object_members!(r, [$($json),*], |i| {
                    set_field!(out[i] = $crate::arena::ArenaDecode::arena_decode::<P>(r, bump)?; $($field),*);
                }, |key| {
                    extra.push($crate::arena::unknown_field::<P>(r, key, bump)?);
                });
                out.extra = $crate::arena::Extra::new(extra.into_bump_slice());
                Ok(out)
            }
        }

        object_output!($arena { $( $json => $field, )* });
        object_drift!($arena { $( $json => $field, )* });
    };
}
