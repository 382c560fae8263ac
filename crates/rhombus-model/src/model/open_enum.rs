//! The `open_enum!` macro: enums from the API that keep values this version does not know.

/// Defines an open enum: one variant per documented value plus `Other(&str)`,
/// which keeps unrecognised text (borrowed) so it stays visible and round-trips.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name<'a> {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, exactly as the server sent it.
            Other(&'a str),
        }

        impl<'a> $name<'a> {
            /// Every documented value, in the spec's order.
            pub const KNOWN: &'static [$name<'static>] = &[$($name::$variant),+];

            /// Every documented value's text, in the spec's order.
            pub const TEXTS: &'static [&'static str] = &[$($text),+];

            /// The value as the API spells it.
            pub fn as_str(&self) -> &'a str {
                match self {
                    $name::Other(s) => s,
                    known => known.static_str().unwrap_or_default(),
                }
            }

            /// A documented value's text (`None` for `Other`).
            pub(crate) fn static_str(&self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => Some($text), )+
                    $name::Other(_) => None,
                }
            }

            /// Whether this is a value the spec does not document.
            pub fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }

            /// Parses API text; unknown text becomes `Other` (never fails).
            pub fn parse(text: &'a str) -> Self {
                match text {
                    $( $text => $name::$variant, )+
                    _ => $name::Other(text),
                }
            }
        }

        impl<'a> From<&'a str> for $name<'a> {
            fn from(s: &'a str) -> Self {
                $name::parse(s)
            }
        }

        impl std::fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::drift::FindDrift for $name<'_> {
            fn find_drift(&self, path: &mut String, out: &mut Vec<$crate::drift::Drift>) {
                if let $name::Other(s) = self {
                    $crate::drift::enum_drift(Some(s), path, out);
                }
            }
        }

        impl serde::Serialize for $name<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
