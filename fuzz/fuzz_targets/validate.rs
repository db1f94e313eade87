//! Input deserialization + validation: any bytes (as lossy UTF-8) through `parse_input_json` in
//! strict and lax mode, and through `Value::from_json` + `validate_value`. Whatever is accepted
//! must validate again with no issues, serialize, and parse back to the same value.
#![no_main]

use connect_chat_events::validate::{parse_input_json, validate, validate_value, Options};
use connect_chat_events::value::Value;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for strict in [true, false] {
        let opts = Options { strict };
        let parsed = parse_input_json(&text, &opts);
        // The value path must agree with the text path, and a value written out by serde_json
        // and read back must validate the same.
        if let Ok(v) = Value::from_json(text.as_bytes()) {
            let issues = validate_value(&v, &opts);
            assert_eq!(issues.is_empty(), parsed.is_ok());
            let written = serde_json::to_string(&v).expect("a parsed value serializes");
            let again = Value::from_json(written.as_bytes()).expect("written value parses");
            assert_eq!(validate_value(&again, &opts), issues, "written and read back");
        }
        match parsed {
            Ok(input) => {
                assert_eq!(validate(&input, &opts), Vec::new(), "typed re-validation");
                let json = input.to_json();
                let again = parse_input_json(&json, &opts).expect("serialized input parses");
                assert_eq!(again, input, "round trip");
                assert_eq!(again.to_json(), json, "serialization is stable");
            }
            Err(issues) => {
                assert!(!issues.is_empty(), "an error carries at least one issue");
                for i in &issues {
                    assert!(!i.code.is_empty() && !i.message.is_empty());
                }
            }
        }
    }
});
