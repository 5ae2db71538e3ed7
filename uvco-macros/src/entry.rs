//! `#[uvco::main]` and `#[uvco::test]`: run an `async fn` to completion on a fresh runtime.
//!
//! The body stays tokens: only the signature and the body's inner attributes are parsed, so a
//! syntax error inside the body is rustc's to report, once, and the attribute still expands.
//! Mistakes in the signature are reported and the function is expanded anyway, so rustc adds
//! nothing of its own (no "`main` function is not allowed to be `async`").

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::meta::ParseNestedMeta;
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

/// The attribute's own arguments.
pub(crate) struct Options {
    /// The facade's path: `crate = path`, `::uvco` unless given (as `options::crate_path`
    /// reads it for the other attributes).
    krate: TokenStream,
    /// `start_paused = true` (`#[uvco::test]` only): the runtime's clock is paused before the
    /// body runs, as `#[tokio::test(start_paused = true)]`.
    start_paused: bool,
}

/// Reads `crate = path`, and for a test `start_paused = bool`; reports anything else, and
/// `start_paused` on `#[uvco::main]`.
fn options(entry: Entry, attr: TokenStream, errors: &mut Errors) -> Options {
    let mut krate = None;
    let mut start_paused = None;
    let parser = syn::meta::parser(|meta: ParseNestedMeta| {
        if meta.path.is_ident("crate") {
            let value: syn::Path = meta.value()?.parse()?;
            if krate.is_some() {
                errors.spanned(&meta.path, "`crate` is given twice");
            }
            krate = Some(value);
            Ok(())
        } else if meta.path.is_ident("start_paused") {
            let value: syn::Expr = meta.value()?.parse()?;
            if let Entry::Main = entry {
                errors.spanned(
                    &meta.path,
                    "`start_paused` is an option of `#[uvco::test]`; in `#[uvco::main]`, call \
                     `uvco::time::pause()` first thing",
                );
                return Ok(());
            }
            if start_paused.is_some() {
                errors.spanned(&meta.path, "`start_paused` is given twice");
            }
            match value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Bool(value),
                    ..
                }) => start_paused = Some(value.value),
                other => errors.spanned(other, "`start_paused` takes `true` or `false`"),
            }
            Ok(())
        } else {
            Err(meta.error(match entry {
                Entry::Main => "`#[uvco::main]` takes only `crate = path`",
                Entry::Test => {
                    "`#[uvco::test]` takes only `crate = path` and `start_paused = bool`"
                }
            }))
        }
    });
    if let Err(error) = syn::parse::Parser::parse2(parser, attr) {
        errors.push(error);
    }
    Options {
        krate: krate.map_or_else(|| quote!(::uvco), |path| quote!(#path)),
        start_paused: start_paused.unwrap_or(false),
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
        Some((function, options)) => run_on_runtime(entry, function, &options),
        // Not a function: keep the item as written, so the compiler has nothing else to say.
        None => item,
    };
    let errors = errors.to_compile_error();
    quote!(#expanded #errors)
}

/// Reports every mistake; returns the function and the attribute's options unless the item
/// is not a function at all.
pub(crate) fn check(
    entry: Entry,
    attr: TokenStream,
    item: TokenStream,
    errors: &mut Errors,
) -> Option<(EntryFn, Options)> {
    let name = entry.attribute();
    let options = options(entry, attr, errors);
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
    Some((function, options))
}

/// `fn name() -> R { let body = async move { .. }; { return Runtime::new()..block_on(body); } }`;
/// with `start_paused`, the runtime blocks on `async move { pause(); body.await }`.
fn run_on_runtime(entry: Entry, function: EntryFn, options: &Options) -> TokenStream {
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
    let krate = crate::expand::respan(&options.krate, last);
    let future = if options.start_paused {
        quote_spanned! {last=> async move { #krate::time::pause(); body.await } }
    } else {
        quote_spanned! {last=> body }
    };
    let run = quote_spanned! {last=>
        #[allow(clippy::expect_used, clippy::needless_return)]
        {
            return #krate::Runtime::new()
                .expect("uvco: failed to create the libuv loop")
                .block_on(#future);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(source: &str) -> TokenStream {
        source.parse().unwrap()
    }

    /// The messages and source text of the errors `check` reports.
    fn errors_of(entry: Entry, attr: &str) -> Vec<(String, String)> {
        let mut errors = Errors::default();
        let _ = check(
            entry,
            tokens(attr),
            tokens("async fn works() {}"),
            &mut errors,
        );
        errors
            .into_error()
            .into_iter()
            .flatten()
            .map(|e| (e.to_string(), e.span().source_text().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn start_paused_pauses_before_the_body() {
        let expansion = test(tokens("start_paused = true"), tokens("async fn works() {}"));
        let expected = quote! {
            .block_on(async move { ::uvco::time::pause(); body.await });
        };
        assert!(
            expansion.to_string().contains(&expected.to_string()),
            "{expansion}"
        );
        let with_crate = test(
            tokens("crate = my::uvco, start_paused = true"),
            tokens("async fn works() {}"),
        );
        assert!(
            with_crate
                .to_string()
                .contains("my :: uvco :: time :: pause ()"),
            "{with_crate}"
        );
    }

    #[test]
    fn start_paused_false_is_the_plain_expansion() {
        let item = "async fn works() { run().await }";
        assert_eq!(
            test(tokens("start_paused = false"), tokens(item)).to_string(),
            test(TokenStream::new(), tokens(item)).to_string()
        );
    }

    #[test]
    fn start_paused_misuses_are_spanned_errors() {
        let on_main = errors_of(Entry::Main, "start_paused = true");
        assert_eq!(on_main.len(), 1, "{on_main:?}");
        assert!(on_main[0].0.contains("an option of `#[uvco::test]`"));
        assert_eq!(on_main[0].1, "start_paused");

        for value in ["1", "\"true\"", "yes"] {
            let not_bool = errors_of(Entry::Test, &format!("start_paused = {value}"));
            assert_eq!(not_bool.len(), 1, "{not_bool:?}");
            assert_eq!(not_bool[0].0, "`start_paused` takes `true` or `false`");
            assert_eq!(not_bool[0].1, value);
        }

        let twice = errors_of(Entry::Test, "start_paused = true, start_paused = false");
        assert_eq!(twice.len(), 1, "{twice:?}");
        assert_eq!(twice[0].0, "`start_paused` is given twice");

        let unknown = errors_of(Entry::Test, "flavor = \"current_thread\"");
        assert_eq!(
            unknown[0].0,
            "`#[uvco::test]` takes only `crate = path` and `start_paused = bool`"
        );
        let unknown = errors_of(Entry::Main, "flavor = \"current_thread\"");
        assert_eq!(unknown[0].0, "`#[uvco::main]` takes only `crate = path`");
    }
}
