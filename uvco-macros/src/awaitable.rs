//! `#[uv_awaitable]`: syntax (`parse`) → meaning (`model`) → code (`expand`).

use crate::errors::Errors;
use crate::{expand, model, options, parse};
use proc_macro2::TokenStream;

/// Expands `#[uv_awaitable]` on `item`. Functions that check out are expanded even when others
/// do not, and those that don't still get their type and constructors (with `unreachable!()`
/// bodies), so one mistake does not cascade into "cannot find type" errors elsewhere; every
/// error is reported as well.
pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let (tokens, errors) = expand_with_errors(attr, item);
    let errors = errors.to_compile_error();
    quote::quote!(#tokens #errors)
}

/// The expansion and, separately, the errors.
pub(crate) fn expand_with_errors(attr: TokenStream, item: TokenStream) -> (TokenStream, Errors) {
    let mut errors = Errors::default();
    let krate = options::crate_path(attr, "#[uv_awaitable]", &mut errors);
    let original = item.clone();
    let Some(block) = parse::block(item, &mut errors) else {
        // Not an extern block: keep the item as it was, so only our error is reported.
        return (original, errors);
    };
    // One function at a time, so that errors come out in the order of the source.
    let mut functions = Vec::new();
    let mut tokens = TokenStream::new();
    for item in block.items {
        let Some(function) = parse::function(item, &mut errors) else {
            continue;
        };
        match model::check(function, &functions, &mut errors) {
            Ok(function) => functions.push(function),
            Err(Some(fallback)) => tokens.extend(expand::fallback(&fallback, &krate)),
            Err(None) => {}
        }
    }
    tokens.extend(
        functions
            .iter()
            .map(|function| expand::function(function, &krate)),
    );
    (tokens, errors)
}
