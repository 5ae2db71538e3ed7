//! Syntax: the `extern "C"` block as written, with its `#[uv(...)]` options read. Nothing here
//! knows about request kinds; `model` judges what the parameters mean.

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{
    Attribute, FnArg, ForeignItem, ForeignItemFn, Ident, Item, ItemForeignMod, LitStr, Pat,
    ReturnType, Signature, Token, Type, Visibility,
};

/// The items of a `#[uv_awaitable]` block, each to be read with [`function`].
pub(crate) struct Block {
    pub(crate) items: Vec<ForeignItem>,
}

/// One declared libuv function.
pub(crate) struct Function {
    /// Doc comments, carried over to the generated type.
    pub(crate) docs: Vec<Attribute>,
    /// `cfg`, `cfg_attr`, lint levels and `deprecated`, carried over to every generated item.
    pub(crate) attrs: Vec<Attribute>,
    /// `#[uv(name = ...)]`: the generated type's name, if not derived from `ident`.
    pub(crate) rename: Option<Ident>,
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) params: Vec<Param>,
    pub(crate) output: ReturnType,
    /// The whole signature, for errors about it as a whole.
    pub(crate) sig: Signature,
    /// Whether reading it found mistakes (already reported); if so, it is not expanded.
    pub(crate) has_errors: bool,
}

/// One parameter of a declared function.
pub(crate) struct Param {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    /// `#[uv(keep)]`: the span of `keep`.
    pub(crate) keep: Option<Span>,
}

/// Reads the item the attribute is on (an `extern` block). Returns `None` if the item is not
/// an `extern` block at all.
pub(crate) fn block(item: TokenStream, errors: &mut Errors) -> Option<Block> {
    let foreign = match syn::parse2::<Item>(item) {
        Ok(Item::ForeignMod(foreign)) => foreign,
        Ok(other) => {
            errors.spanned(
                &other,
                "`#[uv_awaitable]` goes on an `unsafe extern \"C\" { ... }` block of libuv request functions",
            );
            return None;
        }
        Err(error) => {
            errors.push(error);
            return None;
        }
    };
    check_block(&foreign, errors);
    Some(Block {
        items: foreign.items,
    })
}

fn check_block(foreign: &ItemForeignMod, errors: &mut Errors) {
    for attr in &foreign.attrs {
        errors.spanned(
            attr,
            "`#[uv_awaitable]` does not emit the `extern` block itself, so attributes on it have no effect; put doc comments on the functions",
        );
    }
    if let Some(abi) = &foreign.abi.name {
        if abi.value() != "C" {
            errors.spanned(abi, "libuv functions use the \"C\" ABI");
        }
    }
}

/// Reads one item of the block, which must be a function.
pub(crate) fn function(item: ForeignItem, errors: &mut Errors) -> Option<Function> {
    let function = match item {
        ForeignItem::Fn(function) => function,
        other => {
            errors.spanned(
                other,
                "only functions can be declared in a `#[uv_awaitable]` block",
            );
            return None;
        }
    };
    let errors_before = errors.count();
    let ForeignItemFn {
        attrs, vis, sig, ..
    } = function;
    let mut docs = Vec::new();
    let mut passed_on = Vec::new();
    let mut rename = None;
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("doc") {
            docs.push(attr);
        } else if path.is_ident("uv") {
            function_options(&attr, &mut rename, errors);
        } else if PASSED_ON.iter().any(|name| path.is_ident(name)) {
            passed_on.push(attr);
        } else if path.is_ident("expect") {
            errors.spanned(
                &attr,
                "`#[expect]` cannot be passed on: the declaration becomes several items, and the expectation would go unfulfilled on those without the lint; use `#[allow(...)]`",
            );
        } else {
            errors.spanned(
                &attr,
                "unsupported attribute; functions in a `#[uv_awaitable]` block take doc comments, `#[uv(name = ...)]`, `cfg`, `cfg_attr`, `allow`, `warn`, `deny` and `deprecated`",
            );
        }
    }
    check_signature(&sig, errors);
    let params = sig
        .inputs
        .iter()
        .enumerate()
        .filter_map(|(index, input)| param(index, input, errors))
        .collect();
    Some(Function {
        docs,
        attrs: passed_on,
        rename,
        vis,
        ident: sig.ident.clone(),
        params,
        output: sig.output.clone(),
        sig,
        has_errors: errors.count() > errors_before,
    })
}

/// Attributes of a declaration that apply to what is generated from it.
const PASSED_ON: &[&str] = &["cfg", "cfg_attr", "allow", "warn", "deny", "deprecated"];

/// `#[uv(name = UvStat)]`
fn function_options(attr: &Attribute, rename: &mut Option<Ident>, errors: &mut Errors) {
    let result = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("name") {
            if !meta.input.peek(Token![=]) {
                return Err(meta.error("expected `name = TypeName`"));
            }
            let value = meta.value()?;
            let name = if value.peek(LitStr) {
                let text: LitStr = value.parse()?;
                errors.spanned(
                    &text,
                    "write the name as an identifier, without quotes: `name = UvStat`",
                );
                return Ok(());
            } else {
                value.parse::<Ident>()?
            };
            if rename.is_some() {
                errors.spanned(&meta.path, "`name` is given twice");
            }
            *rename = Some(name);
            Ok(())
        } else {
            unknown_option(
                &meta,
                "unknown option; functions take `#[uv(name = TypeName)]`",
                errors,
            )
        }
    });
    if let Err(error) = result {
        errors.push(error);
    }
}

/// Reports an unknown option and skips its value, so the options after it are still read.
fn unknown_option(
    meta: &syn::meta::ParseNestedMeta,
    message: &str,
    errors: &mut Errors,
) -> syn::Result<()> {
    errors.spanned(&meta.path, message);
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

fn check_signature(sig: &Signature, errors: &mut Errors) {
    if let Some(constness) = &sig.constness {
        errors.spanned(constness, "libuv functions are not `const`");
    }
    if let Some(asyncness) = &sig.asyncness {
        errors.spanned(asyncness, "declare the libuv function itself, which is not `async`; `#[uv_awaitable]` generates the future");
    }
    if let Some(abi) = &sig.abi {
        errors.spanned(
            abi,
            "the ABI comes from the `extern \"C\"` block; remove it here",
        );
    }
    // `Generics` prints only its `<...>`: a where clause on its own needs its own tokens, or
    // the error would point at the macro call instead of the user's code.
    let mut generics = TokenStream::new();
    if !sig.generics.params.is_empty() {
        sig.generics.to_tokens(&mut generics);
    }
    sig.generics.where_clause.to_tokens(&mut generics);
    if !generics.is_empty() {
        errors.spanned(generics, "libuv functions have no generic parameters");
    }
    if let Some(variadic) = &sig.variadic {
        errors.spanned(
            variadic,
            "variadic functions cannot be awaited: libuv request functions have a fixed signature",
        );
    }
}

fn param(index: usize, input: &FnArg, errors: &mut Errors) -> Option<Param> {
    let typed = match input {
        FnArg::Typed(typed) => typed,
        FnArg::Receiver(receiver) => {
            errors.spanned(receiver, "libuv functions have no `self` parameter");
            return None;
        }
    };
    let ident = match &*typed.pat {
        Pat::Ident(pat)
            if pat.by_ref.is_none() && pat.mutability.is_none() && pat.subpat.is_none() =>
        {
            pat.ident.clone()
        }
        Pat::Wild(wild) => {
            errors.spanned(
                wild,
                "name this parameter: the generated constructor takes it by this name",
            );
            Ident::new(&format!("arg{index}"), wild.span())
        }
        other => {
            errors.spanned(other, "expected a parameter name");
            Ident::new(&format!("arg{index}"), other.span())
        }
    };
    let mut keep = None;
    for attr in &typed.attrs {
        if attr.path().is_ident("uv") {
            param_options(attr, &mut keep, errors);
        } else {
            errors.spanned(attr, "unsupported attribute; parameters take `#[uv(keep)]`");
        }
    }
    Some(Param {
        ident,
        ty: (*typed.ty).clone(),
        keep,
    })
}

/// `#[uv(keep)]`
fn param_options(attr: &Attribute, keep: &mut Option<Span>, errors: &mut Errors) {
    let result = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("keep") {
            if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                return Err(meta.error("`keep` takes no value: `#[uv(keep)]`"));
            }
            if keep.is_some() {
                errors.spanned(&meta.path, "`keep` is given twice");
            }
            *keep = Some(meta.path.span());
            Ok(())
        } else {
            unknown_option(
                &meta,
                "unknown option; parameters take `#[uv(keep)]`",
                errors,
            )
        }
    });
    if let Err(error) = result {
        errors.push(error);
    }
}
