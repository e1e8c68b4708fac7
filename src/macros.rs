//! Declarative macros for the two kinds of enumerated wire strings: response values
//! (`string_enum!`) and error codes (`error_codes!`, `aliyun_error_codes!`).

/// An enumerated string value of a response, with an `Unknown(String)` fallback so that a new
/// server value never breaks decoding.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know, as the service sent it.
            Unknown(String),
        }

        impl $name {
            /// The wire string of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(s) => s,
                }
            }

            /// Maps a wire string to its variant, or to `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )*
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::decode::lenient_string(d).map(|s| $name::from_wire(&s))
            }
        }

        /// The wire string, so that a value can be given where a parameter takes a string.
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }
    };
}

/// A product's error-code enum implementing [`crate::ErrorCode`], with an `Other(String)`
/// fallback. Each variant's doc is the service's documented meaning.
macro_rules! error_codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
        throttling = [$($throttle:ident),*];
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A code this version of the crate does not know, as the service sent it.
            Other(String),
        }

        impl $crate::ErrorCode for $name {
            fn from_wire(code: &str) -> Self {
                match code {
                    $( $wire => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }

            fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Other(s) => s,
                }
            }

            fn is_throttling(&self) -> bool {
                matches!(self, $( $name::$throttle )|*)
            }
        }

        impl $name {
            /// The wire string of this code.
            pub fn as_str(&self) -> &str {
                <Self as $crate::ErrorCode>::as_str(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// An Alibaba Cloud product's error codes: the product's own, followed by the gateway codes
/// common to every product (they must not be repeated in the product's list).
macro_rules! aliyun_error_codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        error_codes! {
            $(#[$meta])*
            pub enum $name {
                $( $(#[$vmeta])* $variant = $wire, )*
                /// `Throttling`: too many requests; retry after a pause.
                Throttling = "Throttling",
                /// `Throttling.User`: the account's request rate is over its limit.
                ThrottlingUser = "Throttling.User",
                /// `Throttling.Api`: the API's request rate is over its limit.
                ThrottlingApi = "Throttling.Api",
                /// `ServiceUnavailable` (HTTP 503): the service is temporarily unavailable.
                ServiceUnavailable = "ServiceUnavailable",
                /// `InternalError`: the request failed because of an unknown server-side error.
                InternalError = "InternalError",
                /// `SignatureDoesNotMatch`: the signature does not match the server's calculation.
                SignatureDoesNotMatch = "SignatureDoesNotMatch",
                /// `IncompleteSignature`: the signature parameters are incomplete.
                IncompleteSignature = "IncompleteSignature",
                /// `InvalidAccessKeyId.NotFound`: the AccessKey ID does not exist.
                InvalidAccessKeyIdNotFound = "InvalidAccessKeyId.NotFound",
                /// `InvalidAccessKeyId.Inactive`: the AccessKey is disabled.
                InvalidAccessKeyIdInactive = "InvalidAccessKeyId.Inactive",
                /// `InvalidTimeStamp.Expired`: the timestamp is outside the allowed window (clock skew).
                InvalidTimeStampExpired = "InvalidTimeStamp.Expired",
                /// `IllegalTimestamp`: the timestamp is malformed or out of range.
                IllegalTimestamp = "IllegalTimestamp",
                /// `SignatureNonceUsed`: the signature nonce was used before.
                SignatureNonceUsed = "SignatureNonceUsed",
                /// `MissingParameter`: a required parameter is missing.
                MissingParameter = "MissingParameter",
                /// `InvalidParameter`: a parameter is invalid.
                InvalidParameter = "InvalidParameter",
                /// `Forbidden.RAM`: the RAM user is not authorized.
                ForbiddenRam = "Forbidden.RAM",
                /// `InvalidSecurityToken.Expired`: the STS token has expired.
                InvalidSecurityTokenExpired = "InvalidSecurityToken.Expired",
                /// `InvalidVersion`: the API version does not exist.
                InvalidVersion = "InvalidVersion",
                /// `InvalidAction.NotFound`: the action does not exist.
                InvalidActionNotFound = "InvalidAction.NotFound",
            }
            throttling = [Throttling, ThrottlingUser, ThrottlingApi];
        }
    };
}
