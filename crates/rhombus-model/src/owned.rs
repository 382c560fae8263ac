//! Conversion of borrowed model values into their `'static` form.

/// Detaches a value from the buffer it was decoded from.
///
/// Every model type implements it; `value.into_owned()` copies whatever was
/// borrowed so the result outlives the input bytes.
pub trait IntoOwned {
    /// The same type with every borrow replaced by owned data.
    type Owned: 'static;
    /// Copies borrowed data into owned storage.
    fn into_owned(self) -> Self::Owned;
}

macro_rules! plain_owned {
    ($($t:ty),*) => {$(
        impl IntoOwned for $t {
            type Owned = $t;
            #[inline]
            fn into_owned(self) -> $t { self }
        }
    )*};
}
plain_owned!(bool, i32, i64, u64, f64);

impl<T: IntoOwned> IntoOwned for Option<T> {
    type Owned = Option<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.map(IntoOwned::into_owned)
    }
}

impl<T: IntoOwned> IntoOwned for Vec<T> {
    type Owned = Vec<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.into_iter().map(IntoOwned::into_owned).collect()
    }
}
