//! The fields of one object of an answer, taken one by one by the generated response types.
//!
//! A generated `Deserialize` impl reads the object into [`Fields`] and takes each field by its
//! wire name, decoded leniently ([`super::lenient`]), or through a helper for what a type alone
//! cannot say (a time in milliseconds, an EUI, a list in a wrapper object). This keeps the
//! generated code to one line a field, compiled only for the answers an application decodes.

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::lenient::{self, Lenient};

/// An object of an answer, its fields not taken yet.
pub(crate) struct Fields(Map<String, Value>);

/// A field that could not be decoded, named.
#[derive(Debug, thiserror::Error)]
#[error("field `{field}`: {source}")]
pub(crate) struct FieldError {
    field: &'static str,
    source: serde_json::Error,
}

/// The name under which [`Lenient`] hands an object to [`Fields`] whole, instead of entry by
/// entry (the same kind of private name `serde_json::value::RawValue` uses).
pub(super) const HANDOFF_NAME: &str = "$alibaba_openapi::decode::Fields";

thread_local! {
    /// The object [`Lenient`] hands over: set just before it calls the visitor's `visit_unit`,
    /// taken at once by that visitor, on the same thread.
    pub(super) static HANDOFF: std::cell::RefCell<Option<Map<String, Value>>> =
        const { std::cell::RefCell::new(None) };
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;

        impl<'de> de::Visitor<'de> for FieldsVisitor {
            type Value = Fields;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }

            // From `Lenient`: the object itself, without rebuilding it.
            fn visit_unit<E: de::Error>(self) -> Result<Fields, E> {
                HANDOFF
                    .with(|slot| slot.borrow_mut().take())
                    .map(Fields)
                    .ok_or_else(|| E::custom("expected an object"))
            }

            // From any other deserializer: entry by entry.
            fn visit_map<A: de::MapAccess<'de>>(self, mut access: A) -> Result<Fields, A::Error> {
                let mut map = Map::new();
                while let Some((key, value)) = access.next_entry::<String, Value>()? {
                    map.insert(key, value);
                }
                Ok(Fields(map))
            }
        }

        d.deserialize_struct(HANDOFF_NAME, &[], FieldsVisitor)
    }
}

impl Fields {
    /// Reads an object, then builds `T` from its fields with `build`.
    #[inline]
    pub(crate) fn decode<'de, D, T>(
        d: D,
        build: impl FnOnce(&mut Fields) -> Result<T, FieldError>,
    ) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
    {
        let mut fields = Fields::deserialize(d)?;
        build(&mut fields).map_err(de::Error::custom)
    }

    fn value(&mut self, field: &'static str) -> Value {
        self.0.remove(field).unwrap_or(Value::Null)
    }

    /// An optional field: absent, null or an empty string is `None`.
    #[inline]
    pub(crate) fn opt<T: DeserializeOwned>(
        &mut self,
        field: &'static str,
    ) -> Result<Option<T>, FieldError> {
        let value = self.value(field);
        lenient::from_value(value).map_err(|source| FieldError { field, source })
    }

    /// A field the service always sends.
    #[inline]
    pub(crate) fn req<T: DeserializeOwned>(
        &mut self,
        field: &'static str,
    ) -> Result<T, FieldError> {
        match self.0.remove(field) {
            Some(value) => {
                lenient::from_value(value).map_err(|source| FieldError { field, source })
            }
            None => Err(FieldError {
                field,
                source: de::Error::custom("missing"),
            }),
        }
    }

    /// A field read by one of the helpers of [`super`] (absent is read as null).
    #[inline]
    pub(crate) fn with<T>(
        &mut self,
        field: &'static str,
        helper: fn(Lenient) -> Result<T, serde_json::Error>,
    ) -> Result<T, FieldError> {
        let value = self.value(field);
        helper(Lenient(value)).map_err(|source| FieldError { field, source })
    }
}
