//! `#[uvco::main]` and `#[uvco::test]`: run an `async fn` to completion on a fresh runtime.
//!
//! The body stays tokens: only the signature and the body's inner attributes are parsed, so a
//! syntax error inside the body is rustc's to report, once, and the attribute still expands.
//! Mistakes in the signature are reported and the function is expanded anyway, so rustc adds
//! nothing of its own (no "`main` function is not allowed to be `async`").

use crate::errors::Errors;
use crate::options;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{AttrStyle, Attribute, Signature, Visibility};

/// `#[uvco::main]`
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand(Entry::Main, attr, item)
}

/// `#[uvco::test]`
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand(Entry::Test, attr, item)
}

#[derive(Clone, Copy)]
pub(crate) enum Entry {
    Main,
    Test,
}

impl Entry {
    fn attribute(self) -> &'static str {
        match self {
            Entry::Main => "#[uvco::main]",
            Entry::Test => "#[uvco::test]",
        }
    }
}

/// An `fn` whose body is kept as tokens.
pub(crate) struct EntryFn {
    attrs: Vec<Attribute>,
    vis: Visibility,
    sig: Signature,
    /// The body's inner attributes (`#![allow(..)]`).
    inner_attrs: Vec<Attribute>,
    /// The body after its inner attributes, unparsed.
    body: TokenStream,
    /// The body's closing brace, for a body that is empty.
    close: Span,
}

impl Parse for EntryFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let content;
        let brace = syn::braced!(content in input);
        let inner_attrs = content.call(Attribute::parse_inner)?;
        let body = content.parse()?;
        Ok(EntryFn {
            attrs,
            vis,
            sig,
            inner_attrs,
            body,
            close: brace.span.close(),
        })
    }
}

fn expand(entry: Entry, attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let expanded = match check(entry, attr, item.clone(), &mut errors) {
        Some((function, krate)) => run_on_runtime(entry, function, &krate),
        // Not a function: keep the item as written, so the compiler has nothing else to say.
        None => item,
    };
    let errors = errors.to_compile_error();
    quote!(#expanded #errors)
}

/// Reports every mistake; returns the function and the facade's path unless the item is not
/// a function at all.
pub(crate) fn check(
    entry: Entry,
    attr: TokenStream,
    item: TokenStream,
    errors: &mut Errors,
) -> Option<(EntryFn, TokenStream)> {
    let name = entry.attribute();
    let krate = options::crate_path(attr, name, errors);
    let mut function = match syn::parse2::<EntryFn>(item.clone()) {
        Ok(function) => function,
        Err(error) => {
            match syn::parse2::<syn::Item>(item) {
                Ok(other) if !matches!(other, syn::Item::Fn(_)) => {
                    errors.spanned(other, format!("`{name}` goes on an `async fn`"));
                }
                _ => errors.push(error),
            }
            return None;
        }
    };
    if let Entry::Test = entry {
        for attr in function
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("test"))
        {
            errors.spanned(
                attr,
                "`#[uvco::test]` already makes this a test; remove `#[test]`",
            );
        }
        // Reported; a second `#[test]` would be rustc's error on top.
        function.attrs.retain(|attr| !attr.path().is_ident("test"));
    }
    let Signature {
        asyncness,
        fn_token,
        inputs,
        ..
    } = &function.sig;
    if asyncness.is_none() {
        errors.spanned(
            fn_token,
            format!("`{name}` goes on an `async fn`; add `async`"),
        );
    }
    if !inputs.is_empty() {
        errors.spanned(inputs, format!("`{name}` functions take no arguments"));
    }
    Some((function, krate))
}

/// `fn name() -> R { let body = async move { .. }; { return Runtime::new()..block_on(body); } }`
fn run_on_runtime(entry: Entry, function: EntryFn, krate: &TokenStream) -> TokenStream {
    let EntryFn {
        mut attrs,
        vis,
        mut sig,
        inner_attrs,
        body,
        close,
    } = function;
    sig.asyncness = None;
    // Inner attributes cannot stay inside `async move { .. }`; they apply to the function as
    // a whole, so they become its outer attributes.
    for mut attr in inner_attrs {
        attr.style = AttrStyle::Outer;
        attrs.push(attr);
    }
    // A test with parameters was reported: as a plain fn it adds no error of rustc's.
    let test = match entry {
        Entry::Main => None,
        Entry::Test if sig.inputs.is_empty() => Some(quote!(#[::core::prelude::v1::test])),
        Entry::Test => Some(quote!(#[allow(dead_code)])),
    };
    // Spanned on the body's last token, so that a body whose value is not the declared
    // return type is reported at the user's code, not at the attribute.
    let last = body
        .clone()
        .into_iter()
        .last()
        .map_or(close, |tree| tree.span());
    let krate = crate::expand::respan(krate, last);
    let run = quote_spanned! {last=>
        #[allow(clippy::expect_used, clippy::needless_return)]
        {
            return #krate::Runtime::new()
                .expect("uvco: failed to create the libuv loop")
                .block_on(body);
        }
    };
    quote! {
        #test
        #(#attrs)*
        #vis #sig {
            let body = async move { #body };
            #run
        }
    }
}
