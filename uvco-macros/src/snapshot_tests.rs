//! M4: the expansion of the project's declarations, pretty-printed, is kept in `snapshots/`;
//! a change to it fails this test until it is re-blessed with
//! `UVCO_BLESS=1 cargo test -p uvco-macros`.

use std::path::Path;

/// The facade's declarations, relative to this crate's manifest directory.
const REQUESTS: &str = "../src/requests.rs";
/// Declarations that cover every shape the macro generates, independent of the facade.
const FIXTURE: &str = "tests/fixtures/requests.rs";

#[test]
fn facade_requests() {
    if !Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(REQUESTS)
        .exists()
    {
        eprintln!("{REQUESTS} does not exist yet; nothing to compare");
        return;
    }
    check(REQUESTS, "snapshots/requests.expanded.rs");
}

#[test]
fn fixture_requests() {
    check(FIXTURE, "snapshots/fixture.expanded.rs");
}

fn check(source: &str, snapshot: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(dir.join(source))
        .unwrap_or_else(|error| panic!("reading {source}: {error}"));
    let expanded = format!(
        "// The expansion of `#[uv_awaitable]` in {source}.\n\
         // Checked by src/snapshot_tests.rs; re-bless with `UVCO_BLESS=1 cargo test -p uvco-macros`.\n\n{}",
        expand(&text, source)
    );
    let path = dir.join(snapshot);
    if std::env::var_os("UVCO_BLESS").is_some_and(|bless| bless == "1") {
        std::fs::write(&path, &expanded)
            .unwrap_or_else(|error| panic!("writing {snapshot}: {error}"));
        return;
    }
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old != expanded {
        let line = old
            .lines()
            .zip(expanded.lines())
            .position(|(old, new)| old != new)
            .unwrap_or(old.lines().count().min(expanded.lines().count()));
        panic!(
            "the expansion of {source} differs from uvco-macros/{snapshot} (first at line {}).\n\
             If the change is intended, re-bless with: UVCO_BLESS=1 cargo test -p uvco-macros\n\n\
             new expansion:\n{expanded}",
            line + 1
        );
    }
}

/// Finds the one `#[uv_awaitable]` block of `text`, expands it, pretty-prints the result.
fn expand(text: &str, source: &str) -> String {
    let file = syn::parse_file(text).unwrap_or_else(|error| panic!("parsing {source}: {error}"));
    let mut blocks = file.items.into_iter().filter_map(|item| match item {
        syn::Item::ForeignMod(mut block) => {
            let position = block.attrs.iter().position(|attr| {
                attr.path().is_ident("uv_awaitable")
                    || attr
                        .path()
                        .segments
                        .last()
                        .is_some_and(|last| last.ident == "uv_awaitable")
            })?;
            block.attrs.remove(position);
            Some(block)
        }
        _ => None,
    });
    let block = blocks
        .next()
        .unwrap_or_else(|| panic!("{source} has no #[uv_awaitable] block"));
    assert!(
        blocks.next().is_none(),
        "{source} has more than one #[uv_awaitable] block"
    );
    let tokens = crate::awaitable::expand(proc_macro2::TokenStream::new(), quote::quote!(#block));
    let file = syn::parse2::<syn::File>(tokens)
        .unwrap_or_else(|error| panic!("the expansion of {source} does not parse: {error}"));
    prettyplease::unparse(&file)
}
