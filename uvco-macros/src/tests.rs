//! Every error path of the macros: the message, and the source text the error points at.

use proc_macro2::{Group, TokenStream, TokenTree};

/// An error as the user sees it: its message and the tokens it underlines.
#[derive(Debug, PartialEq)]
struct Reported {
    message: String,
    at: String,
}

fn tokens(source: &str) -> TokenStream {
    source
        .parse()
        .unwrap_or_else(|error| panic!("{source}: {error}"))
}

/// Every error `syn::Error` carries, with the source text of its span.
fn reported(error: Option<syn::Error>) -> Vec<Reported> {
    error
        .into_iter()
        .flatten()
        .map(|error| Reported {
            message: error.to_string(),
            at: error.span().source_text().unwrap_or_default(),
        })
        .collect()
}

/// Expands `#[uv_awaitable(attr)] item`; returns the expansion as text and the errors.
fn awaitable_with(attr: &str, item: &str) -> (String, Vec<Reported>) {
    let (expansion, errors) = crate::awaitable::expand_with_errors(tokens(attr), tokens(item));
    (expansion.to_string(), reported(errors.into_error()))
}

/// The errors of `#[uv_awaitable] item`.
fn awaitable_errors(item: &str) -> Vec<Reported> {
    awaitable_with("", item).1
}

/// The errors of `#[uv_awaitable] unsafe extern "C" { functions }`.
fn errors_in_block(functions: &str) -> Vec<Reported> {
    awaitable_errors(&format!("unsafe extern \"C\" {{ {functions} }}"))
}

/// Asserts exactly one error, with a message containing `message`, underlining `at`.
#[track_caller]
fn assert_one(errors: Vec<Reported>, message: &str, at: &str) {
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    assert_error(&errors[0], message, at);
}

#[track_caller]
fn assert_error(error: &Reported, message: &str, at: &str) {
    assert!(
        error.message.contains(message),
        "expected {message:?} in {error:#?}"
    );
    assert_eq!(error.at, at, "wrong span for {error:#?}");
}

const STAT: &str = "fn uv_fs_stat(loop_: *mut uv_loop_t, req: *mut uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int;";

mod awaitable {
    use super::*;

    #[test]
    fn a_valid_block_has_no_errors() {
        let (expansion, errors) = awaitable_with("", &format!("unsafe extern \"C\" {{ {STAT} }}"));
        assert_eq!(errors, []);
        for expected in [
            "# [must_use = \"dropping this future cancels the request\"] struct UvFsStat < K = () >",
            "# [allow (dead_code)] impl UvFsStat {",
            "unsafe fn new (path : * const c_char) -> Self { Self (unsafe { :: uvco :: __private :: submit :: < Self > ((path ,)) }) }",
            "unsafe impl :: uvco :: Awaitable for UvFsStat { type Fn = :: uvco :: __private :: fns :: uv_fs_stat ; type Args = (* const c_char ,) ; type With < K > = UvFsStat < K > ;",
            "unsafe fn call (req : :: uvco :: __private :: ReqPtr < Self > , args : Self :: Args) -> c_int { use :: uvco :: __private :: * ; let (path ,) = args ; const { (is_request_of :: < uv_fs_t , Self > () , is_callback_of :: < uv_fs_cb , Self > ()) } ; unsafe { sys :: uv_fs_stat (current_loop () , req , path , Self :: CB) } }",
            "fn wrap < K > (op : :: uvco :: __private :: OpOf < Self , K >) -> UvFsStat < K > { UvFsStat (op) }",
            "impl < K : :: uvco :: __private :: Payload > :: core :: future :: Future for UvFsStat < K > { type Output = K :: Output < :: uvco :: __private :: fns :: uv_fs_stat > ;",
            "const LIBUV_FN : unsafe extern \"C\" fn (* mut uv_loop_t , * mut uv_fs_t , * const c_char , uv_fs_cb) -> c_int = :: uvco :: __private :: sys :: uv_fs_stat ;",
        ] {
            assert!(expansion.contains(expected), "{expected}\nnot in\n{expansion}");
        }
    }

    #[test]
    fn accepts_extern_without_unsafe_or_abi_name() {
        assert_eq!(awaitable_errors(&format!("extern \"C\" {{ {STAT} }}")), []);
        assert_eq!(awaitable_errors(&format!("unsafe extern {{ {STAT} }}")), []);
    }

    #[test]
    fn accepts_qualified_types_and_unsafe_fns() {
        let errors = errors_in_block(
            "unsafe fn uv_fs_stat(loop_: *mut sys::uv_loop_t, req: *mut sys::uv_fs_t, path: *const c_char, cb: sys::uv_fs_cb) -> ::std::os::raw::c_int;",
        );
        assert_eq!(errors, []);
    }

    #[test]
    fn kind_and_output_are_the_runtimes() {
        // The macro knows no kinds: any `uv_*_t` request goes to the runtime's `Request` trait
        // (on the declared type) and the name to its `fns` marker, whatever they are.
        for (request, callback) in [("uv_fs_t", "uv_fs_cb"), ("uv_made_up_t", "uv_made_up_cb")] {
            let (expansion, errors) = awaitable_with(
                "",
                &format!(
                    "extern \"C\" {{ fn uv_x(req: *mut {request}, data: *mut c_void, cb: {callback}) -> c_int; }}"
                ),
            );
            assert_eq!(errors, [], "{request}");
            assert!(expansion.contains("type Fn = :: uvco :: __private :: fns :: uv_x ;"));
            assert!(expansion.contains(&format!("is_request_of :: < {request} , Self > ()")));
            // The callback passed is the kind's; the declared one is checked against it.
            assert!(expansion.contains(&format!("is_callback_of :: < {callback} , Self > ()")));
            assert!(expansion.contains("Self :: CB"));
            assert!(expansion.contains("OpOf < UvX , K >"));
        }
    }

    #[test]
    fn the_last_callback_completes_and_earlier_ones_are_arguments() {
        let (expansion, errors) = awaitable_with(
            "",
            "extern \"C\" { fn uv_queue_work(loop_: *mut uv_loop_t, req: *mut uv_work_t, work_cb: uv_work_cb, after_work_cb: uv_after_work_cb) -> c_int; }",
        );
        assert_eq!(errors, []);
        assert!(
            expansion.contains("fn new (work_cb : uv_work_cb)"),
            "{expansion}"
        );
    }

    #[test]
    fn names_types_in_upper_camel_case() {
        let (expansion, errors) = awaitable_with(
            "",
            "extern \"C\" {
                fn uv_pipe_connect2(req: *mut uv_connect_t, handle: *mut uv_pipe_t, cb: uv_connect_cb) -> c_int;
                fn uv_getaddrinfo(loop_: *mut uv_loop_t, req: *mut uv_getaddrinfo_t, cb: uv_getaddrinfo_cb) -> c_int;
            }",
        );
        assert_eq!(errors, []);
        assert!(expansion.contains("struct UvPipeConnect2 <"));
        assert!(expansion.contains("struct UvGetaddrinfo <"));
    }

    #[test]
    fn a_name_without_a_type_name() {
        for (name, camel) in [
            ("__", "is empty"),
            ("_1", "`1` is not an identifier"),
            ("self_", "`Self` is not an identifier"),
        ] {
            let errors = errors_in_block(&format!(
                "fn {name}(req: *mut uv_fs_t, cb: uv_fs_cb) -> c_int;"
            ));
            assert_one(
                errors,
                &format!("`{name}` gives no type name (its UpperCamelCase {camel}); name the future with `#[uv(name = TypeName)]`"),
                name,
            );
        }
        let (expansion, errors) = awaitable_with(
            "",
            "extern \"C\" { #[uv(name = Stat)] fn _1(req: *mut uv_fs_t, cb: uv_fs_cb) -> c_int; }",
        );
        assert_eq!(errors, []);
        assert!(expansion.contains("struct Stat <"));
    }

    #[test]
    fn the_generic_parameter_does_not_capture_a_declared_type() {
        let (expansion, errors) = awaitable_with("", &format!("extern \"C\" {{ {STAT} }}"));
        assert_eq!(errors, []);
        assert!(
            expansion.contains("type With < K > = UvFsStat < K > ;"),
            "{expansion}"
        );
        let (expansion, errors) = awaitable_with(
            "",
            "extern \"C\" { fn uv_fs_fsync(req: *mut uv_fs_t, file: K, other: m::K1, cb: uv_fs_cb) -> c_int; }",
        );
        assert_eq!(errors, []);
        assert!(expansion.contains("struct UvFsFsync < K2 = () >"));
        assert!(expansion.contains("type With < K2 > = UvFsFsync < K2 > ;"));
        assert!(
            expansion.contains("fn wrap < K2 > (op : :: uvco :: __private :: OpOf < Self , K2 >)")
        );
        assert!(expansion.contains("type Args = (K , m :: K1) ;"));
        assert!(!expansion.contains("< K :"));
    }

    #[test]
    fn name_option_renames_the_type() {
        let (expansion, errors) =
            awaitable_with("", &format!("extern \"C\" {{ #[uv(name = Stat)] {STAT} }}"));
        assert_eq!(errors, []);
        assert!(expansion.contains("struct Stat <"));
        assert!(!expansion.contains("UvFsStat"));
    }

    #[test]
    fn keeps_the_declared_visibility() {
        let (expansion, _) = awaitable_with("", &format!("extern \"C\" {{ pub(crate) {STAT} }}"));
        assert!(expansion.contains("pub (crate) struct UvFsStat"));
        assert!(expansion.contains("pub (crate) unsafe fn new"));

        let (expansion, _) = awaitable_with("", &format!("extern \"C\" {{ {STAT} }}"));
        assert!(
            !expansion.contains("pub"),
            "private as declared: {expansion}"
        );

        let (expansion, _) = awaitable_with("", &format!("extern \"C\" {{ pub {STAT} }}"));
        assert!(expansion.contains("pub struct UvFsStat"));
        assert!(expansion.contains("pub unsafe fn new"));
    }

    #[test]
    fn passes_cfg_and_lint_attributes_on() {
        let (expansion, errors) = awaitable_with(
            "",
            &format!("extern \"C\" {{ #[cfg(unix)] #[cfg_attr(test, allow(unused))] #[allow(a)] #[warn(b)] #[deny(c)] /// Docs.\n {STAT} }}"),
        );
        assert_eq!(errors, []);
        let attrs = "# [cfg (unix)] # [cfg_attr (test , allow (unused))] # [allow (a)] # [warn (b)] # [deny (c)]";
        assert_eq!(
            expansion.matches(attrs).count(),
            4,
            "on the type and the 3 impls: {expansion}"
        );
        assert!(expansion.contains(&format!("{attrs} # [must_use")));
        assert!(expansion.contains(&format!("{attrs} # [allow (dead_code)] impl UvFsStat")));
        assert!(expansion.contains(&format!(
            "{attrs} impl < K : :: uvco :: __private :: Payload > :: core :: future :: Future for UvFsStat"
        )));
        assert!(!expansion.contains("deprecated"));
    }

    #[test]
    fn deprecated_goes_on_the_type_and_constructors() {
        let (expansion, errors) = awaitable_with(
            "",
            &format!("extern \"C\" {{ #[deprecated = \"old\"] pub {STAT} }}"),
        );
        assert_eq!(errors, []);
        assert_eq!(
            expansion.matches("# [deprecated = \"old\"]").count(),
            2,
            "{expansion}"
        );
        assert!(expansion.contains("# [deprecated = \"old\"] # [must_use"));
        assert!(expansion.contains("# [deprecated = \"old\"] pub unsafe fn new"));
        // The impls use the deprecated type themselves.
        assert_eq!(
            expansion.matches("# [allow (deprecated)]").count(),
            3,
            "{expansion}"
        );
    }

    #[test]
    fn expect_is_not_passed_on() {
        let errors = errors_in_block(&format!("#[allow(a)] #[expect(dead_code)] {STAT}"));
        assert_one(
            errors,
            "`#[expect]` cannot be passed on: the declaration becomes several items",
            "#[expect(dead_code)]",
        );
    }

    #[test]
    fn configured_declarations_may_share_a_name() {
        let errors = errors_in_block(&format!("#[cfg(unix)] {STAT} #[cfg(not(unix))] {STAT}"));
        assert_eq!(errors, []);
        // Which `cfg` holds is for rustc to say, and so is a clash if both are compiled.
        let errors = errors_in_block(&format!("#[cfg(unix)] {STAT} {STAT}"));
        assert_eq!(errors, []);
    }

    #[test]
    fn carries_doc_comments_over() {
        let (expansion, _) = awaitable_with(
            "",
            &format!("extern \"C\" {{ /// Equivalent to stat(2).\n{STAT} }}"),
        );
        let docs = expansion
            .find("\" Equivalent to stat(2).\"")
            .expect("the doc comment");
        assert!(docs < expansion.find("struct UvFsStat").unwrap());
    }

    #[test]
    fn kept_arguments_have_no_new() {
        let (expansion, errors) = awaitable_with(
            "",
            "extern \"C\" { fn uv_write(req: *mut uv_write_t, handle: *mut uv_stream_t, #[uv(keep)] bufs: *const uv_buf_t, nbufs: c_uint, cb: uv_write_cb) -> c_int; }",
        );
        assert_eq!(errors, []);
        assert!(!expansion.contains("fn new"));
        assert!(expansion.contains("type Args = (* mut uv_stream_t , * const uv_buf_t , c_uint) ;"));
        assert!(
            expansion.contains("`bufs` must\"] # [doc = \" point into the kept value.\"]"),
            "{expansion}"
        );
        // No loop parameter: none is passed.
        assert!(!expansion.contains("current_loop"));
    }

    #[test]
    fn work_cb_is_an_argument() {
        let (expansion, errors) = awaitable_with(
            "",
            "extern \"C\" { fn uv_queue_work(loop_: *mut uv_loop_t, req: *mut uv_work_t, work_cb: uv_work_cb, after_work_cb: uv_after_work_cb) -> c_int; }",
        );
        assert_eq!(errors, []);
        assert!(expansion.contains("fn new (work_cb : uv_work_cb)"));
    }

    #[test]
    fn attribute_with_arguments() {
        let (expansion, errors) =
            awaitable_with("name = Stat", &format!("extern \"C\" {{ {STAT} }}"));
        assert_one(
            errors,
            "`#[uv_awaitable]` takes only `crate = path`",
            "name",
        );
        assert!(expansion.contains("struct UvFsStat"), "still expanded");
    }

    #[test]
    fn not_an_extern_block() {
        let (expansion, errors) = awaitable_with("", "struct NotABlock;");
        assert_one(
            errors,
            "goes on an `unsafe extern \"C\" { ... }` block",
            "struct NotABlock;",
        );
        assert_eq!(
            expansion, "struct NotABlock ;",
            "the item is kept as written"
        );
    }

    #[test]
    fn not_an_item() {
        let (_, errors) = awaitable_with("", "1 + 1");
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn attribute_on_the_block() {
        let errors = awaitable_errors(&format!("#[link(name = \"uv\")] extern \"C\" {{ {STAT} }}"));
        assert_one(
            errors,
            "attributes on it have no effect",
            "#[link(name = \"uv\")]",
        );
    }

    #[test]
    fn non_c_abi() {
        for abi in ["\"system\"", "\"Rust\""] {
            let errors = awaitable_errors(&format!("unsafe extern {abi} {{ {STAT} }}"));
            assert_one(errors, "libuv functions use the \"C\" ABI", abi);
        }
    }

    #[test]
    fn items_other_than_functions() {
        let errors = errors_in_block(&format!(
            "static uv_version: c_int; type uv_x; mac!(); {STAT}"
        ));
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert_error(&errors[0], "only functions", "static uv_version: c_int;");
        assert_error(&errors[1], "only functions", "type uv_x;");
        assert_error(&errors[2], "only functions", "mac!();");
    }

    #[test]
    fn missing_request() {
        let errors = errors_in_block(
            "fn uv_fs_stat(loop_: *mut uv_loop_t, path: *const c_char, cb: uv_fs_cb) -> c_int;",
        );
        assert_one(errors, "missing request parameter", "uv_fs_stat");
    }

    #[test]
    fn duplicated_request() {
        let errors = errors_in_block(
            "fn uv_fs_stat(req: *mut uv_fs_t, other: *mut uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int;",
        );
        assert_one(errors, "a second request parameter", "other: *mut uv_fs_t");
    }

    #[test]
    fn unknown_request_type() {
        // Which structs are requests is the runtime's to say (its `Request` trait, in the
        // expansion, on the declared type); the macro only wants a pointer.
        for request in ["uv_foo_t", "sys::uv_stream_t"] {
            let (expansion, errors) = awaitable_with(
                "",
                &format!(
                    "extern \"C\" {{ fn uv_fs_stat(req: *mut {request}, cb: uv_fs_cb) -> c_int; }}"
                ),
            );
            assert_eq!(errors, [], "{request}");
            let request = request.replace("::", " :: ");
            assert!(
                expansion.contains(&format!("is_request_of :: < {request} ,")),
                "{expansion}"
            );
        }
        let errors = errors_in_block("fn uv_fs_stat(req: usize, cb: uv_fs_cb) -> c_int;");
        assert_one(
            errors,
            "the request parameter is a `*mut uv_<kind>_t`",
            "usize",
        );
    }

    #[test]
    fn const_request() {
        let errors = errors_in_block("fn uv_fs_stat(req: *const uv_fs_t, cb: uv_fs_cb) -> c_int;");
        assert_one(
            errors,
            "the request parameter is a `*mut uv_fs_t`",
            "*const",
        );
    }

    #[test]
    fn ordinary_handle_types_are_arguments() {
        let errors = errors_in_block(
            "fn uv_udp_send(req: *mut uv_udp_send_t, handle: *mut uv_udp_t, bufs: *const uv_buf_t, nbufs: c_uint, addr: *const sockaddr, send_cb: uv_udp_send_cb) -> c_int;",
        );
        assert_eq!(errors, []);
    }

    #[test]
    fn missing_callback() {
        let errors =
            errors_in_block("fn uv_fs_stat(req: *mut uv_fs_t, path: *const c_char) -> c_int;");
        assert_one(
            errors,
            "missing callback parameter: libuv request functions take a `uv_<kind>_cb`",
            "uv_fs_stat",
        );
    }

    #[test]
    fn missing_request_and_callback() {
        let errors = errors_in_block("fn uv_fs_stat(path: *const c_char) -> c_int;");
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_error(&errors[0], "missing request parameter", "uv_fs_stat");
        assert_error(&errors[1], "missing callback parameter", "uv_fs_stat");
    }

    #[test]
    fn duplicated_callback() {
        let errors = errors_in_block(
            "fn uv_fs_stat(req: *mut uv_fs_t, cb: uv_fs_cb, again: uv_fs_cb) -> c_int;",
        );
        assert_one(errors, "a second callback parameter", "again: uv_fs_cb");
    }

    #[test]
    fn callback_of_another_kind() {
        // The callback passed is always the kind's own; a declared callback type that differs
        // from libuv's is rustc's error on `LIBUV_FN` (ui-tests/callback-of-another-kind.rs).
        let (expansion, errors) = awaitable_with(
            "",
            "extern \"C\" { fn uv_fs_stat(req: *mut uv_fs_t, cb: uv_write_cb) -> c_int; }",
        );
        assert_eq!(errors, []);
        assert!(expansion.contains(
            "fn (* mut uv_fs_t , uv_write_cb) -> c_int = :: uvco :: __private :: sys :: uv_fs_stat"
        ));
    }

    #[test]
    fn duplicated_loop() {
        let errors = errors_in_block("fn uv_fs_stat(a: *mut uv_loop_t, b: *mut uv_loop_t, req: *mut uv_fs_t, cb: uv_fs_cb) -> c_int;");
        assert_one(errors, "a second loop parameter", "b: *mut uv_loop_t");
        let errors = errors_in_block(
            "fn uv_fs_stat(a: *const uv_loop_t, req: *mut uv_fs_t, cb: uv_fs_cb) -> c_int;",
        );
        assert_one(errors, "the loop parameter is a `*mut uv_loop_t`", "*const");
    }

    #[test]
    fn wrong_return_type() {
        let errors = errors_in_block("fn uv_fs_stat(req: *mut uv_fs_t, cb: uv_fs_cb) -> i64;");
        assert_one(errors, "libuv request functions return `c_int`", "i64");
        let errors =
            errors_in_block("fn uv_fs_stat(req: *mut uv_fs_t, cb: uv_fs_cb) -> c_int<u8>;");
        assert_one(
            errors,
            "libuv request functions return `c_int`",
            "c_int<u8>",
        );
    }

    #[test]
    fn missing_return_type() {
        let errors = errors_in_block("fn uv_fs_stat(req: *mut uv_fs_t, cb: uv_fs_cb);");
        assert_one(
            errors,
            "missing return type",
            "fn uv_fs_stat(req: *mut uv_fs_t, cb: uv_fs_cb)",
        );
    }

    #[test]
    fn variadic() {
        let errors =
            errors_in_block("fn uv_fs_stat(req: *mut uv_fs_t, cb: uv_fs_cb, ...) -> c_int;");
        assert_one(errors, "variadic functions cannot be awaited", "...");
    }

    #[test]
    fn generic() {
        let errors = errors_in_block(
            "fn uv_fs_stat<T>(req: *mut uv_fs_t, path: *const T, cb: uv_fs_cb) -> c_int;",
        );
        assert_one(errors, "libuv functions have no generic parameters", "<T>");
    }

    #[test]
    fn where_clause_is_spanned() {
        let errors = errors_in_block(
            "fn uv_fs_stat(req: *mut uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int where u8: Copy;",
        );
        assert_one(
            errors,
            "libuv functions have no generic parameters",
            "where u8: Copy",
        );
    }

    #[test]
    fn qualifiers() {
        let errors = errors_in_block(
            "const async extern \"C\" fn uv_fs_stat(req: *mut uv_fs_t, cb: uv_fs_cb) -> c_int;",
        );
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert_error(&errors[0], "not `const`", "const");
        assert_error(&errors[1], "not `async`", "async");
        assert_error(
            &errors[2],
            "the ABI comes from the `extern \"C\"` block",
            "extern \"C\"",
        );
    }

    #[test]
    fn unnamed_parameter() {
        let errors = errors_in_block(
            "fn uv_fs_stat(req: *mut uv_fs_t, _: *const c_char, cb: uv_fs_cb) -> c_int;",
        );
        assert_one(errors, "name this parameter", "_");
        let errors = errors_in_block(
            "fn uv_fs_stat(req: *mut uv_fs_t, (a, b): (u8, u8), cb: uv_fs_cb) -> c_int;",
        );
        assert_one(errors, "expected a parameter name", "(a, b)");
    }

    #[test]
    fn unknown_function_option() {
        let errors = errors_in_block(&format!("#[uv(rename = Stat)] {STAT}"));
        assert_one(
            errors,
            "unknown option; functions take `#[uv(name = TypeName)]`",
            "rename",
        );
    }

    #[test]
    fn every_unknown_option_is_reported() {
        let errors = errors_in_block(&format!(
            "#[uv(rename = Stat, alias(x), name = Stat, cancel)] {STAT}"
        ));
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert_error(&errors[0], "unknown option", "rename");
        assert_error(&errors[1], "unknown option", "alias");
        assert_error(&errors[2], "unknown option", "cancel");
    }

    #[test]
    fn malformed_name_option() {
        assert_one(
            errors_in_block(&format!("#[uv(name)] {STAT}")),
            "expected `name = TypeName`",
            "name",
        );
        assert_one(
            errors_in_block(&format!("#[uv(name = \"1x\")] {STAT}")),
            "without quotes",
            "\"1x\"",
        );
        assert_one(
            errors_in_block(&format!("#[uv(name = 1x)] {STAT}")),
            "expected identifier",
            "1x",
        );
        assert_one(
            errors_in_block(&format!("#[uv(name = A, name = B)] {STAT}")),
            "`name` is given twice",
            "name",
        );
        assert_one(
            errors_in_block(&format!("#[uv] {STAT}")),
            "expected attribute arguments in parentheses",
            "uv",
        );
    }

    #[test]
    fn foreign_attribute_on_function() {
        let errors = errors_in_block(&format!("#[link_name = \"uv_fs_stat\"] #[inline] {STAT}"));
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_error(
            &errors[0],
            "unsupported attribute",
            "#[link_name = \"uv_fs_stat\"]",
        );
        assert_error(&errors[1], "unsupported attribute", "#[inline]");
    }

    #[test]
    fn unknown_parameter_option() {
        let errors = errors_in_block("fn uv_fs_stat(req: *mut uv_fs_t, #[uv(borrow)] path: *const c_char, cb: uv_fs_cb) -> c_int;");
        assert_one(
            errors,
            "unknown option; parameters take `#[uv(keep)]`",
            "borrow",
        );
        let errors = errors_in_block("fn uv_fs_stat(req: *mut uv_fs_t, #[uv(keep = 1)] path: *const c_char, cb: uv_fs_cb) -> c_int;");
        assert_one(errors, "`keep` takes no value", "keep");
        let errors = errors_in_block("fn uv_fs_stat(req: *mut uv_fs_t, #[uv(keep, keep)] path: *const c_char, cb: uv_fs_cb) -> c_int;");
        assert_one(errors, "`keep` is given twice", "keep");
    }

    #[test]
    fn foreign_attribute_on_parameter() {
        let errors = errors_in_block("fn uv_fs_stat(req: *mut uv_fs_t, #[allow(unused)] path: *const c_char, cb: uv_fs_cb) -> c_int;");
        assert_one(
            errors,
            "unsupported attribute; parameters take `#[uv(keep)]`",
            "#[allow(unused)]",
        );
    }

    #[test]
    fn keep_on_what_the_runtime_owns() {
        let errors = errors_in_block(
            "fn uv_fs_stat(#[uv(keep)] loop_: *mut uv_loop_t, #[uv(keep)] req: *mut uv_fs_t, #[uv(keep)] cb: uv_fs_cb) -> c_int;",
        );
        assert_eq!(errors.len(), 3, "{errors:#?}");
        for error in &errors {
            assert_error(
                error,
                "only arguments passed through to libuv can be kept",
                "keep",
            );
        }
    }

    #[test]
    fn duplicated_type_name() {
        let errors = errors_in_block(&format!("#[uv(name = Stat)] {STAT} #[uv(name = Stat)] fn uv_fs_lstat(req: *mut uv_fs_t, cb: uv_fs_cb) -> c_int;"));
        assert_one(
            errors,
            "`Stat` is already the future of `uv_fs_stat`",
            "Stat",
        );
        let errors = errors_in_block(&format!("{STAT} {STAT}"));
        assert_one(
            errors,
            "`UvFsStat` is already the future of `uv_fs_stat`",
            "uv_fs_stat",
        );
    }

    #[test]
    fn several_errors_together() {
        let (expansion, errors) = awaitable_with(
            "oops",
            "extern \"C\" {
                #[uv(rename = Stat)]
                fn uv_fs_stat(loop_: *mut uv_loop_t, req: *mut uv_fs_t, path: *const c_char, cb: uv_write_cb) -> c_int;
                fn uv_fs_lstat(loop_: *mut uv_loop_t, path: *const c_char, cb: uv_fs_cb) -> i64;
                static uv_version_string: *const c_char;
                fn uv_fs_fstat(loop_: *mut uv_loop_t, req: *mut uv_fs_t, file: uv_file, cb: uv_fs_cb) -> c_int;
            }",
        );
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|error| (&error.message[..20], &error.at[..]))
            .collect();
        assert_eq!(
            found,
            [
                ("`#[uv_awaitable]` ta", "oops"),
                ("unknown option; func", "rename"),
                ("missing request para", "uv_fs_lstat"),
                ("libuv request functi", "i64"),
                (
                    "only functions can b",
                    "static uv_version_string: *const c_char;"
                ),
            ]
        );
        // The function without mistakes is expanded all the same; the others are fallbacks,
        // which never call libuv.
        assert!(expansion.contains("struct UvFsFstat < K = () > (:: uvco :: __private :: Op"));
        for fallback in ["UvFsStat", "UvFsLstat"] {
            assert!(
                expansion.contains(&format!(
                    "struct {fallback} < K = () > (:: core :: marker :: PhantomData < K >)"
                )),
                "{expansion}"
            );
        }
        assert_eq!(expansion.matches("sys :: uv_fs_fstat").count(), 2);
        assert!(!expansion.contains("sys :: uv_fs_stat"));
        assert!(!expansion.contains("sys :: uv_fs_lstat"));
    }

    /// A declaration that fails the checks keeps its type, constructors and `Future` impl,
    /// with `unreachable!()` bodies, so that its uses add no errors of their own.
    #[test]
    fn a_failed_declaration_leaves_a_fallback() {
        let (expansion, errors) = awaitable_with(
            "",
            "extern \"C\" { #[cfg(unix)] pub fn uv_fs_stat(loop_: *mut uv_loop_t, req: *const uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int; }",
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        for expected in [
            "# [cfg (unix)] pub struct UvFsStat < K = () > (:: core :: marker :: PhantomData < K >) ;",
            "pub unsafe fn new (path : * const c_char) -> Self { :: core :: unreachable ! () }",
            // with_keep and with_callback come with the trait; its function and arguments are
            // the declaration's, as for a valid one.
            "unsafe impl :: uvco :: Awaitable for UvFsStat { type Fn = :: uvco :: __private :: fns :: uv_fs_stat ; type Args = (* const c_char ,) ; type With < K > = UvFsStat < K > ;",
            "type Output = K :: Output < :: uvco :: __private :: fns :: uv_fs_stat > ;",
        ] {
            assert!(expansion.contains(expected), "{expected}\nnot in\n{expansion}");
        }
        assert!(!expansion.contains("LIBUV_FN"));

        // A kept parameter: no `new`, as for a valid declaration.
        let (expansion, _) = awaitable_with(
            "",
            "extern \"C\" { #[uv(keep)] fn uv_frob(req: *mut uv_frob_t, #[uv(keep)] buf: *mut u8, cb: uv_frob_cb) -> c_int; }",
        );
        assert!(expansion.contains("struct UvFrob <"), "{expansion}");
        assert!(
            !expansion.contains("fn new"),
            "kept: no `new`, as for a valid one"
        );

        // Without a type name there is nothing to fall back to.
        let (expansion, _) = awaitable_with(
            "",
            "extern \"C\" { fn __(req: *mut uv_fs_t, cb: uv_fs_cb) -> c_int; }",
        );
        assert!(!expansion.contains("struct"), "{expansion}");
    }

    /// `crate = path` names the facade in everything generated.
    #[test]
    fn crate_option_names_the_facade() {
        let (expansion, errors) =
            awaitable_with("crate = my::uvco", &format!("extern \"C\" {{ {STAT} }}"));
        assert_eq!(errors, []);
        assert_eq!(
            expansion.matches(":: uvco ::").count(),
            expansion.matches("my :: uvco ::").count(),
            "{expansion}"
        );
        assert!(expansion.contains("my :: uvco :: __private :: OpOf < UvFsStat , K >"));
        assert!(expansion.contains("use my :: uvco :: __private :: * ;"));
        assert!(
            expansion.contains("(my::uvco::sys::uv_fs_stat)"),
            "doc links too"
        );

        let errors = awaitable_with(
            "crate = a, crate = b",
            &format!("extern \"C\" {{ {STAT} }}"),
        )
        .1;
        assert_one(errors, "`crate` is given twice", "crate");
        let errors = awaitable_with("crate", &format!("extern \"C\" {{ {STAT} }}")).1;
        assert_one(errors, "expected `=`", "");
    }

    /// Every input reachable from a valid one by deleting one token, at any depth, expands
    /// without panicking.
    #[test]
    fn never_panics() {
        let block = tokens(
            "extern \"C\" {
                /// Docs.
                #[uv(name = Stat)]
                pub fn uv_fs_stat(loop_: *mut uv_loop_t, req: *mut uv_fs_t, #[uv(keep)] path: *const c_char, cb: uv_fs_cb) -> c_int;
                fn uv_queue_work(loop_: *mut uv_loop_t, req: *mut uv_work_t, work_cb: uv_work_cb, after_work_cb: uv_after_work_cb) -> c_int;
            }",
        );
        let mutants = without_one_token(&block);
        assert!(mutants.len() > 50, "{}", mutants.len());
        for mutant in mutants {
            let _ = crate::awaitable::expand(TokenStream::new(), mutant);
        }
    }

    fn without_one_token(stream: &TokenStream) -> Vec<TokenStream> {
        let trees: Vec<TokenTree> = stream.clone().into_iter().collect();
        let mut mutants = Vec::new();
        for (index, tree) in trees.iter().enumerate() {
            let mut without = trees.clone();
            without.remove(index);
            mutants.push(without.into_iter().collect());
            if let TokenTree::Group(group) = tree {
                for inner in without_one_token(&group.stream()) {
                    let mut replaced = trees.clone();
                    replaced[index] = TokenTree::Group(Group::new(group.delimiter(), inner));
                    mutants.push(replaced.into_iter().collect());
                }
            }
        }
        mutants
    }
}

mod entry {
    use super::*;
    use quote::{quote, ToTokens};

    fn main_with(attr: &str, item: &str) -> String {
        crate::entry::main(tokens(attr), tokens(item)).to_string()
    }

    fn test_with(attr: &str, item: &str) -> String {
        crate::entry::test(tokens(attr), tokens(item)).to_string()
    }

    /// The errors `compile_error!`s in `expansion` report.
    fn messages(expansion: &str) -> Vec<String> {
        let mut messages = Vec::new();
        let mut rest = expansion;
        while let Some(start) = rest.find(":: core :: compile_error ! { \"") {
            rest = &rest[start + 30..];
            let end = rest.find("\" }").unwrap();
            messages.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
        messages
    }

    /// The errors of a check, with their spans.
    fn check_errors(attr: &str, item: &str, test: bool) -> Vec<Reported> {
        let mut errors = crate::errors::Errors::default();
        let entry = if test {
            crate::entry::Entry::Test
        } else {
            crate::entry::Entry::Main
        };
        let _ = crate::entry::check(entry, tokens(attr), tokens(item), &mut errors);
        reported(errors.into_error())
    }

    /// What `#[uvco::main]` and `#[uvco::test]` put in the function, around its body.
    fn runs(krate: TokenStream, body: TokenStream) -> TokenStream {
        quote! {
            let body = async move { #body };
            #[allow(clippy::expect_used, clippy::needless_return)]
            {
                return #krate::Runtime::new()
                    .expect("uvco: failed to create the libuv loop")
                    .block_on(body);
            }
        }
    }

    #[test]
    fn main_runs_the_body_on_a_runtime() {
        let run = runs(quote!(::uvco), tokens("run().await?; Ok(())"));
        let expected = quote! {
            #[allow(unused)]
            pub fn main() -> std::io::Result<()> { #run }
        };
        let expansion = main_with(
            "",
            "#[allow(unused)] pub async fn main() -> std::io::Result<()> { run().await?; Ok(()) }",
        );
        assert_eq!(expansion, expected.to_string());
    }

    #[test]
    fn test_is_a_test_on_a_runtime() {
        let run = runs(quote!(::uvco), quote!(panic!()));
        let expected = quote! {
            #[::core::prelude::v1::test]
            #[should_panic]
            fn works() { #run }
        };
        assert_eq!(
            test_with("", "#[should_panic] async fn works() { panic!() }"),
            expected.to_string()
        );
    }

    #[test]
    fn inner_attributes_move_onto_the_function() {
        let run = runs(quote!(::uvco), quote!(let x = 1;));
        let expected = quote! {
            #[::core::prelude::v1::test]
            #[should_panic]
            #[allow(unused)]
            fn works() { #run }
        };
        assert_eq!(
            test_with(
                "",
                "#[should_panic] async fn works() { #![allow(unused)] let x = 1; }"
            ),
            expected.to_string()
        );
    }

    #[test]
    fn crate_option_names_the_runtime() {
        let run = runs(quote!(my::uvco), quote!());
        let expected = quote! { #[::core::prelude::v1::test] fn works() { #run } };
        assert_eq!(
            test_with("crate = my::uvco", "async fn works() {}"),
            expected.to_string()
        );
        assert_one(
            check_errors("crate = \"uvco\"", "async fn main() {}", false),
            "expected identifier",
            "\"uvco\"",
        );
    }

    /// The body is not parsed: a syntax error in it is rustc's to report, on the expansion.
    #[test]
    fn the_body_stays_tokens() {
        let expansion = main_with("", "async fn main() { let = ; }");
        assert_eq!(messages(&expansion), Vec::<String>::new());
        assert!(expansion.contains("async move { let = ; }"), "{expansion}");
    }

    /// The runtime call carries the span of the body's last token, so a body of the wrong
    /// type is reported there.
    #[test]
    fn the_runtime_call_is_spanned_on_the_last_token() {
        let item = tokens("async fn main() -> u8 { let x = 1; x }");
        let expansion = crate::entry::main(TokenStream::new(), item);
        let function: syn::ItemFn = syn::parse2(expansion).unwrap();
        let syn::Stmt::Expr(run, _) = function.block.stmts.last().unwrap() else {
            panic!("the runtime call is last")
        };
        let first = run.to_token_stream().into_iter().next().unwrap();
        assert_eq!(first.span().source_text().as_deref(), Some("x"));
    }

    #[test]
    fn not_async() {
        let expansion = main_with("", "fn main() {}");
        assert_eq!(
            messages(&expansion),
            ["`#[uvco::main]` goes on an `async fn`; add `async`"]
        );
        assert!(
            expansion.starts_with("fn main () { let body = async move { } ;"),
            "expanded all the same: {expansion}"
        );
        assert_one(check_errors("", "fn main() {}", false), "add `async`", "fn");
    }

    #[test]
    fn with_arguments() {
        let expansion = test_with("", "async fn takes(n: u32, m: u32) {}");
        assert_eq!(
            messages(&expansion),
            ["`#[uvco::test]` functions take no arguments"]
        );
        assert!(
            expansion.starts_with("# [allow (dead_code)] fn takes (n : u32 , m : u32) { let body"),
            "expanded, but not a test, which would be rustc's error on top: {expansion}"
        );
        assert_one(
            check_errors("", "async fn takes(n: u32, m: u32) {}", true),
            "take no arguments",
            "n: u32, m: u32",
        );
    }

    #[test]
    fn attribute_arguments() {
        let expansion = main_with("flavor = \"x\"", "async fn main() {}");
        assert_eq!(
            messages(&expansion),
            ["`#[uvco::main]` takes only `crate = path`"]
        );
        assert!(expansion.contains("block_on"), "still expanded");
        assert_one(
            check_errors("flavor = \"x\"", "async fn main() {}", false),
            "takes only `crate = path`",
            "flavor",
        );
    }

    #[test]
    fn not_a_function() {
        let expansion = test_with("", "struct S;");
        assert_eq!(
            messages(&expansion),
            ["`#[uvco::test]` goes on an `async fn`"]
        );
        assert_one(
            check_errors("", "struct S;", true),
            "goes on an `async fn`",
            "struct S;",
        );
        assert_eq!(messages(&main_with("", "1 + 1")).len(), 1);
    }

    #[test]
    fn test_with_test_attribute() {
        let expansion = test_with("", "#[test] async fn twice() {}");
        assert_eq!(
            messages(&expansion),
            ["`#[uvco::test]` already makes this a test; remove `#[test]`"]
        );
        assert!(
            expansion.starts_with("# [:: core :: prelude :: v1 :: test] fn twice"),
            "{expansion}"
        );
        assert!(
            !expansion.contains("# [test]"),
            "not a second test attribute: {expansion}"
        );
        assert_one(
            check_errors("", "#[test] async fn twice() {}", true),
            "remove `#[test]`",
            "#[test]",
        );
    }

    #[test]
    fn several_errors_together() {
        let errors = check_errors("x", "#[test] fn f(a: u8) {}", true);
        let at: Vec<&str> = errors.iter().map(|error| &error.at[..]).collect();
        assert_eq!(at, ["x", "#[test]", "fn", "a: u8"]);
    }
}
