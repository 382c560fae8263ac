//! Renders rustdoc's JSON output as a sorted list of public items, one per
//! line, for the `api/<crate>.txt` snapshots.
//!
//! Covers what a semver check needs to see: every reachable public item with
//! its signature, struct fields, enum variants, trait items, inherent methods,
//! and trait impls (auto traits included, blanket impls left out). Unknown
//! JSON shapes render as `?` rather than failing, so a newer rustdoc degrades
//! the snapshot instead of breaking CI.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

/// The public API of the crate described by `doc` (rustdoc JSON), sorted.
pub fn render(doc: &Value) -> Vec<String> {
    let mut walker = Walker {
        index: &doc["index"],
        lines: BTreeSet::new(),
        seen: HashSet::new(),
    };
    let root = id_key(&doc["root"]);
    if let Some(item) = walker.item(&root) {
        let name = str_of(&item["name"]).to_owned();
        walker.module(&root, &name);
    }
    walker.lines.into_iter().collect()
}

/// Auto traits whose loss breaks callers.
const STABLE_AUTO_TRAITS: &[&str] = &["Send", "Sync", "Unpin", "UnwindSafe", "RefUnwindSafe"];

struct Walker<'a> {
    index: &'a Value,
    lines: BTreeSet<String>,
    seen: HashSet<(String, String)>,
}

impl<'a> Walker<'a> {
    fn item(&self, id: &str) -> Option<&'a Value> {
        self.index.get(id).filter(|v| v.is_object())
    }

    fn module(&mut self, id: &str, path: &str) {
        let Some(module) = self.item(id) else { return };
        for child in ids(&module["inner"]["module"]["items"]) {
            let Some(item) = self.item(&child) else {
                continue;
            };
            if !is_public(item) {
                continue;
            }
            if let Some(using) = item["inner"].get("use") {
                if using["is_glob"].as_bool() == Some(true) {
                    if let Some(target) = id_opt(&using["id"]) {
                        self.module(&target, path);
                    }
                    continue;
                }
                let name = str_of(&using["name"]);
                match id_opt(&using["id"]).and_then(|t| self.item(&t).map(|i| (t, i))) {
                    Some((target, found)) => self.named(&target, found, &format!("{path}::{name}")),
                    None => {
                        self.lines.insert(format!(
                            "pub use {path}::{name} = {}",
                            str_of(&using["source"])
                        ));
                    }
                }
                continue;
            }
            let name = str_of(&item["name"]);
            self.named(&child, item, &format!("{path}::{name}"));
        }
    }

    /// An item reached at `path` (directly or through a re-export).
    fn named(&mut self, id: &str, item: &'a Value, path: &str) {
        if !self.seen.insert((id.to_owned(), path.to_owned())) {
            return;
        }
        let Some((kind, inner)) = item["inner"].as_object().and_then(|o| o.iter().next()) else {
            return;
        };
        let attrs = attrs(item);
        match kind.as_str() {
            "module" => {
                self.lines.insert(format!("pub mod {path}"));
                self.module(id, path);
            }
            "function" => {
                self.lines
                    .insert(format!("{attrs}{}", function(path, inner)));
            }
            "constant" => {
                let ty = ty(&inner["type"]);
                self.lines.insert(format!("pub const {path}: {ty}"));
            }
            "static" => {
                let ty = ty(&inner["type"]);
                let m = if inner["is_mutable"].as_bool() == Some(true) {
                    "mut "
                } else {
                    ""
                };
                self.lines.insert(format!("pub static {m}{path}: {ty}"));
            }
            "type_alias" => {
                let g = generics(&inner["generics"]);
                self.lines
                    .insert(format!("pub type {path}{g} = {}", ty(&inner["type"])));
            }
            "struct" => self.structure(path, inner, &attrs),
            "enum" => self.enumeration(path, inner, &attrs),
            "union" => {
                self.lines.insert(format!(
                    "{attrs}pub union {path}{}",
                    generics(&inner["generics"])
                ));
                self.fields(path, &inner["fields"]);
                self.impls(&inner["impls"]);
            }
            "trait" => self.trait_def(path, inner),
            "macro" | "proc_macro" => {
                self.lines.insert(format!("pub macro {path}"));
            }
            other => {
                self.lines.insert(format!("pub {other} {path}"));
            }
        }
    }

    fn structure(&mut self, path: &str, inner: &Value, attrs: &str) {
        let g = generics(&inner["generics"]);
        let kind = &inner["kind"];
        if let Some(plain) = kind.get("plain") {
            self.lines.insert(format!("{attrs}pub struct {path}{g}"));
            self.fields(path, &plain["fields"]);
        } else if let Some(tuple) = kind.get("tuple") {
            let fields: Vec<String> = tuple
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| match id_opt(f).and_then(|f| self.item(&f)) {
                    Some(field) if is_public(field) => {
                        format!("pub {}", ty(&field["inner"]["struct_field"]))
                    }
                    _ => "_".to_owned(),
                })
                .collect();
            self.lines.insert(format!(
                "{attrs}pub struct {path}{g}({})",
                fields.join(", ")
            ));
        } else {
            self.lines.insert(format!("{attrs}pub struct {path}{g}"));
        }
        self.impls(&inner["impls"]);
    }

    fn fields(&mut self, owner: &str, fields: &Value) {
        for id in ids(fields) {
            if let Some(field) = self.item(&id).filter(|f| is_public(f)) {
                let name = str_of(&field["name"]);
                let ty = ty(&field["inner"]["struct_field"]);
                self.lines.insert(format!("pub {owner}::{name}: {ty}"));
            }
        }
    }

    fn enumeration(&mut self, path: &str, inner: &Value, enum_attrs: &str) {
        let g = generics(&inner["generics"]);
        self.lines.insert(format!("{enum_attrs}pub enum {path}{g}"));
        for id in ids(&inner["variants"]) {
            let Some(variant) = self.item(&id) else {
                continue;
            };
            let name = str_of(&variant["name"]);
            let kind = &variant["inner"]["variant"]["kind"];
            let vpath = format!("{path}::{name}");
            let shape = if let Some(tuple) = kind.get("tuple") {
                let parts: Vec<String> = ids(tuple)
                    .iter()
                    .filter_map(|f| self.item(f))
                    .map(|f| ty(&f["inner"]["struct_field"]))
                    .collect();
                format!("({})", parts.join(", "))
            } else if let Some(fields) = kind.get("struct") {
                self.fields(&vpath, &fields["fields"]);
                " { .. }".to_owned()
            } else {
                String::new()
            };
            let vattrs = attrs(variant);
            self.lines.insert(format!("{vattrs}{vpath}{shape}"));
        }
        self.impls(&inner["impls"]);
    }

    fn trait_def(&mut self, path: &str, inner: &Value) {
        let g = generics(&inner["generics"]);
        let bounds = bounds(&inner["bounds"]);
        let supertraits = if bounds.is_empty() {
            String::new()
        } else {
            format!(": {bounds}")
        };
        let unsafety = if inner["is_unsafe"].as_bool() == Some(true) {
            "unsafe "
        } else {
            ""
        };
        self.lines
            .insert(format!("pub {unsafety}trait {path}{g}{supertraits}"));
        for id in ids(&inner["items"]) {
            if let Some(item) = self.item(&id) {
                self.assoc(&format!("{path}::"), item);
            }
        }
    }

    fn impls(&mut self, impls: &Value) {
        for id in ids(impls) {
            let Some(item) = self.item(&id) else { continue };
            let Some(imp) = item["inner"].get("impl") else {
                continue;
            };
            if !imp["blanket_impl"].is_null() {
                continue;
            }
            // Auto-trait impls rustdoc derives: keep the stable ones callers
            // rely on, not compiler-internal ones (`Freeze`, `UnsafeUnpin`)
            // whose list changes between toolchains.
            let trait_name = imp["trait"]["path"].as_str().unwrap_or("");
            if imp["is_synthetic"].as_bool() == Some(true)
                && !STABLE_AUTO_TRAITS.contains(&trait_name)
            {
                continue;
            }
            let g = generics(&imp["generics"]);
            let target = ty(&imp["for"]);
            match imp.get("trait").filter(|t| !t.is_null()) {
                Some(tr) => {
                    let neg = if imp["is_negative"].as_bool() == Some(true) {
                        "!"
                    } else {
                        ""
                    };
                    let unsafety = if imp["is_unsafe"].as_bool() == Some(true) {
                        "unsafe "
                    } else {
                        ""
                    };
                    let wheres = where_clause(&imp["generics"]);
                    self.lines.insert(format!(
                        "{unsafety}impl{g} {neg}{} for {target}{wheres}",
                        path_ty(tr)
                    ));
                }
                None => {
                    for item_id in ids(&imp["items"]) {
                        if let Some(method) = self.item(&item_id).filter(|m| is_public(m)) {
                            self.assoc(&format!("impl{g} {target}: "), method);
                        }
                    }
                }
            }
        }
    }

    /// An associated item (trait item or inherent impl item) under `prefix`.
    fn assoc(&mut self, prefix: &str, item: &Value) {
        let Some((kind, inner)) = item["inner"].as_object().and_then(|o| o.iter().next()) else {
            return;
        };
        let name = str_of(&item["name"]);
        let line = match kind.as_str() {
            "function" => format!("{}{}", attrs(item), function(name, inner)),
            "assoc_const" => format!("const {name}: {}", ty(&inner["type"])),
            "assoc_type" => {
                let bounds = bounds(&inner["bounds"]);
                let bounds = if bounds.is_empty() {
                    String::new()
                } else {
                    format!(": {bounds}")
                };
                match inner.get("type").filter(|t| !t.is_null()) {
                    Some(t) => format!("type {name}{bounds} = {}", ty(t)),
                    None => format!("type {name}{bounds}"),
                }
            }
            other => format!("{other} {name}"),
        };
        self.lines.insert(format!("{prefix}{line}"));
    }
}

fn function(name: &str, inner: &Value) -> String {
    let header = &inner["header"];
    let mut quals = String::new();
    for (flag, word) in [
        ("is_const", "const "),
        ("is_async", "async "),
        ("is_unsafe", "unsafe "),
    ] {
        if header[flag].as_bool() == Some(true) {
            quals.push_str(word);
        }
    }
    let sig = &inner["sig"];
    let inputs: Vec<String> = sig["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            let arg = str_of(&pair[0]);
            let t = &pair[1];
            match arg {
                "self" => self_param(t),
                _ => format!("{arg}: {}", ty(t)),
            }
        })
        .collect();
    let output = match sig.get("output").filter(|o| !o.is_null()) {
        Some(o) => format!(" -> {}", ty(o)),
        None => String::new(),
    };
    let g = generics(&inner["generics"]);
    let wheres = where_clause(&inner["generics"]);
    format!(
        "pub {quals}fn {name}{g}({}){output}{wheres}",
        inputs.join(", ")
    )
}

fn self_param(t: &Value) -> String {
    if let Some(r) = t.get("borrowed_ref") {
        if r["type"].get("generic").and_then(Value::as_str) == Some("Self") {
            let lt = r["lifetime"]
                .as_str()
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            let m = if r["is_mutable"].as_bool() == Some(true) {
                "mut "
            } else {
                ""
            };
            return format!("&{lt}{m}self");
        }
    }
    if t.get("generic").and_then(Value::as_str) == Some("Self") {
        return "self".to_owned();
    }
    format!("self: {}", ty(t))
}

/// A type, written the way a reader would (last path segment only).
pub fn ty(t: &Value) -> String {
    let Some((kind, v)) = t.as_object().and_then(|o| o.iter().next()) else {
        return match t.as_str() {
            Some("infer") => "_".to_owned(),
            _ => "?".to_owned(),
        };
    };
    match kind.as_str() {
        "resolved_path" => path_ty(v),
        "generic" | "primitive" => str_of(v).to_owned(),
        "borrowed_ref" => {
            let lt = v["lifetime"]
                .as_str()
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            let m = if v["is_mutable"].as_bool() == Some(true) {
                "mut "
            } else {
                ""
            };
            format!("&{lt}{m}{}", ty(&v["type"]))
        }
        "raw_pointer" => {
            let m = if v["is_mutable"].as_bool() == Some(true) {
                "mut"
            } else {
                "const"
            };
            format!("*{m} {}", ty(&v["type"]))
        }
        "slice" => format!("[{}]", ty(v)),
        "array" => format!("[{}; {}]", ty(&v["type"]), str_of(&v["len"])),
        "tuple" => {
            let parts: Vec<String> = v.as_array().into_iter().flatten().map(ty).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        "impl_trait" => format!("impl {}", bounds(v)),
        "dyn_trait" => {
            let mut parts: Vec<String> = v["traits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| path_ty(&p["trait"]))
                .collect();
            if let Some(lt) = v["lifetime"].as_str() {
                parts.push(lt.to_owned());
            }
            format!("dyn {}", parts.join(" + "))
        }
        "qualified_path" => {
            let self_ty = ty(&v["self_type"]);
            let name = str_of(&v["name"]);
            match v.get("trait").filter(|t| !t.is_null()) {
                Some(tr) => format!("<{self_ty} as {}>::{name}", path_ty(tr)),
                None => format!("{self_ty}::{name}"),
            }
        }
        "function_pointer" => {
            let sig = &v["sig"];
            let inputs: Vec<String> = sig["inputs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|pair| ty(&pair[1]))
                .collect();
            let output = match sig.get("output").filter(|o| !o.is_null()) {
                Some(o) => format!(" -> {}", ty(o)),
                None => String::new(),
            };
            format!("fn({}){output}", inputs.join(", "))
        }
        _ => "?".to_owned(),
    }
}

/// A path with its generic arguments: `Option<Str<'a>>`.
fn path_ty(p: &Value) -> String {
    let full = str_of(&p["path"]);
    let name = full.rsplit("::").next().unwrap_or(full);
    format!("{name}{}", generic_args(&p["args"]))
}

fn generic_args(args: &Value) -> String {
    if let Some(angle) = args.get("angle_bracketed") {
        let mut parts: Vec<String> = angle["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| match a.as_object().and_then(|o| o.iter().next()) {
                Some((k, v)) if k == "lifetime" => str_of(v).to_owned(),
                Some((k, v)) if k == "type" => ty(v),
                Some((k, v)) if k == "const" => v["expr"].as_str().unwrap_or("?").to_owned(),
                _ => "_".to_owned(),
            })
            .collect();
        for c in angle["constraints"].as_array().into_iter().flatten() {
            let name = str_of(&c["name"]);
            let binding = &c["binding"];
            if let Some(eq) = binding.get("equality") {
                let value = eq.get("type").map_or_else(|| "?".to_owned(), ty);
                parts.push(format!("{name} = {value}"));
            } else if let Some(b) = binding.get("constraint") {
                parts.push(format!("{name}: {}", bounds(b)));
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("<{}>", parts.join(", "))
        }
    } else if let Some(paren) = args.get("parenthesized") {
        let inputs: Vec<String> = paren["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(ty)
            .collect();
        let output = match paren.get("output").filter(|o| !o.is_null()) {
            Some(o) => format!(" -> {}", ty(o)),
            None => String::new(),
        };
        format!("({}){output}", inputs.join(", "))
    } else {
        String::new()
    }
}

fn bounds(list: &Value) -> String {
    let parts: Vec<String> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            if let Some(tb) = b.get("trait_bound") {
                let modifier = match tb["modifier"].as_str() {
                    Some("maybe") => "?",
                    Some("maybe_const") => "~const ",
                    _ => "",
                };
                format!("{modifier}{}", path_ty(&tb["trait"]))
            } else if let Some(lt) = b.get("outlives") {
                str_of(lt).to_owned()
            } else {
                "?".to_owned()
            }
        })
        .collect();
    parts.join(" + ")
}

/// `<'a, T: Bound>` from a generics object; synthetic `impl Trait` params are skipped.
fn generics(g: &Value) -> String {
    let parts: Vec<String> = g["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let name = str_of(&p["name"]);
            let kind = &p["kind"];
            if let Some(t) = kind.get("type") {
                if t["is_synthetic"].as_bool() == Some(true) {
                    return None;
                }
                let b = bounds(&t["bounds"]);
                return Some(if b.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}: {b}")
                });
            }
            if let Some(lt) = kind.get("lifetime") {
                let outlives: Vec<&str> = lt["outlives"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(str_of)
                    .collect();
                return Some(if outlives.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}: {}", outlives.join(" + "))
                });
            }
            if let Some(c) = kind.get("const") {
                return Some(format!("const {name}: {}", ty(&c["type"])));
            }
            Some(name.to_owned())
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("<{}>", parts.join(", "))
    }
}

fn where_clause(g: &Value) -> String {
    let parts: Vec<String> = g["where_predicates"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            if let Some(bp) = p.get("bound_predicate") {
                format!("{}: {}", ty(&bp["type"]), bounds(&bp["bounds"]))
            } else if let Some(rp) = p.get("lifetime_predicate") {
                let outlives: Vec<&str> = rp["outlives"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(str_of)
                    .collect();
                format!("{}: {}", str_of(&rp["lifetime"]), outlives.join(" + "))
            } else if let Some(eq) = p.get("eq_predicate") {
                format!(
                    "{} = {}",
                    ty(&eq["lhs"]),
                    eq["rhs"].get("type").map_or_else(|| "?".to_owned(), ty)
                )
            } else {
                "?".to_owned()
            }
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" where {}", parts.join(", "))
    }
}

/// `#[non_exhaustive] ` when the item carries that attribute (the one attribute
/// that changes what callers may do).
fn attrs(item: &Value) -> String {
    let non_exhaustive = item["attrs"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|a| match a {
            Value::String(s) => s.contains("non_exhaustive"),
            Value::Object(o) => o.contains_key("non_exhaustive"),
            _ => false,
        });
    if non_exhaustive {
        "#[non_exhaustive] ".to_owned()
    } else {
        String::new()
    }
}

fn is_public(item: &Value) -> bool {
    // Enum variants and trait items carry "default" visibility but are as
    // public as their parent.
    matches!(item["visibility"].as_str(), Some("public" | "default"))
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or("?")
}

fn id_key(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

fn id_opt(v: &Value) -> Option<String> {
    (!v.is_null()).then(|| id_key(v))
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().into_iter().flatten().map(id_key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A hand-written rustdoc JSON document in the shape of format 57.
    fn doc() -> Value {
        let opt_str = json!({"resolved_path": {"path": "Option", "id": 90, "args": {"angle_bracketed": {
            "args": [{"type": {"resolved_path": {"path": "crate::text::Str", "id": 5, "args": {"angle_bracketed": {"args": [{"lifetime": "'a"}], "constraints": []}}}}}],
            "constraints": []}}}});
        json!({
            "root": 0,
            "index": {
                "0": {"name": "demo", "visibility": "public", "attrs": [], "inner": {"module": {"items": [1, 2, 7, 9]}}},
                "1": {"name": "Thing", "visibility": "public", "attrs": ["non_exhaustive"], "inner": {"struct": {
                    "kind": {"plain": {"fields": [3, 4], "has_stripped_fields": true}},
                    "generics": {"params": [{"name": "'a", "kind": {"lifetime": {"outlives": []}}}], "where_predicates": []},
                    "impls": [5, 6, 8]}}},
                "2": {"name": "hidden", "visibility": "crate", "attrs": [], "inner": {"function": {}}},
                "3": {"name": "title", "visibility": "public", "attrs": [], "inner": {"struct_field": opt_str}},
                "4": {"name": "secret", "visibility": "crate", "attrs": [], "inner": {"struct_field": {"primitive": "u8"}}},
                "5": {"name": null, "visibility": "default", "attrs": [], "inner": {"impl": {
                    "generics": {"params": [], "where_predicates": []}, "trait": null, "blanket_impl": null,
                    "for": {"resolved_path": {"path": "Thing", "id": 1, "args": {"angle_bracketed": {"args": [{"lifetime": "'_"}], "constraints": []}}}},
                    "items": [10]}}},
                "6": {"name": null, "visibility": "default", "attrs": [], "inner": {"impl": {
                    "generics": {"params": [], "where_predicates": []}, "blanket_impl": null, "is_negative": false, "is_unsafe": false,
                    "trait": {"path": "Send", "id": 91, "args": null},
                    "for": {"resolved_path": {"path": "Thing", "id": 1, "args": {"angle_bracketed": {"args": [{"lifetime": "'a"}], "constraints": []}}}},
                    "items": []}}},
                "8": {"name": null, "visibility": "default", "attrs": [], "inner": {"impl": {
                    "generics": {"params": [{"name": "T", "kind": {"type": {"bounds": [], "is_synthetic": false}}}], "where_predicates": []},
                    "blanket_impl": {"generic": "T"}, "trait": {"path": "Into", "id": 92, "args": null},
                    "for": {"generic": "T"}, "items": []}}},
                "10": {"name": "len", "visibility": "public", "attrs": [], "inner": {"function": {
                    "sig": {"inputs": [["self", {"borrowed_ref": {"lifetime": null, "is_mutable": false, "type": {"generic": "Self"}}}]], "output": {"primitive": "usize"}},
                    "generics": {"params": [], "where_predicates": []},
                    "header": {"is_const": true, "is_unsafe": false, "is_async": false}}}},
                "7": {"name": null, "visibility": "public", "attrs": [], "inner": {"use": {"source": "inner::parse", "name": "parse", "id": 11, "is_glob": false}}},
                "11": {"name": "parse", "visibility": "public", "attrs": [], "inner": {"function": {
                    "sig": {"inputs": [["bytes", {"borrowed_ref": {"lifetime": null, "is_mutable": false, "type": {"slice": {"primitive": "u8"}}}}]], "output": null},
                    "generics": {"params": [], "where_predicates": []},
                    "header": {"is_const": false, "is_unsafe": false, "is_async": false}}}},
                "9": {"name": "Kind", "visibility": "public", "attrs": [], "inner": {"enum": {
                    "generics": {"params": [], "where_predicates": []}, "variants": [12, 13], "impls": []}}},
                "12": {"name": "A", "visibility": "default", "attrs": [], "inner": {"variant": {"kind": "plain"}}},
                "13": {"name": "B", "visibility": "default", "attrs": [], "inner": {"variant": {"kind": {"tuple": [14]}}}},
                "14": {"name": "0", "visibility": "default", "attrs": [], "inner": {"struct_field": {"primitive": "u32"}}}
            }
        })
    }

    #[test]
    fn renders_items_fields_methods_and_trait_impls() {
        let lines = render(&doc());
        let expected = [
            "#[non_exhaustive] pub struct demo::Thing<'a>",
            "demo::Kind::A",
            "demo::Kind::B(u32)",
            "impl Send for Thing<'a>",
            "impl Thing<'_>: pub const fn len(&self) -> usize",
            "pub demo::Thing::title: Option<Str<'a>>",
            "pub enum demo::Kind",
            "pub fn demo::parse(bytes: &[u8])",
        ];
        assert_eq!(lines, expected);
    }

    #[test]
    fn private_items_and_blanket_impls_are_left_out() {
        let text = render(&doc()).join("\n");
        assert!(!text.contains("hidden"));
        assert!(!text.contains("secret"));
        assert!(!text.contains("Into"));
    }

    #[test]
    fn unknown_shapes_render_as_question_marks() {
        assert_eq!(ty(&json!({"something_new": {}})), "?");
        assert_eq!(ty(&json!("infer")), "_");
    }
}
