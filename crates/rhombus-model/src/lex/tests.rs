use super::*;

fn skip(text: &str) -> Result<(usize, usize), Fail> {
    let mut lx = Lexer::new(text.as_bytes());
    let depth = lx.skip(&mut Nesting::new())?;
    Ok((lx.pos, depth))
}

#[test]
fn skip_finds_the_end_of_every_kind_of_value() {
    assert_eq!(skip(r#"{"a":[1,{"b":null}],"c":"\u00e9"} ,"#), Ok((33, 3)));
    assert_eq!(skip(r#"[] "#), Ok((2, 1)));
    assert_eq!(skip(r#""x\"y","#), Ok((6, 0)));
    assert_eq!(skip(r#"-1.5e3,"#), Ok((6, 0)));
    assert_eq!(skip(r#"true,"#), Ok((4, 0)));
}

#[test]
fn skip_refuses_what_json_refuses_and_says_where() {
    let code = |t: &str| skip(t).map_err(|f| (f.code, f.at));
    assert_eq!(code(r#"[1,]"#), Err((Code::ExpectedValue, 3)));
    assert_eq!(code(r#"{"a" 1}"#), Err((Code::ExpectedColon, 5)));
    assert_eq!(code(r#"{1:2}"#), Err((Code::KeyMustBeString, 1)));
    assert_eq!(code(r#"[1 2]"#), Err((Code::ExpectedCommaOrBracket, 3)));
    assert_eq!(code(r#"{"a":1]"#), Err((Code::ExpectedCommaOrBrace, 6)));
    assert_eq!(code(r#""\x""#), Err((Code::InvalidEscape, 2)));
    assert_eq!(code(r#""\u12g4""#), Err((Code::InvalidEscape, 5)));
    assert_eq!(code("\"a\u{1}\""), Err((Code::ControlCharacter, 2)));
    assert_eq!(code(r#"01,"#).map(|_| ()), Ok(()), "0 then a comma");
    assert_eq!(code(r#"[01]"#), Err((Code::ExpectedCommaOrBracket, 2)));
    assert_eq!(code(r#"1.e5,"#), Err((Code::InvalidNumber, 2)));
    assert_eq!(code(r#"nul,"#), Err((Code::InvalidLiteral, 0)));
}

#[test]
fn a_value_cut_by_the_end_of_the_slice_is_eof_at_the_end() {
    for text in [
        r#"{"a":[1,2"#,
        r#""abc"#,
        r#""ab\"#,
        r#""\u12"#,
        "12",
        "-",
        "tru",
        r#"{"a""#,
        "[",
        "",
    ] {
        assert_eq!(
            skip(text).map_err(|f| (f.code, f.at)),
            Err((Code::Eof, text.len())),
            "{text:?}"
        );
    }
}

#[test]
fn deep_nesting_is_skipped_without_recursion() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000) + ",";
    assert_eq!(skip(&deep), Ok((200_000, 100_000)));
}

#[test]
fn strings_borrow_when_plain_and_unescape_otherwise() {
    let mut lx = Lexer::new(br#""plain" "caf\u00e9\n" "x\ud800y" "#);
    assert!(matches!(lx.string(), Ok(StrToken::Text("plain"))));
    let Ok(StrToken::Raw { body }) = lx.string() else {
        panic!("escaped")
    };
    let mut out = String::new();
    assert_eq!(unescape(body, &mut out), None);
    assert_eq!(out, "caf\u{e9}\n");
    let Ok(StrToken::Raw { body, .. }) = lx.string() else {
        panic!("escaped")
    };
    out.clear();
    assert_eq!(unescape(body, &mut out), Some(Code::LoneSurrogate));
    assert_eq!(out, "x\u{fffd}y");
}

#[test]
fn invalid_utf8_costs_only_its_bytes() {
    let mut lx = Lexer::new(b"\"a\xffb\" ");
    let Ok(StrToken::Raw { body }) = lx.string() else {
        panic!("raw")
    };
    let mut out = String::new();
    assert_eq!(unescape(body, &mut out), Some(Code::InvalidUtf8));
    assert_eq!(out, "a\u{fffd}b");
}

#[test]
fn integers_read_in_place_and_misfits_say_why() {
    let int = |t: &str| Lexer::new(t.as_bytes()).int::<i32>().map_err(|f| f.code);
    assert_eq!(int("42,"), Ok(42));
    assert_eq!(int("-7}"), Ok(-7));
    assert_eq!(int("2147483648,"), Err(Code::OutOfRange));
    assert_eq!(int("60.0,"), Err(Code::WrongType));
    assert_eq!(int("1e3,"), Err(Code::WrongType));
    assert_eq!(int("\"5\","), Err(Code::WrongType));
    assert_eq!(int("42"), Err(Code::Eof));
    assert_eq!(int("0x1"), Ok(0), "0, then whatever the caller makes of x");
    let long = |t: &str| Lexer::new(t.as_bytes()).int::<i64>().map_err(|f| f.code);
    assert_eq!(long("-9223372036854775808,"), Ok(i64::MIN));
    assert_eq!(long("9223372036854775807,"), Ok(i64::MAX));
    assert_eq!(long("9223372036854775808,"), Err(Code::OutOfRange));
    assert_eq!(long("-0,"), Ok(0));
}
