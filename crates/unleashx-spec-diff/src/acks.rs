//! Acknowledgements: `BREAKING:` lines under `## [Unreleased]` in the
//! changelog that quote, in backticks, the ids of the changes they accept.
//!
//! An id names the change, not the type (`unleashx-api:
//! types::LoginRequest.otp: type Option<Otp> -> Otp`), so a line accepts
//! exactly the changes it quotes: a later change to the same field has
//! another id, and a line for a change already in the baseline matches
//! nothing (it is reported as stale).

/// One acknowledged id and the changelog line it is on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// The quoted id.
    pub id: String,
    /// Its line in the changelog.
    pub line: usize,
}

/// The ids quoted on `BREAKING:` lines of the `## [Unreleased]` section.
/// A quoted text that names no crate (`` `LoginRequest` ``) is not an id and
/// is returned in the second list, with its line, so the report can say so.
pub fn parse(changelog: &str, crates: &[&str]) -> (Vec<Ack>, Vec<Ack>) {
    let mut in_unreleased = false;
    let names_crate = |id: &str| {
        crates.iter().any(|c| {
            id.strip_prefix(c)
                .is_some_and(|rest| rest.starts_with(": "))
        })
    };
    changelog
        .lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, line)| {
            if let Some(heading) = line.strip_prefix("## ") {
                in_unreleased = heading
                    .trim()
                    .trim_start_matches('[')
                    .to_ascii_lowercase()
                    .starts_with("unreleased");
                return false;
            }
            in_unreleased && line.contains("BREAKING:")
        })
        .flat_map(|(i, line)| {
            line.split('`').skip(1).step_by(2).map(move |quoted| Ack {
                id: quoted.to_owned(),
                line: i + 1,
            })
        })
        .partition(|ack| names_crate(&ack.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRATES: [&str; 2] = ["unleashx-api", "unleashx"];

    #[test]
    fn only_quoted_ids_under_unreleased_count() {
        let text = "\
# Changelog
## [Unreleased]
- BREAKING: `unleashx-api: types::A.x: type Option<u8> -> u8` and `unleashx: A removed`: why
- BREAKING: `A`: names a type, not a change
- `unleashx-api: types::B.y removed` without the marker
## [0.1.0] - 2026-01-01
- BREAKING: `unleashx-api: types::C.z removed`
";
        let (ids, not_ids) = parse(text, &CRATES);
        let got: Vec<_> = ids.iter().map(|a| (a.id.as_str(), a.line)).collect();
        assert_eq!(
            got,
            [
                ("unleashx-api: types::A.x: type Option<u8> -> u8", 3),
                ("unleashx: A removed", 3)
            ]
        );
        assert_eq!(not_ids.len(), 1);
        assert_eq!(not_ids[0].id, "A");
    }

    #[test]
    fn a_crate_name_prefix_of_another_is_not_confused() {
        let (ids, _) = parse(
            "## Unreleased\n- BREAKING: `unleashx-apix: a`\n",
            &["unleashx-api"],
        );
        assert!(ids.is_empty());
    }
}
