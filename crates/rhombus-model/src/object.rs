//! The `json_object!` macro: a response object whose fields are all optional
//! and whose unknown fields are kept.
//!
//! Written by hand rather than with `#[derive(Deserialize)]` + `#[serde(flatten)]`
//! because flatten buffers every value (losing borrows and raw JSON) and is slow.

/// Defines a struct with one `Option` field per JSON key plus `extra: Extra`,
/// and its `Deserialize`, `Serialize`, `WriteJson`, `IntoOwned` and `FindDrift` impls.
///
/// With `+ arena Name` after the struct's name, it also defines `Name`, the
/// struct's form in [`crate::arena`] (see `arena_object!`).
macro_rules! json_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident<'a> + arena $arena:ident {
            $( $(#[$fmeta:meta])* $json:literal => $field:ident : $ty:ty, )*
        }
    ) => {
        json_object! {
            $(#[$meta])*
            pub struct $name<'a> {
                $( $(#[$fmeta])* $json => $field : $ty, )*
            }
        }
        arena_object! {
            $(#[$meta])*
            pub struct $arena<'a> for $name {
                $( $(#[$fmeta])* $json => $field : $ty, )*
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident<'a> {
            $( $(#[$fmeta:meta])* $json:literal => $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name<'a> {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// Fields this version does not know, kept as raw JSON.
            pub extra: $crate::raw::Extra<'a>,
        }

        impl $name<'_> {
            /// The JSON keys this type knows, in the spec's order.
            pub const FIELDS: &'static [&'static str] = &[$($json),*];
        }

        impl<'de: 'a, 'a> serde::Deserialize<'de> for $name<'a> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct ObjectVisitor<'a>(std::marker::PhantomData<$name<'a>>);
                impl<'de: 'a, 'a> serde::de::Visitor<'de> for ObjectVisitor<'a> {
                    type Value = $name<'a>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<Self::Value, A::Error> {
                        let mut out = $name::default();
                        while let Some(key) = map.next_key::<$crate::text::Str<'de>>()? {
                            match key.as_str() {
                                $( $json => out.$field = map.next_value()?, )*
                                _ => {
                                    let value = map.next_value()?;
                                    out.extra.push(key, value);
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(ObjectVisitor(std::marker::PhantomData))
            }
        }

        fast_object!($name { $( $json => $field, )* });

        object_output!($name { $( $json => $field, )* });
        object_drift!($name { $( $json => $field, )* });

        impl $crate::owned::IntoOwned for $name<'_> {
            type Owned = $name<'static>;
            fn into_owned(self) -> $name<'static> {
                $name {
                    $( $field: $crate::owned::IntoOwned::into_owned(self.$field), )*
                    extra: $crate::owned::IntoOwned::into_owned(self.extra),
                }
            }
        }

    };
}

/// `FindDrift` for an object type of either form (model or arena): the
/// drift under each known field, then the unknown fields.
macro_rules! object_drift {
    ($name:ident { $( $json:literal => $field:ident, )* }) => {
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
                $crate::drift::FindDrift::find_drift(&self.extra, path, out);
            }
        }
    };
}

/// `Serialize` and `WriteJson` for an object type of either form (model or
/// arena): known fields in the spec's order, then the unknown ones.
macro_rules! object_output {
    ($name:ident { $( $json:literal => $field:ident, )* }) => {
        impl serde::Serialize for $name<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let extra = self.extra.fields();
                let len = 0 $( + usize::from(self.$field.is_some()) )* + extra.len();
                let mut map = s.serialize_map(Some(len))?;
                $(
                    if let Some(v) = &self.$field {
                        map.serialize_entry($json, v)?;
                    }
                )*
                for (k, v) in extra {
                    map.serialize_entry(k, v)?;
                }
                map.end()
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
                object.extra(self.extra.fields());
                object.close();
            }
        }
    };
}
