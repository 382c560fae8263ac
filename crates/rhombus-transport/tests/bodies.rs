//! Answers that are not the API's JSON, and server text too long to show:
//! each named for what it is, on loopback.

mod common;

use common::{RawServer, client, fast_policy, http_200, requests, sim};
use futures_util::StreamExt;
use rhombus_sim::Fault;
use rhombus_transport::{
    Client, DisplayErrorContext, ErrorKind, SHOWN_CHARS, WatchEvent, WatchOptions,
};

const HTML: &str = "the server answered with an HTML page, not JSON (a proxy or captive portal?)";

fn respond(content_type: &str, body: &str) -> Fault {
    Fault::Respond {
        status: 200,
        content_type: content_type.into(),
        body: body.into(),
    }
}

#[tokio::test]
async fn an_html_page_is_named_with_its_title_and_not_retried() {
    let sim = sim().await;
    let page = "\n<!DOCTYPE html><html><head><title>Guest Wi-Fi: log in</title></head><body>Accept the terms</body></html>";
    sim.push_fault(respond("text/html", page));
    let err = client(&sim).fetch_raw().await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::NotJson);
    assert_eq!(
        err.to_string(),
        format!("{HTML}: \"Guest Wi-Fi: log in\" (/api/event/getSplicedClipsInProgress)")
    );
    assert_eq!(requests(&sim), 1, "a page is not retried");
    // Whatever the page claims to be.
    sim.push_fault(respond(
        "application/json",
        "<html><body>proxy error</body></html>",
    ));
    let err = client(&sim).spliced_clips().await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{HTML}: \"proxy error\"")),
        "{err}"
    );
}

#[tokio::test]
async fn an_empty_200_is_retried_within_the_policy() {
    let sim = sim().await;
    sim.push_faults([
        respond("application/json", ""),
        respond("application/json", " \r\n"),
    ]);
    let response = client(&sim).spliced_clips().await.unwrap();
    assert_eq!(
        response,
        common::truth(&sim),
        "nothing lost after the retries"
    );
    assert_eq!(requests(&sim), 3);

    sim.push_faults(vec![respond("application/json", ""); 5]);
    let err = client(&sim).fetch_raw().await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::NotJson);
    assert_eq!(err.attempts(), 5, "as many as the policy allows");
    assert!(
        err.to_string()
            .starts_with("the server answered HTTP 200 with an empty body"),
        "{err}"
    );
    assert_eq!(requests(&sim), 8);
}

#[tokio::test]
async fn a_compressed_body_nobody_asked_for_is_named() {
    // Neither the header nor the magic bytes come from a compressor here:
    // what is named is what the client sees before decoding.
    let gzip_magic = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00];
    for (response, encoding) in [
        (http_200("Content-Encoding: gzip\r\n", b"{}"), "gzip"),
        (
            http_200("Content-Type: application/json\r\n", &gzip_magic),
            "gzip",
        ),
        (
            http_200("Content-Encoding: br\r\n", b"\x0b\x02\x80{}\x03"),
            "br",
        ),
    ] {
        let server = RawServer::start(vec![response]).await;
        let client = Client::builder()
            .base_url(&server.url)
            .api_key("test-key-0123456789")
            .retry_policy(fast_policy())
            .build()
            .unwrap();
        let err = client.fetch_raw().await.unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::NotJson);
        assert!(
            err.to_string().starts_with(&format!(
                "the server sent a {encoding}-compressed body, which this client did not ask for"
            )),
            "{err}"
        );
        assert_eq!(server.connections(), 1, "not retried");
        let head = &server.heads()[0];
        assert!(
            !head.contains("accept-encoding"),
            "no compression asked for:\n{head}"
        );
    }
}

#[tokio::test]
async fn long_server_text_is_cut_with_a_note_and_without_the_key() {
    let sim = sim().await;
    let key = sim.api_key().to_owned();
    let long = "blah ".repeat(2_000);
    let ok_len = |text: &str| text.chars().count() < SHOWN_CHARS + 120;
    let cases = [
        Fault::ErrorBody(format!("{long}{key} {long}")),
        Fault::text(403, format!("{long}{key}")),
        // A (strict) decode error's path quotes a map key: its position
        // stays at the end.
        respond(
            "application/json",
            &format!(r#"{{"splicedClips":[{{"deviceMap":{{"{key}{long}":7}}}}]}}"#),
        ),
    ];
    let strict = common::builder(&sim)
        .decoder(&rhombus_transport::rhombus_model::Decoder::new().strict(true))
        .build()
        .unwrap();
    for fault in cases {
        sim.push_fault(fault);
        let err = strict.spliced_clips().await.unwrap_err();
        // Without the hint (`{:#}`), which is ours.
        for text in [
            format!("{err:#}"),
            format!("{:#}", DisplayErrorContext(&err)),
        ] {
            assert!(text.contains("characters cut]"), "{text}");
            assert!(ok_len(&text), "{} characters: {text}", text.chars().count());
            assert!(!text.contains(&key), "{text}");
        }
        if err.kind() == &ErrorKind::Decode {
            let text = DisplayErrorContext(&err).to_string();
            assert!(text.contains("<redacted>"), "hidden, then cut: {text}");
            assert!(
                text.ends_with("(/api/event/getSplicedClipsInProgress)"),
                "{text}"
            );
            assert!(
                text.contains("(line 1, column"),
                "the position survives: {text}"
            );
        }
    }

    sim.push_fault(Fault::Warning(format!("{key}{long}")));
    let mut watch = client(&sim).watch(WatchOptions::default());
    while let Some(event) = watch.next().await {
        if let WatchEvent::Polled { warning, .. } = event {
            let warning = warning.expect("the warning");
            assert!(warning.starts_with("<redacted>blah"), "{warning}");
            assert!(warning.contains("characters cut]"), "{warning}");
            assert_eq!(warning.chars().count(), SHOWN_CHARS);
            break;
        }
    }
}

#[tokio::test]
async fn fetch_with_retries_a_body_its_own_decode_finds_cut_short() {
    let sim = sim().await;
    let cut = "{\"error\":false,\"splicedClips\":[{\"clipUuid\":\"A";
    sim.push_fault(respond("application/json", cut));
    // A caller that reads the clips with its own stream, as `clips ls` does.
    let count = |raw: &rhombus_transport::RawResponse| {
        let mut stream = rhombus_model::Decoder::new().stream(&raw.bytes[..]);
        let mut clips = 0usize;
        while let Some(clip) = stream.next_clip() {
            clip?;
            clips += 1;
        }
        stream.finish()?;
        Ok::<_, rhombus_model::DecodeError>(clips)
    };
    let clips = client(&sim)
        .fetch_with(|raw| count(raw).map_err(rhombus_transport::Error::from))
        .await
        .unwrap();
    assert_eq!(clips, common::truth(&sim).response().clips().count());
    assert_eq!(requests(&sim), 2, "the cut body was retried");

    // Cut every time: the decode error comes back, end of input and all.
    sim.push_faults(vec![respond("application/json", cut); 5]);
    let err = client(&sim)
        .fetch_with(|raw| count(raw).map_err(rhombus_transport::Error::from))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Decode);
    assert!(err.decode_error().is_some_and(|e| e.is_eof()), "{err}");
    assert_eq!(err.attempts(), 5);
}
