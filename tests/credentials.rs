//! What a credential or key opens sets the harm of losing it (`tests/fixtures/credentials/`).
//! Each fixture states `// expect-harm: RULE@SUBJECT HARM` (`none` for privacy only), read
//! against the JSON report.

use medtm_tests::{TODAY, medtm, root};

#[test]
fn a_credential_carries_the_harm_of_what_it_opens() {
    let dir = root().join("tests/fixtures/credentials");
    let mut fixtures: Vec<_> =
        std::fs::read_dir(&dir).expect("fixtures").filter_map(|entry| entry.ok().map(|entry| entry.path())).collect();
    fixtures.sort();
    let mut checked = 0;
    let mut problems = Vec::new();
    for path in fixtures.iter().filter(|path| path.extension().is_some_and(|ext| ext == "mtm")) {
        let name = path.file_name().and_then(|name| name.to_str()).expect("a name");
        let relative = format!("tests/fixtures/credentials/{name}");
        let run = medtm(&["report", "--format", "json", "--today", TODAY, &relative], b"");
        assert!(run.code == 0 || run.code == 3, "{relative}: {}", run.stderr);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("a JSON report");
        let text = std::fs::read_to_string(path).expect("fixture");
        for line in text.lines().filter_map(|line| line.strip_prefix("// expect-harm: ")) {
            checked += 1;
            let (id, harm) = line.trim().split_once(' ').expect("`RULE@SUBJECT HARM`");
            let finding = report["findings"].as_array().into_iter().flatten().find(|finding| finding["id"] == id);
            match finding {
                None => problems.push(format!("{relative}: no finding {id}")),
                Some(finding) => {
                    let actual = finding["harm"].as_str().unwrap_or("none");
                    if actual != harm {
                        problems.push(format!("{relative}: {id} has harm {actual}, expected {harm}"));
                    }
                }
            }
        }
    }
    assert!(checked >= 2, "only {checked} expectations");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
