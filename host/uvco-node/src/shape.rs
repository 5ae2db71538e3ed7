//! Result objects with a fixed set of properties, made as fast as JS makes them.
//!
//! Setting properties one by one through Node-API (what napi-rs's `#[napi(object)]` does) goes
//! through V8's generic store path for every property, and napi-rs allocates a C string for
//! every name: for a 7-field `stat` result that was more than half of all the instructions an
//! operation cost (callgrind, Node 20). A [`Shape`] instead compiles, once per environment, a
//! JS function that returns an object literal, `(a, b) => ({ "size": a, "mode": b })`, and
//! calls it with the values: V8 then builds the object from its literal boilerplate, with the
//! final hidden class up front, as for an object made in JS. The object is an ordinary one
//! (its prototype is `Object.prototype`), indistinguishable from a literal.

use std::fmt::Write as _;
use std::ptr;

use napi::{check_status, sys, Status};

use crate::runtime::with_env;

/// The property names of a kind of result object, in order.
///
/// ```ignore
/// static STAT: uvco_node::Shape = uvco_node::Shape::new(&["size", "isFile"]);
///
/// impl napi::bindgen_prelude::ToNapiValue for Stat {
///     unsafe fn to_napi_value(env: napi::sys::napi_env, v: Self) -> napi::Result<napi::sys::napi_value> {
///         // SAFETY: napi-rs calls this on env's thread, inside a handle scope.
///         unsafe {
///             STAT.object(env, &[f64::to_napi_value(env, v.size)?, bool::to_napi_value(env, v.is_file)?])
///         }
///     }
/// }
/// ```
pub struct Shape {
    names: &'static [&'static str],
}

impl Shape {
    /// A shape with these property names (JS strings; any text, not only identifiers).
    pub const fn new(names: &'static [&'static str]) -> Shape {
        Shape { names }
    }

    /// A new object with this shape's properties set to `values`, in order.
    ///
    /// # Safety
    /// On `env`'s thread, inside a handle scope of it; `values` are live values of that scope.
    pub unsafe fn object(
        &'static self,
        env: sys::napi_env,
        values: &[sys::napi_value],
    ) -> napi::Result<sys::napi_value> {
        if values.len() != self.names.len() {
            return Err(napi::Error::new(
                Status::InvalidArg,
                format!(
                    "uvco_node::Shape: {} values for {} properties",
                    values.len(),
                    self.names.len()
                ),
            ));
        }
        // SAFETY: the caller's contract.
        let Some(factory) = (unsafe { self.factory(env)? }) else {
            // SAFETY: the caller's contract.
            return unsafe { self.object_by_properties(env, values) };
        };
        let mut undefined = ptr::null_mut();
        let mut object = ptr::null_mut();
        // SAFETY: `factory` is a function of env's, called with as many live values as it
        // declares parameters.
        unsafe {
            check_status!(sys::napi_get_undefined(env, &mut undefined))?;
            check_status!(sys::napi_call_function(
                env,
                undefined,
                factory,
                values.len(),
                values.as_ptr(),
                &mut object,
            ))?;
        }
        Ok(object)
    }

    /// `env`'s factory function for this shape, compiled on first use and kept with the
    /// environment's runtime; `None` where uvco has no runtime on `env` yet (nothing to keep
    /// it with), and then the object is made property by property.
    ///
    /// # Safety
    /// As for [`Shape::object`].
    unsafe fn factory(&'static self, env: sys::napi_env) -> napi::Result<Option<sys::napi_value>> {
        let me: *const Shape = self;
        let found = with_env(env, |state| {
            let shapes = state.shapes.borrow();
            shapes.iter().find(|(s, _)| *s == me).map(|(_, r)| *r)
        });
        let mut function = ptr::null_mut();
        match found {
            None => Ok(None),
            Some(Some(reference)) => {
                // SAFETY: a strong reference made below for this env, deleted only by the
                // env's cleanup.
                check_status!(unsafe {
                    sys::napi_get_reference_value(env, reference, &mut function)
                })?;
                Ok(Some(function))
            }
            Some(None) => {
                let mut reference = ptr::null_mut();
                // SAFETY: the caller's contract.
                unsafe {
                    function = compile(env, &self.source())?;
                    check_status!(sys::napi_create_reference(env, function, 1, &mut reference))?;
                }
                with_env(env, |state| state.shapes.borrow_mut().push((me, reference)));
                Ok(Some(function))
            }
        }
    }

    /// The slow way, without a factory: one property at a time.
    ///
    /// # Safety
    /// As for [`Shape::object`].
    unsafe fn object_by_properties(
        &self,
        env: sys::napi_env,
        values: &[sys::napi_value],
    ) -> napi::Result<sys::napi_value> {
        let mut object = ptr::null_mut();
        // SAFETY: the caller's contract; each name is valid UTF-8 of its length.
        unsafe {
            check_status!(sys::napi_create_object(env, &mut object))?;
            for (name, value) in self.names.iter().zip(values) {
                let mut key = ptr::null_mut();
                check_status!(sys::napi_create_string_utf8(
                    env,
                    name.as_ptr().cast(),
                    name.len(),
                    &mut key
                ))?;
                check_status!(sys::napi_set_property(env, object, key, *value))?;
            }
        }
        Ok(object)
    }

    /// `(function (v0, v1) { return { "a": v0, "b": v1 }; })`, names as JSON strings.
    fn source(&self) -> String {
        let mut src = String::from("(function (");
        for i in 0..self.names.len() {
            let _ = write!(src, "{}v{i}", if i == 0 { "" } else { ", " });
        }
        src.push_str(") { return {");
        for (i, name) in self.names.iter().enumerate() {
            src.push_str(if i == 0 { " " } else { ", " });
            json_string(&mut src, name);
            let _ = write!(src, ": v{i}");
        }
        src.push_str(" }; })");
        src
    }
}

/// Compiles `source`, a JS function expression, in `env`.
///
/// # Safety
/// On `env`'s thread, inside a handle scope of it; running `source` must have no effect but
/// making the function.
pub(crate) unsafe fn compile(env: sys::napi_env, source: &str) -> napi::Result<sys::napi_value> {
    let mut script = ptr::null_mut();
    let mut function = ptr::null_mut();
    // SAFETY: the caller's contract; `source` is valid UTF-8 of its length.
    unsafe {
        check_status!(sys::napi_create_string_utf8(
            env,
            source.as_ptr().cast(),
            source.len(),
            &mut script,
        ))?;
        check_status!(sys::napi_run_script(env, script, &mut function))?;
    }
    Ok(function)
}

/// `s` as a JS string literal.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_quotes_every_name() {
        static S: Shape = Shape::new(&["size", "a\"b", "back\\slash", "line\nbreak"]);
        assert_eq!(
            S.source(),
            r#"(function (v0, v1, v2, v3) { return { "size": v0, "a\"b": v1, "back\\slash": v2, "line\u000abreak": v3 }; })"#
        );
    }
}
