//! The editor features as a user meets them, one table for every editor: model text with the
//! cursor at `$0` (and, for go to definition, the declaration it should land on between `«`
//! and `»`), and what completion, hover or go to definition must give there. The table runs
//! through `medtm-ide` directly (`crates/medtm-ide/tests/features.rs`), through the language
//! server (`tests/lsp.rs`) and through the playground's API (`crates/medtm-wasm/tests/api.rs`),
//! so the three cannot disagree. Labels with characters outside ASCII (and outside the basic
//! plane) sit before many cursors, where bytes, UTF-16 columns and UTF-16 offsets differ.

/// What the feature must give at the cursor.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// Completion offers all of `offers` and none of `not`.
    Completes { offers: &'static [&'static str], not: &'static [&'static str] },
    /// Completion offers nothing.
    CompletesNothing,
    /// The hover's text has each fragment (in its Markdown and its plain form alike).
    Hovers(&'static [&'static str]),
    /// Nothing to show.
    HoversNothing,
    /// Go to definition lands on the span between `«` and `»`, where `id` is declared.
    Defines { id: &'static str },
}

#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub name: &'static str,
    pub text: &'static str,
    pub expect: Expect,
}

/// A case's text without its markers, the cursor's byte offset, and the marked byte range.
#[derive(Debug, Clone)]
pub struct Marked {
    pub text: String,
    pub cursor: usize,
    pub target: Option<(usize, usize)>,
}

impl Case {
    pub fn marked(&self) -> Marked {
        let mut text = String::new();
        let (mut cursor, mut start, mut end) = (None, None, None);
        let mut rest = self.text;
        while let Some(next) = rest.find(['$', '«', '»']) {
            text.push_str(&rest[..next]);
            rest = &rest[next..];
            let marker =
                if rest.starts_with("$0") { "$0" } else { &rest[..rest.chars().next().map_or(1, char::len_utf8)] };
            match marker {
                "$0" => cursor = Some(text.len()),
                "«" => start = Some(text.len()),
                "»" => end = Some(text.len()),
                other => text.push_str(other),
            }
            rest = &rest[marker.len()..];
        }
        text.push_str(rest);
        let cursor = cursor.unwrap_or_else(|| panic!("{}: the text has no `$0`", self.name));
        Marked { text, cursor, target: start.zip(end) }
    }
}

pub const CASES: &[Case] = &[
    // Completion.
    Case {
        name: "keywords at the top level",
        text: "component app \"Pump app 📱\" { kind: mobile_app }\n$0",
        expect: Expect::Completes { offers: &["component", "flow", "accept"], not: &["medium"] },
    },
    Case {
        name: "attributes of a flow, and no declarations in it",
        text: "flow app -> pump \"Bolus 💉\" {\n  medium: ble\n  $0",
        expect: Expect::Completes { offers: &["authn", "carries"], not: &["medium", "component"] },
    },
    Case {
        name: "the words of a medium, with unknown",
        text: "flow app -> pump \"Bolus 💉\" {\n  medium: $0",
        expect: Expect::Completes { offers: &["ble", "wifi", "unknown"], not: &["phi"] },
    },
    Case {
        name: "assets in carries, not elements",
        text: "asset cmd \"Bolus 💉\" { kind: therapy }\ncomponent app { kind: mobile_app }\n\
               flow app -> app { carries: [$0",
        expect: Expect::Completes { offers: &["cmd"], not: &["app"] },
    },
    Case {
        name: "elements at a flow's end",
        text: "component app \"📱\" { kind: mobile_app }\ncomponent pump { kind: wearable }\nflow bolus: app -> $0",
        expect: Expect::Completes { offers: &["app", "pump"], not: &["bolus"] },
    },
    Case {
        name: "CVSS metric keys in an effect, not those written",
        text: "control lock \"🔒\" {\n  category: authentication\n  effect: { UI: R, $0",
        expect: Expect::Completes { offers: &["PR", "AV", "AC"], not: &["UI", "category"] },
    },
    Case {
        name: "CVSS metric values",
        text: "control lock \"🔒\" {\n  category: authentication\n  effect: { UI: R, PR: $0",
        expect: Expect::Completes { offers: &["N", "L", "H"], not: &["R"] },
    },
    Case {
        name: "update flags, not those written",
        text: "component pump \"🫀\" {\n  update: { signed: true, $0",
        expect: Expect::Completes { offers: &["anti_rollback", "secure_boot"], not: &["signed"] },
    },
    Case {
        name: "an update flag's values, `unknown` among them",
        text: "component pump \"🫀\" {\n  update: { signed: $0",
        expect: Expect::Completes { offers: &["true", "false", "unknown"], not: &["signed"] },
    },
    Case {
        name: "`on` after the rule of an accept",
        text: "component app { kind: mobile_app }\naccept weak-ble-pairing $0",
        expect: Expect::Completes { offers: &["on"], not: &["app"] },
    },
    Case {
        name: "`to` after the subject of a transfer",
        text: "component app { kind: mobile_app }\ntransfer weak-ble-pairing on app $0",
        expect: Expect::Completes { offers: &["to"], not: &["app"] },
    },
    Case { name: "nothing inside a comment", text: "// the pump 🫀 $0", expect: Expect::CompletesNothing },
    Case { name: "nothing inside a label", text: "component pump \"Patch 🫀 $0", expect: Expect::CompletesNothing },
    // Hover.
    Case {
        name: "a keyword",
        text: "comp$0onent pump \"Patch pump 🫀\" { kind: wearable }\n",
        expect: Expect::Hovers(&["component (keyword)", "Something that runs code"]),
    },
    Case {
        name: "an attribute, for its declaration",
        text: "component pump \"🫀\" { kind: wearable }\nflow pump -> pump \"🫀\" { med$0ium: ble }\n",
        expect: Expect::Hovers(&["flow.medium (attribute)", "attack vector"]),
    },
    Case {
        name: "a vocabulary word",
        text: "component pump \"🫀\" { kind: wear$0able }\n",
        expect: Expect::Hovers(&["wearable (component kind)"]),
    },
    Case {
        name: "a CVSS metric in an effect",
        text: "component pump \"🫀\" { kind: wearable }\n\
               control lock \"🔒\" { category: authentication, covers: [pump], effect: { UI: R, P$0R: H } }\n",
        expect: Expect::Hovers(&["PR (Privileges Required", "Values:"]),
    },
    Case {
        name: "an update flag",
        text: "component pump \"🫀\" { kind: wearable, update: { sig$0ned: true } }\n",
        expect: Expect::Hovers(&["signed", "Default: false", "listed as an open question"]),
    },
    Case {
        name: "an id: its declaration and the findings on it",
        text: "/// Delivers insulin.\ncomponent pump \"Patch pump 🫀\" { kind: wearable }\n\
               component app \"Pump app 📱\" { kind: mobile_app }\nasset cmd { kind: therapy }\n\
               flow app -> pu$0mp \"Bolus 💉\" { medium: ble, carries: [cmd] }\n",
        expect: Expect::Hovers(&["component pump: Patch pump 🫀", "Delivers insulin.", "finding", "residual"]),
    },
    Case {
        name: "an attribute being typed, before the text parses",
        text: "component pump \"🫀\" { kind: wearable }\nflow pump -> pump \"🫀\" {\n  auth$0n",
        expect: Expect::Hovers(&["flow.authn (attribute)"]),
    },
    Case {
        name: "nothing inside a label",
        text: "component pump \"Patch 🫀 pu$0mp\" { kind: wearable }\n",
        expect: Expect::HoversNothing,
    },
    // Go to definition.
    Case {
        name: "an element at a flow's end",
        text: "component «pump» \"🫀\" { kind: wearable }\ncomponent app \"📱\" { kind: mobile_app }\n\
               flow app -> pu$0mp { medium: ble }\n",
        expect: Expect::Defines { id: "pump" },
    },
    Case {
        name: "an asset in carries",
        text: "asset «cmd» \"Bolus 💉\" { kind: therapy }\ncomponent app \"📱\" { kind: mobile_app }\n\
               flow app -> app { carries: [c$0md] }\n",
        expect: Expect::Defines { id: "cmd" },
    },
    Case {
        name: "an unnamed flow in covers, at its arrow",
        text: "component app \"📱\" { kind: mobile_app }\ncomponent pump \"🫀\" { kind: wearable }\n\
               flow «app -> pump» { medium: ble }\n\
               control lock { category: authentication, covers: [app_to_$0pump] }\n",
        expect: Expect::Defines { id: "app_to_pump" },
    },
    Case {
        name: "a declaration itself",
        text: "component «p$0ump» \"🫀\" { kind: wearable }\n",
        expect: Expect::Defines { id: "pump" },
    },
];
