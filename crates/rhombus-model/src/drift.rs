//! Schema drift: what a response holds that this version of the model does not know.

use crate::Extra;
use crate::model::containers::{Item, List, Map};
use crate::model::ids::{DeviceFacetUuid, Ruuid};
use crate::model::leaves::{Float, RawJson};
use crate::path::{push_index, push_key};

/// One thing the server sent that the spec this crate follows does not name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    /// JSON path of the field or value, e.g. `splicedClips[0].parentClipUuid`.
    pub path: String,
    /// What is unknown there.
    pub kind: DriftKind,
}

/// The kind of a [`Drift`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DriftKind {
    /// A field the spec does not have (kept in the object's `extra`).
    UnknownField,
    /// An enum value the spec does not list (kept as `Other`).
    UnknownValue(String),
    /// A known field whose value did not fit its type (kept raw in `extra`).
    Retyped,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            DriftKind::UnknownField => write!(f, "unknown field at {}", self.path),
            DriftKind::UnknownValue(v) => write!(f, "unknown value {v:?} at {}", self.path),
            DriftKind::Retyped => write!(f, "value of another type at {}", self.path),
        }
    }
}

/// Walks a decoded value and reports its [`Drift`].
pub trait FindDrift {
    /// Appends the drift found under `path` to `out`.
    fn find_drift(&self, path: &mut String, out: &mut Vec<Drift>);

    /// Every unknown field and enum value, with its path.
    fn drift(&self) -> Vec<Drift> {
        let mut out = Vec::new();
        self.find_drift(&mut String::new(), &mut out);
        out
    }
}

macro_rules! no_drift {
    ($($t:ty),*) => {$(
        impl FindDrift for $t {
            #[inline]
            fn find_drift(&self, _: &mut String, _: &mut Vec<Drift>) {}
        }
    )*};
}
no_drift!(
    bool,
    i32,
    i64,
    &str,
    Float<'_>,
    RawJson<'_>,
    Ruuid<'_>,
    DeviceFacetUuid<'_>
);

impl<T: FindDrift> FindDrift for Option<T> {
    fn find_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        if let Some(v) = self {
            v.find_drift(path, out);
        }
    }
}

impl<T: FindDrift> FindDrift for Item<'_, T> {
    fn find_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        match self {
            Item::Value(v) => v.find_drift(path, out),
            Item::Null => {}
            Item::Raw(_) => out.push(Drift {
                path: path.clone(),
                kind: DriftKind::Retyped,
            }),
        }
    }
}

impl<T: FindDrift> FindDrift for List<'_, T> {
    fn find_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        for (i, v) in self.items().iter().enumerate() {
            let len = path.len();
            push_index(path, i);
            v.find_drift(path, out);
            path.truncate(len);
        }
    }
}

impl<K: AsRef<str>, V: FindDrift> FindDrift for Map<'_, K, V> {
    fn find_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        for (k, v) in self.entries() {
            under_key(path, k.as_ref(), |path| v.find_drift(path, out));
        }
    }
}

/// An object's raw fields: unknown fields, and known ones kept raw.
pub(crate) fn extra_drift(
    extra: Extra<'_>,
    known: &[&str],
    path: &mut String,
    out: &mut Vec<Drift>,
) {
    for (k, _) in extra.iter() {
        let kind = if known.contains(&k) {
            DriftKind::Retyped
        } else {
            DriftKind::UnknownField
        };
        under_key(path, k, |path| {
            out.push(Drift {
                path: path.clone(),
                kind,
            });
        });
    }
}

/// Runs `f` with `key` pushed onto `path`, then takes it off again.
fn under_key(path: &mut String, key: &str, f: impl FnOnce(&mut String)) {
    let len = path.len();
    push_key(path, key);
    f(path);
    path.truncate(len);
}

/// Reports an open enum's `Other` value.
pub(crate) fn enum_drift(value: Option<&str>, path: &str, out: &mut Vec<Drift>) {
    if let Some(v) = value {
        out.push(Drift {
            path: path.to_owned(),
            kind: DriftKind::UnknownValue(v.to_owned()),
        });
    }
}
