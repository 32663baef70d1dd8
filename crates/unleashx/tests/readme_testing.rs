//! The crate README's section "Testing a tool built on unleashx" is the
//! module docs of `unleashx::testing` (src/testing.md) word for word, so its
//! examples are the ones `cargo test --doc` runs.

#[test]
fn the_readme_holds_the_testing_section_of_the_crate_docs() {
    let docs = include_str!("../src/testing.md");
    let (heading, body) = docs
        .split_once('\n')
        .expect("src/testing.md starts with a heading");
    let section = format!("#{heading}\n{body}");
    assert!(
        include_str!("../README.md").contains(&section),
        "crates/unleashx/README.md must hold src/testing.md, its heading one level down: copy it again"
    );
}
