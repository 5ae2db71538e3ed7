//! `#[uvco::main]` and `#[uvco::test]`: run an `async fn` to completion on a fresh runtime.

use crate::errors::Errors;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{AttrStyle, ItemFn, Signature};

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

fn expand(entry: Entry, attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let expanded = match check(entry, attr, item.clone(), &mut errors) {
        Some(function) => run_on_runtime(entry, function),
        // Keep the item as written, so that IDEs keep working and the compiler has nothing
        // else to say about it.
        None => item,
    };
    let errors = errors.to_compile_error();
    quote!(#expanded #errors)
}

/// Reports every mistake; returns the function if it can be expanded all the same (when the
/// only mistakes are in the attributes around it).
pub(crate) fn check(
    entry: Entry,
    attr: TokenStream,
    item: TokenStream,
    errors: &mut Errors,
) -> Option<ItemFn> {
    let name = entry.attribute();
    if !attr.is_empty() {
        errors.spanned(&attr, format!("`{name}` takes no arguments"));
    }
    let function = match syn::parse2::<syn::Item>(item) {
        Ok(syn::Item::Fn(function)) => function,
        Ok(other) => {
            errors.spanned(other, format!("`{name}` goes on an `async fn`"));
            return None;
        }
        Err(error) => {
            errors.push(error);
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
    }
    let before = errors.count();
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
    (errors.count() == before).then_some(function)
}

/// `fn name() -> R { ::uvco::Runtime::new().expect(..).block_on(async move { body }) }`
fn run_on_runtime(entry: Entry, function: ItemFn) -> TokenStream {
    let ItemFn {
        mut attrs,
        vis,
        mut sig,
        block,
    } = function;
    sig.asyncness = None;
    // The body's inner attributes (`#![allow(..)]`) cannot stay inside `async move { .. }`;
    // they apply to the function as a whole, so they become its outer attributes.
    for attr in &mut attrs {
        attr.style = AttrStyle::Outer;
    }
    let test = match entry {
        Entry::Main => None,
        Entry::Test => {
            // A `#[test]` of the user's own was reported; don't make it a second one.
            attrs.retain(|attr| !attr.path().is_ident("test"));
            Some(quote!(#[::core::prelude::v1::test]))
        }
    };
    quote! {
        #test
        #(#attrs)*
        #vis #sig {
            ::uvco::Runtime::new()
                .expect("uvco: failed to create the libuv loop")
                .block_on(async move #block)
        }
    }
}
