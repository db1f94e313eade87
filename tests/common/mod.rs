//! Helpers shared by the test files that build inputs with serde_json (`json!`, proptest
//! generators) and hand them to this crate's validation, which reads its own `value::Value`.

use connect_chat_events::model::SendChatIntegrationEventInput;
use connect_chat_events::validate::{self, Issue, Options};
use connect_chat_events::value;
use serde_json::Value;

/// A serde_json value as this crate's JSON value, through the text.
pub fn ours(v: &Value) -> value::Value {
    value::Value::from_json(v.to_string().as_bytes()).expect("serde_json's text parses")
}

/// `validate::validate_value` on a serde_json value.
pub fn validate_value(v: &Value, opts: &Options) -> Vec<Issue> {
    validate::validate_value(&ours(v), opts)
}

/// `validate::parse_input` on a serde_json value.
pub fn parse_input(v: &Value, opts: &Options) -> Result<SendChatIntegrationEventInput, Vec<Issue>> {
    validate::parse_input(&ours(v), opts)
}
