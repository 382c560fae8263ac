//! Generated response bodies of every class the schema allows and many it
//! does not, walked from [`Shape`](crate::schema::Shape): the one generator
//! the property tests, the fuzz targets and the simulator share, so a class
//! added here is served, property-tested and fuzzed.
//!
//! Choices come from a byte string ([`Choices`]), so a fuzzer's input, a
//! proptest value or a seeded RNG's output drive it alike, and the same
//! bytes always give the same body. Which classes may appear is a [`Mix`];
//! which did appear is counted in [`Classes`].

use crate::schema::{Described, FieldShape, ObjectShape, Response, Shape};

/// Choices read from bytes (zeros once they run out).
pub struct Choices<'b> {
    bytes: &'b [u8],
    pos: usize,
}

impl<'b> Choices<'b> {
    /// Choices read from `bytes`.
    pub fn new(bytes: &'b [u8]) -> Self {
        Choices { bytes, pos: 0 }
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A number below `n` (n ≥ 1).
    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }

    /// True about `per256` times in 256.
    fn chance(&mut self, per256: u8) -> bool {
        self.byte() < per256
    }
}

/// Which classes of content a body may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mix {
    /// `null` for fields, list elements and map values; absent fields.
    pub nulls: bool,
    /// Unknown fields at every level, new enum values, values of another
    /// type (integral floats for integers included), out-of-range numbers.
    pub drift: bool,
    /// Invalid UTF-8, duplicate keys and clips, deep nesting, huge
    /// strings, elements of `splicedClips` that are no object.
    pub hostile: bool,
    /// `\uXXXX` and short escapes in strings.
    pub escapes: bool,
}

impl Mix {
    /// What the OpenAPI reference allows: every field present or absent,
    /// values of their types.
    pub const SPEC: Mix = Mix {
        nulls: false,
        drift: false,
        hostile: false,
        escapes: false,
    };
    /// What a Java server sends: nulls anywhere, absent fields, escapes.
    pub const JAVA: Mix = Mix {
        nulls: true,
        drift: false,
        hostile: false,
        escapes: true,
    };
    /// A newer server: unknown fields and values, retyped values.
    pub const DRIFT: Mix = Mix {
        nulls: true,
        drift: true,
        hostile: false,
        escapes: true,
    };
    /// Everything, hostile content included.
    pub const HOSTILE: Mix = Mix {
        nulls: true,
        drift: true,
        hostile: true,
        escapes: true,
    };
}

/// How many times each class appeared in generated bodies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Classes {
    /// `null` as a list element.
    pub null_in_list: usize,
    /// `null` as a map value.
    pub null_in_map: usize,
    /// `null` as a field's value.
    pub null_field: usize,
    /// A field left out.
    pub absent_field: usize,
    /// A string with escapes.
    pub escape: usize,
    /// A field the schema does not have.
    pub unknown_field: usize,
    /// An enum value the schema does not list.
    pub unknown_enum: usize,
    /// A value of another JSON type than its field's.
    pub wrong_type: usize,
    /// An integral float (`60.0`) for an integer field.
    pub integral_float: usize,
    /// A number beyond its field's range.
    pub out_of_range: usize,
    /// Bytes that are not UTF-8 in a string.
    pub invalid_utf8: usize,
    /// A key twice in one object.
    pub duplicate_key: usize,
    /// A clip sent twice.
    pub duplicate_clip: usize,
    /// An element of `splicedClips` that is no object.
    pub non_object_clip: usize,
    /// A value nested deeper than 4 levels inside an unknown field.
    pub deep_nesting: usize,
    /// A string of 4 KiB or more.
    pub huge_string: usize,
}

impl Classes {
    /// The classes that appeared at least once, by name.
    pub fn seen(&self) -> Vec<&'static str> {
        let all = [
            ("null_in_list", self.null_in_list),
            ("null_in_map", self.null_in_map),
            ("null_field", self.null_field),
            ("absent_field", self.absent_field),
            ("escape", self.escape),
            ("unknown_field", self.unknown_field),
            ("unknown_enum", self.unknown_enum),
            ("wrong_type", self.wrong_type),
            ("integral_float", self.integral_float),
            ("out_of_range", self.out_of_range),
            ("invalid_utf8", self.invalid_utf8),
            ("duplicate_key", self.duplicate_key),
            ("duplicate_clip", self.duplicate_clip),
            ("non_object_clip", self.non_object_clip),
            ("deep_nesting", self.deep_nesting),
            ("huge_string", self.huge_string),
        ];
        all.iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, _)| *k)
            .collect()
    }
}

/// A generated response body.
pub fn response(choices: &mut Choices<'_>, mix: Mix, classes: &mut Classes) -> Vec<u8> {
    let mut g = Gen {
        c: choices,
        mix,
        classes,
        out: Vec::new(),
    };
    let Shape::Object(envelope) = &Response::SHAPE else {
        return b"{}".to_vec();
    };
    g.object(envelope, 0);
    g.out
}

struct Gen<'c, 'b, 'k> {
    c: &'c mut Choices<'b>,
    mix: Mix,
    classes: &'k mut Classes,
    out: Vec<u8>,
}

impl Gen<'_, '_, '_> {
    fn object(&mut self, object: &ObjectShape, depth: usize) {
        self.out.push(b'{');
        let mut first = true;
        for field in object.fields {
            if self.c.chance(if self.mix.nulls { 40 } else { 24 }) {
                self.classes.absent_field += 1;
                continue;
            }
            self.member(&mut first, field, depth);
            if self.mix.hostile && self.c.chance(6) {
                self.classes.duplicate_key += 1;
                self.member(&mut first, field, depth);
            }
        }
        if self.mix.drift && self.c.chance(40) {
            self.classes.unknown_field += 1;
            self.separate(&mut first);
            self.out.extend_from_slice(b"\"futureField\":");
            self.unknown_value();
        }
        self.out.push(b'}');
    }

    fn separate(&mut self, first: &mut bool) {
        if !*first {
            self.out.push(b',');
        }
        *first = false;
    }

    fn member(&mut self, first: &mut bool, field: &FieldShape, depth: usize) {
        self.separate(first);
        self.out.push(b'"');
        self.out.extend_from_slice(field.json.as_bytes());
        self.out.extend_from_slice(b"\":");
        if self.mix.nulls && self.c.chance(16) {
            self.classes.null_field += 1;
            self.out.extend_from_slice(b"null");
        } else if field.json == "splicedClips" {
            self.clips(field.shape, depth);
        } else {
            self.value(field.shape, depth);
        }
    }

    /// The clip list, with hostile elements when asked.
    fn clips(&mut self, shape: &Shape, depth: usize) {
        let Shape::List(Shape::Object(clip)) = shape else {
            return self.value(shape, depth);
        };
        self.out.push(b'[');
        let n = self.c.below(5);
        let mut last: Option<std::ops::Range<usize>> = None;
        for i in 0..n {
            if i > 0 {
                self.out.push(b',');
            }
            if self.mix.hostile && self.c.chance(24) {
                self.classes.non_object_clip += 1;
                let odd: &[u8] = [&b"42"[..], b"\"clip\"", b"[]", b"true"][self.c.below(4)];
                self.out.extend_from_slice(odd);
                continue;
            }
            if self.mix.nulls && self.c.chance(16) {
                self.classes.null_in_list += 1;
                self.out.extend_from_slice(b"null");
                continue;
            }
            if let (true, Some(range)) = (self.mix.hostile && self.c.chance(16), last.clone()) {
                self.classes.duplicate_clip += 1;
                let copy: Vec<u8> = self.out[range].to_vec();
                self.out.extend_from_slice(&copy);
                continue;
            }
            let start = self.out.len();
            self.object(clip, depth + 1);
            last = Some(start..self.out.len());
        }
        self.out.push(b']');
    }

    fn value(&mut self, shape: &Shape, depth: usize) {
        if self.mix.drift && self.c.chance(10) {
            return self.retyped(shape);
        }
        match shape {
            Shape::Bool => {
                let b: &[u8] = if self.c.chance(128) {
                    b"true"
                } else {
                    b"false"
                };
                self.out.extend_from_slice(b);
            }
            Shape::Int32 => self.int(i64::from(i32::MIN), i64::from(i32::MAX)),
            Shape::Int64 => self.int(i64::MIN, i64::MAX),
            Shape::Float => {
                let text: &[u8] =
                    [&b"0.5"[..], b"-12.25", b"1e-3", b"90", b"0", b"3.4e38"][self.c.below(6)];
                self.out.extend_from_slice(text);
            }
            Shape::Text => self.text(),
            Shape::Ruuid => self.uuid(false),
            Shape::FacetUuid => self.uuid(true),
            Shape::Enum(known) => {
                if self.mix.drift && self.c.chance(24) {
                    self.classes.unknown_enum += 1;
                    self.out.extend_from_slice(b"\"NEW_VALUE\"");
                } else {
                    let text = known[self.c.below(known.len())];
                    self.out.push(b'"');
                    self.out.extend_from_slice(text.as_bytes());
                    self.out.push(b'"');
                }
            }
            Shape::Any => self.unknown_value(),
            Shape::List(item) => {
                self.out.push(b'[');
                for i in 0..self.c.below(4) {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    if self.mix.nulls && self.c.chance(24) {
                        self.classes.null_in_list += 1;
                        self.out.extend_from_slice(b"null");
                    } else {
                        self.value(item, depth + 1);
                    }
                }
                self.out.push(b']');
            }
            Shape::FacetMap(value) => {
                self.out.push(b'{');
                let n = self.c.below(4);
                for i in 0..n {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    // A key twice, now and then.
                    let index = if self.mix.hostile && i > 0 && self.c.chance(24) {
                        self.classes.duplicate_key += 1;
                        i - 1
                    } else {
                        i
                    };
                    self.out
                        .extend_from_slice(format!("\"{}\":", facet(index)).as_bytes());
                    if self.mix.nulls && self.c.chance(24) {
                        self.classes.null_in_map += 1;
                        self.out.extend_from_slice(b"null");
                    } else {
                        self.value(value, depth + 1);
                    }
                }
                self.out.push(b'}');
            }
            Shape::Object(object) => self.object(object, depth + 1),
        }
    }

    fn int(&mut self, min: i64, max: i64) {
        if self.mix.drift && self.c.chance(16) {
            if self.c.chance(128) {
                self.classes.integral_float += 1;
                self.out.extend_from_slice(b"60.0");
            } else {
                self.classes.out_of_range += 1;
                let beyond = i128::from(max) + 1 + i128::from(self.c.byte());
                self.out.extend_from_slice(beyond.to_string().as_bytes());
            }
            return;
        }
        let v = match self.c.below(4) {
            0 => 0,
            1 => i64::from(self.c.byte()),
            2 => min,
            _ => max,
        };
        self.out.extend_from_slice(v.to_string().as_bytes());
    }

    fn text(&mut self) {
        self.out.push(b'"');
        self.out.extend_from_slice(b"clip ");
        if self.mix.escapes && self.c.chance(48) {
            self.classes.escape += 1;
            let e: &[u8] = [
                &b"\\n"[..],
                b"\\\"",
                b"\\u00e9",
                b"\\ud83d\\ude00",
                b"\\/",
                b"\\\\",
            ][self.c.below(6)];
            self.out.extend_from_slice(e);
        }
        if self.mix.hostile && self.c.chance(12) {
            self.classes.invalid_utf8 += 1;
            self.out.extend_from_slice(b"\xff\xfe");
        }
        if self.mix.hostile && self.c.chance(4) {
            self.classes.huge_string += 1;
            self.out.extend(std::iter::repeat_n(b'x', 4096));
        }
        self.out.extend_from_slice("caf\u{e9}".as_bytes());
        self.out.push(b'"');
    }

    fn uuid(&mut self, facet_suffix: bool) {
        let n = self.c.below(8);
        let id = if facet_suffix { facet(n) } else { ruuid(n) };
        self.out.push(b'"');
        self.out.extend_from_slice(id.as_bytes());
        self.out.push(b'"');
    }

    /// A value of another JSON type than `shape`'s.
    fn retyped(&mut self, shape: &Shape) {
        let text: &[u8] = match shape {
            Shape::Int32 | Shape::Int64 | Shape::Float | Shape::Bool => {
                [&b"\"5\""[..], b"[1]", b"{}"][self.c.below(3)]
            }
            Shape::Object(_) | Shape::FacetMap(_) => [&b"7"[..], b"\"x\"", b"[]"][self.c.below(3)],
            Shape::List(_) => [&b"{}"[..], b"3"][self.c.below(2)],
            Shape::Any => b"1",
            _ => [&b"12"[..], b"{}", b"false"][self.c.below(3)],
        };
        if !matches!(shape, Shape::Any) {
            self.classes.wrong_type += 1;
        }
        self.out.extend_from_slice(text);
    }

    /// A value for an unknown field: any JSON, deep at times.
    fn unknown_value(&mut self) {
        if self.mix.hostile && self.c.chance(32) {
            self.classes.deep_nesting += 1;
            let depth = 5 + self.c.below(200);
            self.out.extend(std::iter::repeat_n(b'[', depth));
            self.out.extend(std::iter::repeat_n(b']', depth));
            return;
        }
        let text: &[u8] = [
            &b"{\"a\":[1,2.5,\"x\",null,true]}"[..],
            b"\"new\"",
            b"12",
            b"[]",
        ][self.c.below(4)];
        self.out.extend_from_slice(text);
    }
}

/// The `n`th of a few uuids.
fn ruuid(n: usize) -> String {
    let c = char::from(b'A' + (n % 26) as u8);
    std::iter::repeat_n(c, 22).collect()
}

/// The `n`th of a few video facets.
fn facet(n: usize) -> String {
    format!("{}.v0", ruuid(n))
}
