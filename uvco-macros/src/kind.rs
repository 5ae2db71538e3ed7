//! What the macro itself knows of libuv's names: which parameter types are callbacks, and
//! which are libuv types at all. Request kinds are the runtime's (`uvco::kind`): the expansion
//! maps a declaration's request type to its kind through `uvco::kind::Request`, and its name
//! to what it produces through `uvco::kind::fns`, so that no table here can disagree with it.

/// Where the request types are listed, for the macro's own messages about a request
/// parameter that isn't one at all.
pub(crate) const REQUESTS: &str = "those `uvco::kind::Request` lists";

/// Whether a parameter of type `ty` (the last segment of its path) is a callback: libuv names
/// every callback type `uv_<what>_cb`.
pub(crate) fn is_callback_type(ty: &str) -> bool {
    ty.ends_with("_cb")
}

/// Whether `ty` (the last segment of a pointer's target) is one of libuv's structs,
/// `uv_<what>_t`: the first such pointer (after the loop) is the request, in libuv's order.
pub(crate) fn is_uv_type(ty: &str) -> bool {
    ty.starts_with("uv_") && ty.ends_with("_t") && ty != "uv_buf_t"
}
