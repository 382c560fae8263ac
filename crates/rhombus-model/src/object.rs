//! `json_object!`: from one field list, a response object's struct and all
//! it does (decode, encode, serialise, drift, shape). The field lists
//! themselves are in [`crate::schema`]: adding a field is one line there.

/// Defines a struct with one `Option` field per JSON key plus `extra`, and
/// its `Decode`, `WriteJson`, `Serialize`, `FindDrift` and `Described`
/// impls. `counted` marks the type whose list elements count against
/// `max_clips`.
macro_rules! json_object {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident<'a> $($counted:ident)? {
            $( $(#[doc = $fdoc:literal])* $json:literal => $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name<'a> {
            $( $(#[doc = $fdoc])* pub $field: Option<$ty>, )*
            /// Fields this version does not know, and known fields whose
            /// value did not fit or came twice, as raw JSON.
            pub extra: $crate::Extra<'a>,
        }

        impl $name<'_> {
            /// The JSON keys this type knows, in the spec's order.
            pub const FIELDS: &'static [&'static str] = &[$($json),*];
        }

        impl<'a> $crate::decode::Decode<'a> for $name<'a> {
            const EXPECTED: &'static str = concat!("a ", stringify!($name), " object");
            const COUNTED: bool = json_object!(@counted $($counted)?);

            fn decode<'i, P: $crate::decode::Place<'i, 'a>>(
                cx: &mut $crate::decode::Cx<'i, 'a>,
            ) -> Result<Self, $crate::lex::Fail> {
                let mut out = $name::default();
                let mut state = $crate::decode::Members::default();
                if cx.lx.begin_object()? {
                    loop {
                        out.member::<P>(cx, &mut state)?;
                        if !cx.lx.next_member()? {
                            break;
                        }
                    }
                }
                out.extra = state.finish_in(cx);
                Ok(out)
            }
        }

        impl<'a> $name<'a> {
            /// Decodes one `"key": value` member at the cursor into `self`
            /// (`state` carries what the object's earlier members left).
            #[allow(unused_variables, unreachable_code, unused_mut)]
            #[inline]
            pub(crate) fn member<'i, P: $crate::decode::Place<'i, 'a>>(
                &mut self,
                cx: &mut $crate::decode::Cx<'i, 'a>,
                state: &mut $crate::decode::Members<'a>,
            ) -> Result<(), $crate::lex::Fail> {
                const KEYS: &[&[u8]] = &[$($json.as_bytes()),*];
                // Each key as it usually appears: quoted, with its colon.
                const MEMBERS: &[&[u8]] = &[$(concat!("\"", $json, "\":").as_bytes()),*];
                #[allow(non_camel_case_types, dead_code)]
                #[derive(Clone, Copy)]
                enum Field { $($field),* }
                const BY_INDEX: &[Field] = &[$(Field::$field),*];
                // The server sends fields in a stable order: the key after
                // the last one found is tried first, in place.
                let index = match MEMBERS.get(state.hint) {
                    Some(member) if cx.lx.member(member) => state.hint,
                    _ => {
                        let key = cx.key::<P>()?;
                        match KEYS.iter().position(|k| $crate::lex::eq_short(k, key.as_bytes())) {
                            Some(i) => i,
                            None => return state.unknown::<P>(cx, key),
                        }
                    }
                };
                state.hint = index + 1;
                let bit = 1u64 << index;
                if state.seen & bit != 0 {
                    let raw = cx.duplicate::<P>()?;
                    state.push(cx, KEYS_TEXT[index], raw);
                    return Ok(());
                }
                const KEYS_TEXT: &[&str] = &[$($json),*];
                // A field counts as sent once it has a value: `null` is read
                // as absent, wherever it comes, so it is never a duplicate.
                let sent = match BY_INDEX[index] {
                    $(Field::$field => match cx.field::<$ty, P>(&mut self.$field)? {
                        Some(raw) => {
                            state.push(cx, $json, raw);
                            true
                        }
                        None => self.$field.is_some(),
                    },)*
                };
                if sent {
                    state.seen |= bit;
                }
                Ok(())
            }
        }

        impl $crate::encode::WriteJson for $name<'_> {
            fn write_json(&self, out: &mut Vec<u8>) {
                let mut object = $crate::encode::Object::open(out);
                $(
                    if let Some(v) = &self.$field {
                        object.known($json, v);
                    }
                )*
                object.extra(self.extra);
                object.close();
            }
        }

        impl serde::Serialize for $name<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let len = 0 $( + usize::from(self.$field.is_some()) )* + self.extra.len();
                let mut map = s.serialize_map(Some(len))?;
                $(
                    if let Some(v) = &self.$field {
                        map.serialize_entry($json, v)?;
                    }
                )*
                for (k, v) in self.extra.iter() {
                    map.serialize_entry(k, &v)?;
                }
                map.end()
            }
        }

        impl $crate::drift::FindDrift for $name<'_> {
            fn find_drift(&self, path: &mut String, out: &mut Vec<$crate::drift::Drift>) {
                $(
                    if let Some(v) = &self.$field {
                        let len = path.len();
                        $crate::path::push_key(path, $json);
                        $crate::drift::FindDrift::find_drift(v, path, out);
                        path.truncate(len);
                    }
                )*
                $crate::drift::extra_drift(self.extra, Self::FIELDS, path, out);
            }
        }

        impl<'a> $crate::schema::Described for $name<'a> {
            const SHAPE: $crate::schema::Shape = $crate::schema::Shape::Object(&$crate::schema::ObjectShape {
                name: stringify!($name),
                doc: concat!($($doc),*),
                fields: &[$(
                    $crate::schema::FieldShape {
                        json: $json,
                        doc: concat!($($fdoc),*),
                        shape: &<$ty as $crate::schema::Described>::SHAPE,
                    },
                )*],
            });
        }
    };
    (@counted) => { false };
    (@counted counted) => { true };
}
