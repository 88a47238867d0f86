//! A yes/no column as the database hands it back. The schema keeps flags as integers 0/1 on both
//! backends (one SQL text for both), and `sqlx::Any` decodes a Rust `bool` only from a boolean
//! value: a `FromRow` field that is a flag reads through `Flag` (`#[sqlx(try_from = "Flag")]`),
//! which takes an integer (a flag column, `COUNT(*) > 0` on SQLite) or a boolean (`EXISTS (…)`,
//! a comparison on PostgreSQL). Written back, a flag is the integer 0 or 1.

use sqlx::any::{Any, AnyTypeInfo, AnyTypeInfoKind, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Decode, Encode, Type, ValueRef};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }
    fn compatible(ty: &AnyTypeInfo) -> bool {
        ty.kind().is_integer() || ty.kind() == AnyTypeInfoKind::Bool
    }
}

impl<'q> Encode<'q, Any> for Flag {
    fn encode_by_ref(&self, buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<'q, Any>>::encode(i64::from(self.0), buf)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.type_info().kind() == AnyTypeInfoKind::Bool {
            return <bool as Decode<'r, Any>>::decode(value).map(Flag);
        }
        <i64 as Decode<'r, Any>>::decode(value).map(|n| Flag(n != 0))
    }
}
