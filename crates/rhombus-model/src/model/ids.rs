//! Rhombus identifiers: [`Ruuid`] and [`DeviceFacetUuid`].
//!
//! Both keep the text exactly as the server sent it and never reject it at
//! decode time. The views are accessors: [`Ruuid::to_bytes`] and
//! [`DeviceFacetUuid::device_bytes`] say `None` when the uuid is not 22 url-safe
//! base64 characters, [`DeviceFacetUuid::facet`] when there is no facet after a
//! `.`, and [`DeviceFacetUuid::is_video`] / [`DeviceFacetUuid::is_audio`]
//! `false` unless the facet is `v` or `a` and digits.

use std::fmt;

use serde::{Serialize, Serializer};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name<'a>(&'a str);

        impl<'a> $name<'a> {
            /// The id exactly as sent.
            pub fn as_str(&self) -> &'a str {
                self.0
            }
        }

        impl AsRef<str> for $name<'_> {
            fn as_ref(&self) -> &str {
                self.0
            }
        }

        impl<'a> From<&'a str> for $name<'a> {
            fn from(s: &'a str) -> Self {
                $name(s)
            }
        }

        impl PartialEq<str> for $name<'_> {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name<'_> {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self.0, f)
            }
        }

        impl fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }

        impl Serialize for $name<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.0)
            }
        }
    };
}

id_type!(
    /// A Rhombus uuid: 22 characters of url-safe base64 (`AAAAAAAAAAAAAAAAAAAAAA`).
    Ruuid
);

id_type!(
    /// A device id with an optional facet: `RUUID` or `RUUID.v0` (video), `RUUID.a0` (audio).
    DeviceFacetUuid
);

impl Ruuid<'_> {
    /// The 16 uuid bytes, or `None` when the text is not 22 url-safe base64 characters.
    pub fn to_bytes(&self) -> Option<[u8; 16]> {
        decode_ruuid(self.as_str())
    }
}

impl<'a> DeviceFacetUuid<'a> {
    /// The device part, before the first `.`.
    pub fn device(&self) -> &'a str {
        let s = self.as_str();
        s.split_once('.').map_or(s, |(device, _)| device)
    }

    /// The facet part after the first `.` (`v0`, `a0`); `None` when there is
    /// no `.` or nothing after it.
    pub fn facet(&self) -> Option<&'a str> {
        let (_, facet) = self.as_str().split_once('.')?;
        (!facet.is_empty()).then_some(facet)
    }

    /// The device's 16 uuid bytes, or `None` when the device part is not a valid RUUID.
    pub fn device_bytes(&self) -> Option<[u8; 16]> {
        decode_ruuid(self.device())
    }

    /// Whether this is a video facet (`.v<N>`, `N` digits).
    pub fn is_video(&self) -> bool {
        self.facet_is('v')
    }

    /// Whether this is an audio facet (`.a<N>`, `N` digits).
    pub fn is_audio(&self) -> bool {
        self.facet_is('a')
    }

    /// Whether the facet is `kind` followed by one or more digits.
    fn facet_is(&self, kind: char) -> bool {
        let number = self.facet().and_then(|f| f.strip_prefix(kind));
        number.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// Decodes 22 url-safe base64 characters (no padding) into 16 bytes.
fn decode_ruuid(text: &str) -> Option<[u8; 16]> {
    let bytes = text.as_bytes();
    if bytes.len() != 22 {
        return None;
    }
    let (last, head) = bytes.split_last()?;
    let mut acc: u128 = 0;
    for &c in head {
        acc = (acc << 6) | u128::from(sextet(c)?);
    }
    // 21 * 6 = 126 bits; the last character adds 2 more, and its low 4 bits are padding.
    let last = sextet(*last)?;
    if last & 0xF != 0 {
        return None;
    }
    Some(((acc << 2) | u128::from(last >> 4)).to_be_bytes())
}

fn sextet(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruuid_decodes_to_bytes() {
        assert_eq!(
            Ruuid::from("AAAAAAAAAAAAAAAAAAAAAA").to_bytes(),
            Some([0; 16])
        );
        assert_eq!(
            Ruuid::from("_____________________w").to_bytes(),
            Some([0xFF; 16])
        );
        let mut one = [0u8; 16];
        one[15] = 1;
        assert_eq!(Ruuid::from("AAAAAAAAAAAAAAAAAAAAAQ").to_bytes(), Some(one));
    }

    #[test]
    fn malformed_ruuid_is_kept_but_has_no_bytes() {
        for bad in [
            "",
            "short",
            "AAAAAAAAAAAAAAAAAAAAA+",
            "AAAAAAAAAAAAAAAAAAAAAB",
            "AAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            let id = Ruuid::from(bad);
            assert_eq!(id.as_str(), bad);
            assert_eq!(id.to_bytes(), None, "{bad}");
        }
    }

    #[test]
    fn facet_parts() {
        let id = DeviceFacetUuid::from("AAAAAAAAAAAAAAAAAAAAAA.v0");
        assert_eq!(id.device(), "AAAAAAAAAAAAAAAAAAAAAA");
        assert_eq!(id.facet(), Some("v0"));
        assert!(id.is_video() && !id.is_audio());
        assert_eq!(id.device_bytes(), Some([0; 16]));
        let bare = DeviceFacetUuid::from("AAAAAAAAAAAAAAAAAAAAAA");
        assert_eq!(bare.facet(), None);
        assert!(DeviceFacetUuid::from("x.a1").is_audio());
        assert!(DeviceFacetUuid::from("x.v12").is_video());
        for odd in [
            "", ".", "abc.", ".abc", "x.v", "x.a", "x.vx", "x.v1a", "x.é1", "é.v",
        ] {
            let id = DeviceFacetUuid::from(odd);
            assert!(!id.is_video() && !id.is_audio(), "{odd:?}");
            assert_ne!(id.facet(), Some(""), "{odd:?}");
            assert_eq!(id.device_bytes(), None, "{odd:?}");
        }
        assert_eq!(DeviceFacetUuid::from("x.v0.a1").facet(), Some("v0.a1"));
    }
}
