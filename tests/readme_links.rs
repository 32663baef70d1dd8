//! Every README.md in the repository stands alone: each relative link and
//! each `../` path it mentions resolves to a file inside the repository, and
//! each `#anchor` link to a heading of the same file.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("the workspace root exists")
}

/// The README.md files of the repository, outside build output and tools.
fn readmes(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("readable directory");
    for entry in entries {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(name, "target" | "node_modules" | ".git") {
                readmes(&path, found);
            }
        } else if name == "README.md" {
            found.push(path);
        }
    }
}

/// The targets of `[text](target)` links.
fn links(text: &str) -> Vec<String> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            rest.find(')').map(|end| rest[..end].trim().to_owned())
        })
        .collect()
}

/// Paths written as `../...`, starting where no other path character precedes.
fn parent_paths(text: &str) -> Vec<String> {
    let is_path = |c: char| c.is_ascii_alphanumeric() || "_./-".contains(c);
    text.match_indices("../")
        .filter(|(at, _)| !text[..*at].chars().next_back().is_some_and(is_path))
        .map(|(at, _)| text[at..].chars().take_while(|c| is_path(*c)).collect())
        .collect()
}

/// GitHub's anchor for a heading.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn problems(readme: &Path, root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(readme).expect("readable README");
    let dir = readme.parent().expect("a README has a directory");
    let anchors: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|h| slug(h.trim_start_matches('#')))
        .collect();
    let check_path = |target: &str| {
        let file = target.split('#').next().unwrap_or(target);
        match dir.join(file).canonicalize() {
            Ok(path) if path.starts_with(root) => None,
            Ok(path) => Some(format!(
                "{target} leaves the repository ({})",
                path.display()
            )),
            Err(_) => Some(format!("{target} does not exist in the repository")),
        }
    };
    let mut out = Vec::new();
    for target in links(&text) {
        if target.starts_with("https://") || target.starts_with("http://") {
            continue;
        }
        if let Some(anchor) = target.strip_prefix('#') {
            if !anchors.iter().any(|a| a == anchor) {
                out.push(format!("#{anchor} is not a heading of this file"));
            }
            continue;
        }
        out.extend(check_path(&target));
    }
    for path in parent_paths(&text) {
        out.extend(check_path(&path));
    }
    out
}

#[test]
fn every_readme_stands_alone() {
    let root = root();
    let mut found = Vec::new();
    readmes(&root, &mut found);
    assert!(
        found.iter().any(|p| p == &root.join("README.md")),
        "the root README.md was not found"
    );
    let mut all = Vec::new();
    for readme in &found {
        for problem in problems(readme, &root) {
            all.push(format!("{}: {problem}", readme.display()));
        }
    }
    assert!(all.is_empty(), "{all:#?}");
}

#[test]
fn the_checks_see_what_they_must() {
    let text = "see [spec](openapi.yaml), [out](../x.md), `../shared/a.md`, .../b.json";
    assert_eq!(links(text), ["openapi.yaml", "../x.md"]);
    assert_eq!(parent_paths(text), ["../x.md", "../shared/a.md"]);
    assert_eq!(slug(" When the spec changes"), "when-the-spec-changes");
    assert_eq!(slug("TLS backends"), "tls-backends");
}
