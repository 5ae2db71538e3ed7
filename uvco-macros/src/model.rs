//! Meaning: the checked, typed view of a `#[uv_awaitable]` block. Every parameter has a role;
//! whatever cannot be made sense of is an error here. Which kind a request type is, and what
//! a function produces, the runtime knows (`uvco::kind`): the expansion asks it, by the
//! declared request type and the function's name, and rustc reports what doesn't fit.

use crate::errors::Errors;
use crate::kind;
use crate::parse;
use proc_macro2::Span;
use quote::{quote, ToTokens};
use syn::{Attribute, Ident, ReturnType, Type, TypePath, Visibility};

/// A libuv request function that checked out, ready to expand.
pub(crate) struct Function {
    pub(crate) docs: Vec<Attribute>,
    /// `cfg`, `cfg_attr`, lint levels and `deprecated`, for every generated item.
    pub(crate) attrs: Vec<Attribute>,
    /// As declared (none: private), for the type and its constructors.
    pub(crate) vis: Visibility,
    /// The libuv function, e.g. `uv_fs_stat`.
    pub(crate) ident: Ident,
    /// The generated future, e.g. `UvFsStat`.
    pub(crate) type_name: Ident,
    /// The request parameter's pointee, `uv_fs_t`, as declared: checked against the runtime's
    /// kinds by the expansion.
    pub(crate) request: Type,
    /// In declaration order.
    pub(crate) params: Vec<Param>,
    /// The declared return type (`c_int`).
    pub(crate) output: Type,
    /// The generated type's generic parameter, `()` or the kept value's `Keep<K>`: `K`, unless
    /// the declaration's types name a `K` of their own (the generic parameter would capture
    /// it), then `K1`, `K2`, ...
    pub(crate) keep_param: Ident,
}

pub(crate) struct Param {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    pub(crate) role: Role,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `*mut uv_loop_t`: the runtime's loop.
    Loop,
    /// `*mut uv_<kind>_t`: the request, which lives in the runtime's slot.
    Request,
    /// `uv_<kind>_cb`: the runtime's completion callback.
    Callback,
    /// Anything else: passed through from the constructor. `keep` if it must point into the
    /// value kept alive with the request.
    Argument { keep: bool },
}

impl Function {
    /// The parameters the constructor takes, in declaration order.
    pub(crate) fn arguments(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|param| matches!(param.role, Role::Argument { .. }))
    }

    /// The parameters marked `#[uv(keep)]`.
    pub(crate) fn kept(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|param| param.role == Role::Argument { keep: true })
    }
}

/// What is known of a declaration that failed the checks: enough to emit its type and
/// constructors with `unreachable!()` bodies, so that its uses add no "cannot find type"
/// errors to the real one.
pub(crate) struct Fallback {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) type_name: Ident,
    /// The libuv function: the future's output follows from it.
    pub(crate) ident: Ident,
    /// The parameters the constructors take (neither loop, request nor callback).
    pub(crate) arguments: Vec<(Ident, Type)>,
    /// Whether a parameter is `#[uv(keep)]`, so that `new` is not generated.
    pub(crate) keeps: bool,
}

/// A checked function, or what is known of one that failed (nothing, if it has no type name
/// or its name is another declaration's).
pub(crate) type Checked = Result<Function, Option<Box<Fallback>>>;

/// Checks one function, given those checked before it.
pub(crate) fn check(
    function: parse::Function,
    earlier: &[Function],
    errors: &mut Errors,
) -> Checked {
    let function = check_function(function, errors)?;
    // Declarations under `cfg` may share a name: one per platform, say.
    let configured = |function: &Function| {
        function
            .attrs
            .iter()
            .any(|attr| attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr"))
    };
    if let Some(earlier) = earlier
        .iter()
        .find(|f| f.type_name == function.type_name && !configured(f) && !configured(&function))
    {
        errors.spanned(
            &function.type_name,
            format!(
                "`{}` is already the future of `{}`; rename one with `#[uv(name = ...)]`",
                function.type_name, earlier.ident
            ),
        );
        return Err(None);
    }
    Ok(function)
}

fn check_function(function: parse::Function, errors: &mut Errors) -> Checked {
    let before = errors.count();
    let mut request_target: Option<Type> = None;
    let mut loop_param: Option<&parse::Param> = None;
    let mut request: Option<&parse::Param> = None;
    let mut roles = Vec::new();
    // The completion callback is the last parameter of a callback type: an earlier one is an
    // argument (`uv_queue_work`'s `uv_work_cb`, run on the threadpool), unless it has the same
    // type: then the first is the callback and the others are errors.
    let callback_type = function
        .params
        .iter()
        .filter_map(|param| last_ident(&param.ty))
        .rfind(|ident| kind::is_callback_type(ident));
    let callback_at = function
        .params
        .iter()
        .position(|param| last_ident(&param.ty) == callback_type && callback_type.is_some());
    let callback = callback_at.map(|at| &function.params[at]);

    for (at, param) in function.params.iter().enumerate() {
        let pointer = Pointer::of(&param.ty);
        let role = if pointer.as_ref().is_some_and(|p| p.target == "uv_loop_t") {
            if let Some(pointer) = pointer.filter(|p| !p.mutable) {
                errors.spanned(pointer.star, "the loop parameter is a `*mut uv_loop_t`");
            }
            if loop_param.is_some() {
                errors.spanned(param_tokens(param), "a second loop parameter; libuv request functions take at most one `*mut uv_loop_t`");
            }
            loop_param = Some(param);
            Role::Loop
        } else if param.ident == "req"
            || pointer.as_ref().is_some_and(|p| {
                // The first pointer to a libuv struct (after the loop) is the request, in
                // libuv's order; a later one to the same struct is a second request.
                kind::is_uv_type(&p.target)
                    && request.is_none_or(|request| {
                        Pointer::of(&request.ty).is_some_and(|r| r.target == p.target)
                    })
            })
        {
            if request.is_some() {
                errors.spanned(
                    param_tokens(param),
                    "a second request parameter; libuv request functions take exactly one",
                );
            } else {
                request_target = request_type(&param.ty, pointer.as_ref(), errors);
            }
            request = request.or(Some(param));
            Role::Request
        } else if Some(at) == callback_at {
            Role::Callback
        } else if callback.is_some_and(|callback| last_ident(&callback.ty) == last_ident(&param.ty))
        {
            errors.spanned(
                param_tokens(param),
                "a second callback parameter; libuv request functions take exactly one",
            );
            Role::Argument { keep: false }
        } else {
            Role::Argument {
                keep: param.keep.is_some(),
            }
        };
        if let (Some(keep), false) = (param.keep, matches!(role, Role::Argument { .. })) {
            errors.at(keep, "only arguments passed through to libuv can be kept; the runtime owns the loop, the request and the callback");
        }
        roles.push(role);
    }

    if request.is_none() {
        errors.spanned(
            &function.ident,
            format!(
                "missing request parameter: a libuv request function takes a `*mut uv_<kind>_t`, one of {}",
                kind::REQUESTS
            ),
        );
    }
    if callback.is_none() {
        errors.spanned(
            &function.ident,
            "missing callback parameter: libuv request functions take a `uv_<kind>_cb`",
        );
    }
    let output = check_output(&function, errors);
    let type_name = match function.rename.clone() {
        Some(rename) => Some(rename),
        None => type_name(&function.ident, errors),
    };

    let (Some(request), Some(output), Some(type_name), true) = (
        request_target,
        output,
        type_name.clone(),
        errors.count() == before && !function.has_errors,
    ) else {
        return Err(type_name.map(|type_name| {
            Box::new(Fallback {
                arguments: function
                    .params
                    .iter()
                    .zip(&roles)
                    .filter(|(_, role)| matches!(role, Role::Argument { .. }))
                    .map(|(param, _)| (param.ident.clone(), param.ty.clone()))
                    .collect(),
                keeps: roles.contains(&Role::Argument { keep: true }),
                attrs: function.attrs,
                vis: function.vis,
                type_name,
                ident: function.ident,
            })
        }));
    };
    let params = function
        .params
        .into_iter()
        .zip(roles)
        .map(|(param, role)| Param {
            ident: param.ident,
            ty: param.ty,
            role,
        })
        .collect::<Vec<_>>();
    let keep_param = keep_param(&params, &output);
    Ok(Function {
        keep_param,
        docs: function.docs,
        attrs: function.attrs,
        vis: function.vis,
        ident: function.ident,
        type_name,
        request,
        params,
        output,
    })
}

/// The request parameter's pointee, or an error on its type: a request is a `*mut` pointer.
/// Which pointees are requests the runtime knows; the expansion checks it.
fn request_type(ty: &Type, pointer: Option<&Pointer>, errors: &mut Errors) -> Option<Type> {
    let Some(pointer) = pointer else {
        errors.spanned(
            ty,
            format!(
                "the request parameter is a `*mut uv_<kind>_t`, one of {}",
                kind::REQUESTS
            ),
        );
        return None;
    };
    if !pointer.mutable {
        errors.spanned(
            &pointer.star,
            format!("the request parameter is a `*mut {}`", pointer.target),
        );
        return None;
    }
    Some(Type::Path(pointer.target_path.clone()))
}

fn check_output(function: &parse::Function, errors: &mut Errors) -> Option<Type> {
    match &function.output {
        ReturnType::Default => {
            errors.spanned(
                &function.sig,
                "missing return type: libuv request functions return `c_int`",
            );
            None
        }
        ReturnType::Type(_, ty) => {
            let is_c_int = matches!(&**ty, Type::Path(path) if path.qself.is_none()
                && path.path.segments.last().is_some_and(|last| last.ident == "c_int" && last.arguments.is_none()));
            if !is_c_int {
                errors.spanned(ty, "libuv request functions return `c_int`");
                return None;
            }
            Some((**ty).clone())
        }
    }
}

/// `*mut uv_fs_t`, seen as the pointer and the last identifier of its target.
struct Pointer<'a> {
    mutable: bool,
    /// `*mut` or `*const`, for errors about the pointer itself.
    star: proc_macro2::TokenStream,
    target: String,
    target_path: &'a TypePath,
}

impl<'a> Pointer<'a> {
    fn of(ty: &'a Type) -> Option<Self> {
        let Type::Ptr(ptr) = ty else { return None };
        let Type::Path(target_path) = &*ptr.elem else {
            return None;
        };
        let star = ptr.star_token;
        let star = match (&ptr.mutability, &ptr.const_token) {
            (Some(mutability), _) => quote!(#star #mutability),
            (None, Some(constness)) => quote!(#star #constness),
            (None, None) => quote!(#star),
        };
        Some(Pointer {
            mutable: ptr.mutability.is_some(),
            star,
            target: target_path.path.segments.last()?.ident.to_string(),
            target_path,
        })
    }
}

/// The last identifier of a path type: `uv_fs_cb` for `sys::uv_fs_cb`.
fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            path.path.segments.last().map(|last| last.ident.to_string())
        }
        _ => None,
    }
}

/// `name: Type`, for errors about a whole parameter.
fn param_tokens(param: &parse::Param) -> proc_macro2::TokenStream {
    let (ident, ty) = (&param.ident, &param.ty);
    quote!(#ident: #ty)
}

/// `uv_fs_stat` → `UvFsStat`, spanned on the function's name; an error on the name if its
/// UpperCamelCase is not an identifier (`__` gives nothing, `_1` gives `1`, `self_` gives
/// the keyword `Self`).
fn type_name(ident: &Ident, errors: &mut Errors) -> Option<Ident> {
    let name: String = ident
        .to_string()
        .trim_start_matches("r#")
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect();
    match syn::parse_str::<Ident>(&name) {
        Ok(mut type_name) => {
            type_name.set_span(ident.span());
            Some(type_name)
        }
        Err(_) => {
            let camel = if name.is_empty() {
                "is empty".to_owned()
            } else {
                format!("`{name}` is not an identifier")
            };
            errors.spanned(
                ident,
                format!(
                    "`{ident}` gives no type name (its UpperCamelCase {camel}); name the future with `#[uv(name = TypeName)]`"
                ),
            );
            None
        }
    }
}

/// `K`, or the first of `K1`, `K2`, ... that no type of the declaration names.
fn keep_param(params: &[Param], output: &Type) -> Ident {
    fn collect(tokens: proc_macro2::TokenStream, names: &mut Vec<String>) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Ident(ident) => {
                    names.push(ident.to_string().trim_start_matches("r#").to_owned());
                }
                proc_macro2::TokenTree::Group(group) => collect(group.stream(), names),
                _ => {}
            }
        }
    }
    let mut names = Vec::new();
    for ty in params.iter().map(|param| &param.ty).chain([output]) {
        collect(ty.to_token_stream(), &mut names);
    }
    let name = std::iter::once("K".to_owned())
        .chain((1..).map(|n| format!("K{n}")))
        .find(|name| !names.contains(name))
        .expect("an unused name among infinitely many");
    Ident::new(&name, Span::call_site())
}
