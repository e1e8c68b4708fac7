//! Every response type decodes every model-conformant body, whatever the documented type drift:
//! numbers sent as numeric strings and back, booleans as `"true"`/`1`, empty strings and nulls
//! for absent values, missing optional fields, and lists bare, wrapped in their wrapper object
//! or reduced to a single item. Bodies are generated from each action's response tree in the
//! models, with proptest choosing the shape; no body may panic or fail to decode.

#[path = "generated/every_action.rs"]
mod generated;

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

fn read(name: &str) -> Value {
    let path = format!("{}/models/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A small deterministic generator seeded by proptest: proptest shrinks the seed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, in_ten: u64) -> bool {
        self.below(10) < in_ten
    }
}

/// What the overlay says about response fields: which must be there, and the Rust type it
/// gives some (by wire name for every action, by path for this one).
#[derive(Default)]
struct Rules {
    required: Vec<String>,
    by_name: BTreeMap<String, String>,
    by_path: BTreeMap<String, String>,
}

fn rules(overlay: &Value, action: &str) -> Rules {
    let mut rules = Rules::default();
    for (name, field) in overlay["fields"].as_object().into_iter().flatten() {
        if let Some(t) = field["rust_type"].as_str() {
            rules.by_name.insert(name.clone(), t.to_owned());
        }
    }
    let response = &overlay["actions"][action]["response"];
    for (path, field) in response.as_object().into_iter().flatten() {
        if field["required"] == true {
            rules.required.push(path.clone());
        }
        if let Some(t) = field["rust_type"].as_str() {
            rules.by_path.insert(path.clone(), t.to_owned());
        }
    }
    rules
}

fn scalar(ty: &Value, name: &str, path: &str, rules: &Rules, dice: &mut Dice) -> Value {
    let n = dice.below(1_000_000);
    let forced = rules.by_path.get(path).or_else(|| rules.by_name.get(name));
    let kind = match forced.map(String::as_str) {
        Some("eui") => {
            return match dice.below(3) {
                0 => json!(format!("{n:016X}")),
                1 => json!(n),
                _ => json!(format!("{n:016x}")),
            };
        }
        Some("u64" | "u32" | "i64" | "millis") => "integer",
        Some(_) => "string",
        None => ty["type"].as_str().unwrap(),
    };
    match kind {
        "integer" => match dice.below(4) {
            0 => json!(n.to_string()),
            1 => json!(n as f64),
            _ => json!(n),
        },
        "number" => match dice.below(3) {
            0 => json!(format!("{}.5", n)),
            1 => json!(n),
            _ => json!(n as f64 + 0.25),
        },
        "boolean" => match dice.below(5) {
            0 => json!("true"),
            1 => json!("False"),
            2 => json!(1),
            _ => json!(dice.chance(5)),
        },
        "string" => match dice.below(4) {
            0 => json!(n),
            1 => json!(""),
            2 => json!("值 with spaces / and \"quotes\""),
            _ => json!(format!("s{n}")),
        },
        "map" => json!({"k": n, "v": [1, "x"]}),
        _ => json!(["any", n]),
    }
}

/// A body of type `ty` at `path`, with drift.
fn body(ty: &Value, name: &str, path: &str, rules: &Rules, dice: &mut Dice) -> Value {
    match ty["type"].as_str().unwrap() {
        "object" => {
            let fields = ty["fields"].as_array().map_or(&[][..], Vec::as_slice);
            if let [only] = fields {
                if only["type"] == "array" && dice.chance(3) {
                    // A wrapper object sent as the bare list it wraps.
                    let inner = format!("{path}.{}", only["name"].as_str().unwrap());
                    return match body(only, name, &inner, rules, dice) {
                        list @ Value::Array(_) => list,
                        // Not also reduced to one item: that would read as a wrapper.
                        one => Value::Array(vec![one]),
                    };
                }
            }
            let mut map = Map::new();
            for field in ty["fields"].as_array().into_iter().flatten() {
                let fname = field["name"].as_str().unwrap();
                let fpath = if path.is_empty() {
                    fname.to_owned()
                } else {
                    format!("{path}.{fname}")
                };
                let required =
                    rules.required.contains(&fpath) || (path.is_empty() && fname == "RequestId");
                if !required && dice.chance(2) {
                    continue; // absent
                }
                if !required && dice.chance(1) {
                    map.insert(fname.to_owned(), Value::Null);
                    continue;
                }
                let mut value = body(field, fname, &fpath, rules, dice);
                if required && value == json!("") {
                    value = json!("1");
                }
                if path.is_empty() && fname == "Success" {
                    value = json!(true);
                }
                if path.is_empty() && fname == "Code" {
                    value = json!("OK");
                }
                map.insert(fname.to_owned(), value);
            }
            Value::Object(map)
        }
        "array" => {
            let items = &ty["items"];
            let item_path = format!("{path}[]");
            let list: Vec<Value> = (0..dice.below(4))
                .map(|_| body(items, name, &item_path, rules, dice))
                .collect();
            match dice.below(6) {
                // What an XML-to-JSON conversion makes of a list of one.
                0 if list.len() == 1 => list.into_iter().next().unwrap(),
                _ => Value::Array(list),
            }
        }
        _ => scalar(ty, name, path, rules, dice),
    }
}

#[test]
fn every_answer_decodes_with_type_drift() {
    let mut decoded = BTreeMap::new();
    for (model_file, overlay_file) in [
        ("linkwan-2019-03-01.json", "linkwan-2019-03-01.overlay.json"),
        (
            "dysmsapi-2017-05-25.json",
            "dysmsapi-2017-05-25.overlay.json",
        ),
    ] {
        let model = read(model_file);
        let overlay = read(overlay_file);
        let code = model["code"].as_str().unwrap().to_owned();
        for action in model["actions"].as_array().unwrap() {
            let name = action["name"].as_str().unwrap().to_owned();
            let rules = rules(&overlay, &name);
            let response = action["response"].clone();
            let mut runner = TestRunner::new(Config {
                cases: 64,
                failure_persistence: None,
                ..Config::default()
            });
            let result = runner.run(&any::<u64>(), |seed| {
                let mut dice = Dice(seed | 1);
                let body = body(&response, "", "", &rules, &mut dice);
                let text = serde_json::to_vec(&body).unwrap();
                match generated::decode(&code, &name, &text) {
                    Some(Ok(())) => Ok(()),
                    Some(Err(e)) => Err(TestCaseError::fail(format!(
                        "{e}\n{}",
                        String::from_utf8_lossy(&text)
                    ))),
                    None => Err(TestCaseError::fail("no typed answer")),
                }
            });
            if let Err(e) = result {
                panic!("{code} {name}: {e}");
            }
            decoded.insert((code.clone(), name), ());
        }
    }
    assert_eq!(
        decoded.len(),
        generated::ACTIONS.len(),
        "every response type"
    );
}
