//! `#[uv_awaitable]`: syntax (`parse`) → meaning (`model`) → code (`expand`).

use crate::errors::Errors;
use crate::{expand, model, parse};
use proc_macro2::TokenStream;

/// Expands `#[uv_awaitable]` on `item`. Functions that check out are expanded even when others
/// do not, so one mistake does not cascade into "cannot find type" errors elsewhere; every
/// error is reported as well.
pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let (tokens, errors) = expand_with_errors(attr, item);
    let errors = errors.to_compile_error();
    quote::quote!(#tokens #errors)
}

/// The expansion and, separately, the errors.
pub(crate) fn expand_with_errors(attr: TokenStream, item: TokenStream) -> (TokenStream, Errors) {
    let mut errors = Errors::default();
    let original = item.clone();
    let Some(block) = parse::block(attr, item, &mut errors) else {
        // Not an extern block: keep the item as it was, so only our error is reported.
        return (original, errors);
    };
    // One function at a time, so that errors come out in the order of the source.
    let mut functions = Vec::new();
    for item in block.items {
        let Some(function) = parse::function(item, &mut errors) else {
            continue;
        };
        if let Some(function) = model::check(function, &functions, &mut errors) {
            functions.push(function);
        }
    }
    let tokens = functions.iter().map(expand::function).collect();
    (tokens, errors)
}
