//! Input deserialization + validation: any bytes (as lossy UTF-8) through `parse_input_json` in
//! strict and lax mode. Whatever is accepted must validate again with no issues, serialize, and
//! parse back to the same value.
#![no_main]

use connect_chat_events::validate::{parse_input_json, validate, validate_value, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for strict in [true, false] {
        let opts = Options { strict };
        let parsed = parse_input_json(&text, &opts);
        // The JSON-value path must agree with the text path.
        if let Ok(v) = connect_chat_events::json::parse_str(&text) {
            assert_eq!(validate_value(&v, &opts).is_empty(), parsed.is_ok());
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
