//! Code: the future type, its constructors and its `Future` impl for one checked function,
//! or, for one that failed the checks, the same names with `unreachable!()` bodies.
//!
//! The expansion is short on purpose: what every generated future has in common (its
//! lifecycle, the safety contract of its constructors) is documented once, on the
//! `uv_awaitable` attribute, and linked; the `Future` impl forwards to the runtime's `Op`.
//! Everything the expansion names itself goes through the facade's path (`::uvco`, or the
//! attribute's `crate = path`); the types of passed-through arguments are the user's tokens,
//! resolved where the user declared them.

use crate::model::{Fallback, Function, Role};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

/// All items generated for one function.
pub(crate) fn function(function: &Function, krate: &TokenStream) -> TokenStream {
    let Function {
        vis,
        ident,
        type_name,
        ..
    } = function;
    let private = quote!(#krate::__private);
    let marker = marker(ident, krate);
    let k = &function.keep_param;
    let awaitable = link(krate, "Awaitable");
    let link = link(krate, "uv_awaitable");
    let docs = &function.docs;
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let kept = match kept_list(function) {
        kept if kept.is_empty() => String::new(),
        kept => format!(" {kept} must point into the kept value."),
    };
    let type_doc = doc(&format!(
        "Future of {}: an [`Awaitable`]({awaitable}).{kept}",
        sys_link(krate, ident),
    ));
    let sys_fn = sys_link(krate, ident);
    let new_doc = doc(&format!("Submits {sys_fn} ([safety]({link}#safety))."));
    let attrs = item_attrs(function);
    let impl_attrs = impl_attrs(function);
    let deprecated: Vec<_> = deprecated(function).collect();
    let params = function.arguments().map(|param| {
        let (ident, ty) = (&param.ident, &param.ty);
        quote!(#ident: #ty)
    });
    let names = tuple(function.arguments().map(|param| &param.ident));
    let types = tuple(function.arguments().map(|param| &param.ty));
    let new = (function.kept().next().is_none()).then(|| {
        let deprecated = &deprecated;
        quote! {
            #new_doc
            #(#deprecated)*
            #vis unsafe fn new(#(#params),*) -> Self {
                Self(unsafe { #private::submit::<Self>(#names) })
            }
        }
    });
    let libuv_fn = libuv_fn(function, krate);
    let call = call(function, krate);
    quote! {
        #(#docs)*
        #separator
        #type_doc
        #attrs
        #(#deprecated)*
        #[must_use = "dropping this future cancels the request"]
        #vis struct #type_name<#k = ()>(#private::OpOf<#type_name, #k>);
        #impl_attrs
        #[allow(dead_code)]
        impl #type_name {
            #libuv_fn
            #new
        }
        #impl_attrs
        unsafe impl #krate::Awaitable for #type_name {
            type Fn = #marker;
            type Args = #types;
            type With<#k> = #type_name<#k>;
            #call
            fn wrap<#k>(op: #private::OpOf<Self, #k>) -> #type_name<#k> {
                #type_name(op)
            }
        }
        #impl_attrs
        impl<#k: #private::Payload> ::core::future::Future for #type_name<#k> {
            type Output = #k::Output<#marker>;
            // Always inline, down to the slot (see the runtime's `Op::poll_done`): what the
            // caller uses of the output is read from the slot, not copied through returns.
            #[inline(always)]
            fn poll(
                mut self: ::core::pin::Pin<&mut Self>,
                cx: &mut ::core::task::Context<'_>,
            ) -> ::core::task::Poll<Self::Output> {
                #k::poll(&mut self.0, cx)
            }
        }
    }
}

/// `::uvco::__private::fns::uv_fs_stat`: the runtime's marker for the function, what its
/// request produces. Spanned on the declared name, so that a function the runtime doesn't
/// know is "cannot find type" there.
fn marker(ident: &syn::Ident, krate: &TokenStream) -> TokenStream {
    let krate = respan(krate, ident.span());
    quote_spanned!(ident.span()=> #krate::__private::fns::#ident)
}

/// The type and constructors of a declaration that failed the checks, with `unreachable!()`
/// bodies: enough for its uses to compile, so that only the declaration's own errors are
/// reported. Nothing here calls libuv, and the errors keep the crate from being built.
pub(crate) fn fallback(fallback: &Fallback, krate: &TokenStream) -> TokenStream {
    let Fallback {
        attrs,
        vis,
        type_name,
        ident,
        arguments,
        keeps,
    } = fallback;
    let params = arguments.iter().map(|(ident, ty)| quote!(#ident: #ty));
    let types = tuple(arguments.iter().map(|(_, ty)| ty));
    let new = (!keeps).then(|| {
        quote! {
            #(#attrs)*
            #[allow(dead_code, unused_variables, clippy::diverging_sub_expression)]
            impl #type_name {
                #vis unsafe fn new(#(#params),*) -> Self { ::core::unreachable!() }
            }
        }
    });
    let private = quote!(#krate::__private);
    let marker = marker(ident, krate);
    quote! {
        #(#attrs)*
        #vis struct #type_name<K = ()>(::core::marker::PhantomData<K>);
        #new
        #(#attrs)*
        #[allow(dead_code, unused_variables, clippy::diverging_sub_expression)]
        unsafe impl #krate::Awaitable for #type_name {
            type Fn = #marker;
            type Args = #types;
            type With<K> = #type_name<K>;
            unsafe fn call(_: #private::ReqPtr<Self>, _: Self::Args) -> ::core::ffi::c_int {
                ::core::unreachable!()
            }
            fn wrap<K>(_: #private::OpOf<Self, K>) -> #type_name<K> {
                ::core::unreachable!()
            }
        }
        #(#attrs)*
        impl<K: #private::Payload> ::core::future::Future for #type_name<K> {
            type Output = K::Output<#marker>;
            fn poll(
                self: ::core::pin::Pin<&mut Self>,
                _: &mut ::core::task::Context<'_>,
            ) -> ::core::task::Poll<Self::Output> {
                ::core::unreachable!()
            }
        }
    }
}

/// `const LIBUV_FN: unsafe extern "C" fn(..) -> c_int = ::uvco::__private::sys::uv_fs_stat;`
///
/// The declared types are the user's tokens and the path carries the span of the declared
/// name, so a declaration that differs from libuv's in any way (a parameter's type, even one
/// a call would coerce, such as `*mut` for `*const`; a missing or extra parameter) is a type
/// error on the declaration, and a function libuv does not have is "cannot find value" on
/// its name.
fn libuv_fn(function: &Function, krate: &TokenStream) -> TokenStream {
    let ident = &function.ident;
    let types = function.params.iter().map(|param| &param.ty);
    let output = &function.output;
    let krate = respan(krate, ident.span());
    let sys_fn = quote_spanned!(ident.span()=> #krate::__private::sys::#ident);
    quote! {
        const LIBUV_FN: unsafe extern "C" fn(#(#types),*) -> #output = #sys_fn;
    }
}

/// `unsafe fn call(req, (args,)) -> c_int`: calls libuv's function itself (not through
/// `LIBUV_FN`) with each argument spanned on its declared type, so that a parameter whose type
/// differs from libuv's is its own error, on that type, naming the type libuv has there. Its
/// first line asks the runtime whether the declared request type is a request at all, and the
/// one this function takes (an error on the declared type if not).
fn call(function: &Function, krate: &TokenStream) -> TokenStream {
    let ident = &function.ident;
    let target = &function.request;
    let is_request = quote_spanned!(target.span()=> is_request_of::<#target, Self>());
    let callback_ty = function
        .params
        .iter()
        .find(|param| param.role == Role::Callback)
        .map(|param| &param.ty)
        .expect("a checked function has a callback");
    let is_callback = quote_spanned!(callback_ty.span()=> is_callback_of::<#callback_ty, Self>());
    let names = tuple(function.arguments().map(|param| &param.ident));
    let args = function.params.iter().map(|param| {
        let arg = match param.role {
            Role::Loop => quote!(current_loop()),
            Role::Request => quote!(req),
            Role::Callback => quote!(Self::CB),
            Role::Argument { .. } => param.ident.clone().into_token_stream(),
        };
        let span = param.ty.span();
        quote_spanned!(span=> #arg)
    });
    let output = &function.output;
    // The callee carries the declared name's span, for rustc's "arguments to this function
    // are incorrect" and for a function libuv does not have.
    let sys = quote_spanned!(ident.span()=> sys);
    // The imports are the body's only: the signature's types resolve where they were declared.
    quote! {
        unsafe fn call(req: #krate::__private::ReqPtr<Self>, args: Self::Args) -> #output {
            use #krate::__private::*;
            let #names = args;
            const { (#is_request, #is_callback) };
            unsafe { #sys::#ident(#(#args),*) }
        }
    }
}

/// The declaration's `cfg`, `cfg_attr` and lint levels, for every generated item.
fn item_attrs(function: &Function) -> TokenStream {
    let attrs = function
        .attrs
        .iter()
        .filter(|attr| !attr.path().is_ident("deprecated"));
    quote!(#(#attrs)*)
}

/// [`item_attrs`] and, if the declaration is deprecated, `#[allow(deprecated)]`: the impls
/// use the deprecated type themselves.
fn impl_attrs(function: &Function) -> TokenStream {
    let attrs = item_attrs(function);
    let allow = deprecated(function)
        .next()
        .map(|_| quote!(#[allow(deprecated)]));
    quote!(#attrs #allow)
}

/// The declaration's `#[deprecated]`, for the type and its constructors (not for impl blocks,
/// where it has no effect).
fn deprecated(function: &Function) -> impl Iterator<Item = &syn::Attribute> {
    function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("deprecated"))
}

/// `tokens` with every span set to `span`, so that an error about what they name points there.
pub(crate) fn respan(tokens: &TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(&group.stream(), span));
                inner.set_span(span);
                tree = inner.into();
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// `(a,)` for one element, `(a, b)` for more, `()` for none.
fn tuple<T: ToTokens>(items: impl Iterator<Item = T>) -> TokenStream {
    let items: Vec<T> = items.collect();
    match items.as_slice() {
        [single] => quote!((#single,)),
        items => quote!((#(#items),*)),
    }
}

/// The facade's path as documentation links spell it: `uvco`, `my::uvco`.
fn link(krate: &TokenStream, item: &str) -> String {
    let krate = krate.to_string().replace(' ', "");
    format!("{}::{item}", krate.trim_start_matches("::"))
}

/// "[`uv_fs_stat`](uvco::sys::uv_fs_stat)"
fn sys_link(krate: &TokenStream, ident: &syn::Ident) -> String {
    format!("[`{ident}`]({})", link(krate, &format!("sys::{ident}")))
}

/// "`bufs`", "`a` and `b`", "`a`, `b` and `c`"; empty if nothing is kept.
fn kept_list(function: &Function) -> String {
    let names: Vec<String> = function
        .kept()
        .map(|param| format!("`{}`", param.ident))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Doc attributes, one per line of `text` wrapped at 96 columns (100 with the `///`), each
/// with the leading space of a `///` comment, so that the expansion reads like hand-written
/// documentation.
fn doc(text: &str) -> TokenStream {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > 96 {
                lines.push(std::mem::take(&mut line));
            }
            line.push(' ');
            line.push_str(word);
        }
        lines.push(line);
    }
    quote!(#(#[doc = #lines])*)
}
