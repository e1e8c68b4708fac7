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

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::deserialize(d).map(Fields)
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
