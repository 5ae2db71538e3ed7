//! The attributes' own arguments: `crate = path`, the one option every attribute takes.

use crate::errors::Errors;
use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;

/// Reads `crate = path` from an attribute's arguments; returns the path the generated code
/// names the facade by, `::uvco` unless given. A wrapper crate that re-exports uvco (as
/// `pub use uvco;`) passes its own path, so its users need no `uvco` dependency of their own.
pub(crate) fn crate_path(attr: TokenStream, name: &str, errors: &mut Errors) -> TokenStream {
    let mut path = None;
    let parser = syn::meta::parser(|meta: ParseNestedMeta| {
        if meta.path.is_ident("crate") {
            let value: syn::Path = meta.value()?.parse()?;
            if path.is_some() {
                errors.spanned(&meta.path, "`crate` is given twice");
            }
            path = Some(value);
            Ok(())
        } else {
            Err(meta.error(format!("`{name}` takes only `crate = path`")))
        }
    });
    if let Err(error) = syn::parse::Parser::parse2(parser, attr) {
        errors.push(error);
    }
    path.map_or_else(|| quote!(::uvco), |path| quote!(#path))
}
