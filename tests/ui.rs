//! Compile-fail cases of the macros: one misuse per file in `ui-tests/`, with the compiler's
//! expected output next to it. Re-bless with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("ui-tests/*.rs");
}
