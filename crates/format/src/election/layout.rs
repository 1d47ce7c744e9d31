//! The layout of the JSON this crate writes: indented like `serde_json`'s pretty printer, but
//! with arrays of plain values, and plain objects inside arrays, kept on one line, so that a
//! result file reads like the spec's example (one candidate per line, `[["summoned", 40]]`).
//!
//! It re-lays compact `serde_json` output: the input is always valid JSON written by
//! `serde_json`, so this is a small tokenizer, not a general parser.

/// A value of the compact text, borrowing its scalars and keys.
enum Node<'a> {
    Scalar(&'a str),
    Array(Vec<Node<'a>>),
    Object(Vec<(&'a str, Node<'a>)>),
}

/// Re-lays compact JSON text; returns it unchanged if it cannot be read (it always can when it
/// comes from `serde_json::to_string`).
pub(crate) fn relayout(compact: &str) -> String {
    let mut position = 0;
    match parse(compact, &mut position) {
        Some(node) if position == compact.len() => {
            let mut out = String::with_capacity(compact.len() * 2);
            write_node(&node, 0, false, &mut out);
            out
        }
        _ => compact.to_owned(),
    }
}

fn parse<'a>(text: &'a str, position: &mut usize) -> Option<Node<'a>> {
    let bytes = text.as_bytes();
    match bytes.get(*position)? {
        b'[' => {
            *position += 1;
            let mut items = Vec::new();
            if bytes.get(*position) == Some(&b']') {
                *position += 1;
                return Some(Node::Array(items));
            }
            loop {
                items.push(parse(text, position)?);
                match bytes.get(*position)? {
                    b',' => *position += 1,
                    b']' => {
                        *position += 1;
                        return Some(Node::Array(items));
                    }
                    _ => return None,
                }
            }
        }
        b'{' => {
            *position += 1;
            let mut entries = Vec::new();
            if bytes.get(*position) == Some(&b'}') {
                *position += 1;
                return Some(Node::Object(entries));
            }
            loop {
                let key_start = *position;
                skip_string(bytes, position)?;
                let key = text.get(key_start..*position)?;
                if bytes.get(*position) != Some(&b':') {
                    return None;
                }
                *position += 1;
                entries.push((key, parse(text, position)?));
                match bytes.get(*position)? {
                    b',' => *position += 1,
                    b'}' => {
                        *position += 1;
                        return Some(Node::Object(entries));
                    }
                    _ => return None,
                }
            }
        }
        b'"' => {
            let start = *position;
            skip_string(bytes, position)?;
            Some(Node::Scalar(text.get(start..*position)?))
        }
        _ => {
            let start = *position;
            while let Some(byte) = bytes.get(*position) {
                if matches!(byte, b',' | b']' | b'}') {
                    break;
                }
                *position += 1;
            }
            (*position > start).then(|| text.get(start..*position)).flatten().map(Node::Scalar)
        }
    }
}

/// Moves past a string starting at `position` (on its opening quote).
fn skip_string(bytes: &[u8], position: &mut usize) -> Option<()> {
    if bytes.get(*position) != Some(&b'"') {
        return None;
    }
    *position += 1;
    loop {
        match bytes.get(*position)? {
            b'\\' => *position += 2,
            b'"' => {
                *position += 1;
                return Some(());
            }
            _ => *position += 1,
        }
    }
}

/// Plain: a scalar, or an array of scalars.
fn is_plain(node: &Node<'_>) -> bool {
    match node {
        Node::Scalar(_) => true,
        Node::Array(items) => items.iter().all(|item| matches!(item, Node::Scalar(_))),
        Node::Object(_) => false,
    }
}

fn is_flat(node: &Node<'_>) -> bool {
    match node {
        Node::Scalar(_) => true,
        Node::Array(items) => items.iter().all(is_plain),
        Node::Object(entries) => entries.iter().all(|(_, value)| is_plain(value)),
    }
}

fn write_node(node: &Node<'_>, indent: usize, in_array: bool, out: &mut String) {
    match node {
        Node::Scalar(text) => out.push_str(text),
        Node::Array(items) if items.is_empty() => out.push_str("[]"),
        Node::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Node::Array(items) if items.iter().all(is_plain) => write_inline(node, out),
        Node::Object(_) if in_array && is_flat(node) => write_inline(node, out),
        Node::Array(items) => {
            out.push_str("[\n");
            for (index, item) in items.iter().enumerate() {
                push_indent(out, indent + 2);
                write_node(item, indent + 2, true, out);
                out.push_str(if index + 1 < items.len() { ",\n" } else { "\n" });
            }
            push_indent(out, indent);
            out.push(']');
        }
        Node::Object(entries) => {
            out.push_str("{\n");
            for (index, (key, value)) in entries.iter().enumerate() {
                push_indent(out, indent + 2);
                out.push_str(key);
                out.push_str(": ");
                write_node(value, indent + 2, false, out);
                out.push_str(if index + 1 < entries.len() { ",\n" } else { "\n" });
            }
            push_indent(out, indent);
            out.push('}');
        }
    }
}

fn write_inline(node: &Node<'_>, out: &mut String) {
    match node {
        Node::Scalar(text) => out.push_str(text),
        Node::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_inline(item, out);
            }
            out.push(']');
        }
        Node::Object(entries) => {
            out.push('{');
            for (index, (key, value)) in entries.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push_str(": ");
                write_inline(value, out);
            }
            out.push('}');
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::relayout;

    #[test]
    fn plain_arrays_and_flat_rows_stay_on_one_line() {
        let compact =
            r#"{"a":[["x",1],["y",-2]],"b":[{"id":"c1","n":[1,2]},{"id":"c\"2"}],"c":{},"d":[]}"#;
        let expected = "{\n  \"a\": [[\"x\", 1], [\"y\", -2]],\n  \"b\": [\n    {\"id\": \"c1\", \"n\": [1, 2]},\n    {\"id\": \"c\\\"2\"}\n  ],\n  \"c\": {},\n  \"d\": []\n}";
        assert_eq!(relayout(compact), expected);
    }

    #[test]
    fn nested_objects_are_indented() {
        let compact = r#"{"o":{"k":{"z":1}},"s":"a,]}b"}"#;
        assert_eq!(
            relayout(compact),
            "{\n  \"o\": {\n    \"k\": {\n      \"z\": 1\n    }\n  },\n  \"s\": \"a,]}b\"\n}"
        );
    }
}
