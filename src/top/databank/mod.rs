//! Data Bank (`alibaba.databank.*`): data-authorization applications.
//!
//! | method | request | answer |
//! |---|---|---|
//! | `alibaba.databank.open.auth.apply` | [`OpenAuthApply`] | [`OpenAuthApplyResponse`] |

mod auth_apply;

pub use auth_apply::{
    AuthApplyResult, AuthResult, AuthStatus, DataAuthApplyParam, DataAuthApplyParamBuilder,
    DataBankOpenContext, DataBankOpenContextBuilder, OpenAuthApply, OpenAuthApplyBuilder,
    OpenAuthApplyResponse,
};
