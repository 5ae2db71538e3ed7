//! Arguments from JS, checked the way Node's own functions check theirs: a value of the wrong
//! type throws a `TypeError` with code `ERR_INVALID_ARG_TYPE` (and a path with a NUL byte,
//! `ERR_INVALID_ARG_VALUE`), synchronously, before any operation starts.

use std::ptr;

use napi::{check_status, sys, Env, JsFunction, JsUnknown, NapiRaw, NapiValue, Status, ValueType};

/// Throws `TypeError [code]: message` and returns the error that tells napi-rs it is thrown.
fn throw(env: &Env, code: &str, message: &str) -> napi::Error {
    thrown(env.throw_type_error(message, Some(code)))
}

/// The error to return after a `throw_*` call: "already thrown", or why the throw failed.
fn thrown(throw: napi::Result<()>) -> napi::Error {
    match throw {
        Ok(()) => napi::Error::from_status(Status::PendingException),
        Err(err) => err,
    }
}

fn type_name(value: &JsUnknown) -> String {
    match value.get_type() {
        Ok(ValueType::Undefined) => "undefined".into(),
        Ok(ValueType::Null) => "null".into(),
        Ok(ValueType::Boolean) => "type boolean".into(),
        Ok(ValueType::Number) => "type number".into(),
        Ok(ValueType::String) => "type string".into(),
        Ok(ValueType::Symbol) => "type symbol".into(),
        Ok(ValueType::Object) => "an instance of Object".into(),
        Ok(ValueType::Function) => "function".into(),
        Ok(ValueType::BigInt) => "type bigint".into(),
        _ => "an unknown value".into(),
    }
}

/// A string argument called `name`.
pub fn string(env: &Env, value: JsUnknown, name: &str) -> napi::Result<String> {
    if value.get_type()? != ValueType::String {
        let message = format!(
            "The \"{name}\" argument must be of type string. Received {}",
            type_name(&value)
        );
        return Err(throw(env, "ERR_INVALID_ARG_TYPE", &message));
    }
    // SAFETY: checked to be a string just above; `env` is the call's.
    unsafe { utf8(env.raw(), value.raw()) }
}

/// The UTF-8 of a JS string, read straight into its one allocation (napi-rs's `into_utf8` and
/// `into_owned` make two).
///
/// # Safety
/// `value` is a string value of `env`, during a call on its thread.
unsafe fn utf8(env: sys::napi_env, value: sys::napi_value) -> napi::Result<String> {
    let mut len = 0;
    // SAFETY: a null buffer asks for the length only.
    check_status!(unsafe {
        sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut len)
    })?;
    let mut bytes = Vec::<u8>::with_capacity(len + 1);
    let mut written = 0;
    // SAFETY: the buffer has room for `len` bytes and the NUL napi writes after them.
    check_status!(unsafe {
        sys::napi_get_value_string_utf8(
            env,
            value,
            bytes.as_mut_ptr().cast(),
            len + 1,
            &mut written,
        )
    })?;
    // SAFETY: napi initialised `written <= len` bytes.
    unsafe { bytes.set_len(written) };
    // V8 writes lone surrogates as U+FFFD, so this holds; checked all the same.
    String::from_utf8(bytes).map_err(|e| napi::Error::new(Status::InvalidArg, e.to_string()))
}

/// A path argument: a string without NUL bytes.
pub fn path(env: &Env, value: JsUnknown, name: &str) -> napi::Result<String> {
    let path = string(env, value, name)?;
    if path.contains('\0') {
        let message =
            format!("The argument '{name}' must be a string without null bytes. Received {path:?}");
        return Err(throw(env, "ERR_INVALID_ARG_VALUE", &message));
    }
    Ok(path)
}

/// A number argument called `name`, finite and within `min..=max`.
pub fn number(env: &Env, value: JsUnknown, name: &str, min: f64, max: f64) -> napi::Result<f64> {
    if value.get_type()? != ValueType::Number {
        let message = format!(
            "The \"{name}\" argument must be of type number. Received {}",
            type_name(&value)
        );
        return Err(throw(env, "ERR_INVALID_ARG_TYPE", &message));
    }
    let n = value.coerce_to_number()?.get_double()?;
    if !(min..=max).contains(&n) {
        let message =
            format!("The value of \"{name}\" is out of range. It must be >= {min} and <= {max}. Received {n}");
        return Err(thrown(
            env.throw_range_error(&message, Some("ERR_OUT_OF_RANGE")),
        ));
    }
    Ok(n)
}

/// The callback argument: a function, which napi-rs doesn't check of a `JsFunction` it is
/// given an object or a symbol for (a primitive it refuses itself).
pub fn callback(env: &Env, callback: &JsFunction) -> napi::Result<()> {
    // SAFETY: a value of `env`, during the call it was passed to.
    let value = unsafe { JsUnknown::from_raw_unchecked(env.raw(), callback.raw()) };
    if value.get_type()? != ValueType::Function {
        let message = format!(
            "The \"callback\" argument must be of type function. Received {}",
            type_name(&value)
        );
        return Err(throw(env, "ERR_INVALID_ARG_TYPE", &message));
    }
    Ok(())
}
