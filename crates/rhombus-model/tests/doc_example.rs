//! The documentation page's example response, verbatim, decodes with every field checked.

use rhombus_model::{ClipStatus, Integration, Visibility, decode};

const EXAMPLE: &str = include_str!("fixtures/doc_example.json");
const EXAMPLE_OK: &str = include_str!("fixtures/doc_example_ok.json");
const ID: &str = "AAAAAAAAAAAAAAAAAAAAAA";
const FACET: &str = "AAAAAAAAAAAAAAAAAAAAAA.v0";

fn check_clip(response: &rhombus_model::Response<'_>) {
    assert_eq!(response.warning_msg.as_deref(), Some("<string>"));
    assert_eq!(response.clips().len(), 1);
    let clip = &response.clips()[0];

    let access = clip.access_settings.as_ref().expect("accessSettings");
    let ids = |v: &Option<Vec<Option<rhombus_model::Ruuid<'_>>>>| {
        v.as_ref()
            .expect("list")
            .iter()
            .map(|id| id.as_ref().expect("id").as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&access.allowed_roles), [ID]);
    assert_eq!(ids(&access.allowed_users), [ID]);
    assert_eq!(access.visibility, Some(Visibility::Private));

    assert_eq!(clip.analyze_clip, Some(true));
    let target = clip
        .clip_target_location
        .as_ref()
        .expect("clipTargetLocation");
    assert_eq!(target.region.as_deref(), Some("<string>"));
    assert_eq!(clip.clip_uuid.as_ref().map(|u| u.as_str()), Some(ID));
    assert_eq!(
        clip.clip_uuid.as_ref().and_then(|u| u.to_bytes()),
        Some([0; 16])
    );
    assert_eq!(clip.console_delete, Some(true));
    assert_eq!(clip.deleted, Some(true));
    assert_eq!(clip.description.as_deref(), Some("<string>"));
    assert!(clip.device_map.as_ref().is_some_and(|m| m.is_empty()));
    let order = clip
        .device_presentation_order
        .as_ref()
        .expect("devicePresentationOrder");
    assert_eq!(order.len(), 1);
    assert_eq!(order[0].as_ref().map(|f| f.as_str()), Some(FACET));
    let device = clip.device_uuid.as_ref().expect("deviceUuid");
    assert_eq!((device.device(), device.facet()), (ID, Some("v0")));
    assert!(clip.device_uuid_map.as_ref().is_some_and(|m| m.is_empty()));
    assert!(
        clip.device_uuid_to_altered_view_map
            .as_ref()
            .is_some_and(|m| m.is_empty())
    );
    assert!(
        clip.device_uuid_to_fisheye_presentation_map
            .as_ref()
            .is_some_and(|m| m.is_empty())
    );
    assert_eq!(clip.duration, Some(123));
    assert_eq!(
        clip.integration_upload_list.as_deref(),
        Some(&[Integration::AvigilonAlta][..])
    );
    assert_eq!(clip.is_policy_event, Some(true));
    assert_eq!(clip.metadata_bucket_region.as_deref(), Some("<string>"));
    assert_eq!(clip.org_uuid.as_ref().map(|u| u.as_str()), Some(ID));
    assert_eq!(clip.save_clip, Some(true));
    assert_eq!(clip.save_frame, Some(true));
    assert_eq!(clip.segments_uploaded, Some(123));
    assert_eq!(clip.send_to_shared_storage, Some(true));
    assert_eq!(clip.start_time, Some(123));
    assert_eq!(clip.status, Some(ClipStatus::Initiating));
    assert_eq!(clip.status_updated_at_ms, None, "not in the example");
    let thumb = clip
        .thumbnail_relative_second
        .as_ref()
        .expect("thumbnailRelativeSecond");
    assert_eq!((thumb.as_str(), thumb.as_f32()), ("123", 123.0));
    assert_eq!(clip.timestamp_ms, Some(123));
    assert_eq!(clip.title.as_deref(), Some("<string>"));
    assert_eq!(clip.total_segments, Some(123));
    assert_eq!(clip.transaction_uuid.as_ref().map(|u| u.as_str()), Some(ID));
    assert_eq!(clip.user_uuid.as_ref().map(|u| u.as_str()), Some(ID));
    assert!(clip.extra.is_empty() && response.extra.is_empty());
    assert!(!clip.is_terminal());
    let progress = clip.progress().expect("progress");
    assert_eq!(
        (progress.uploaded, progress.total, progress.is_done()),
        (123, 123, true)
    );
    assert_eq!(
        clip.start_time(),
        std::time::UNIX_EPOCH.checked_add(std::time::Duration::from_millis(123))
    );
}

#[test]
fn documented_example_is_an_api_error_with_every_field_decoded() {
    let response = decode(EXAMPLE.as_bytes()).expect("decodes");
    assert_eq!(response.error, Some(true));
    assert_eq!(response.error_msg.as_deref(), Some("<string>"));
    check_clip(&response);
    let err = response
        .into_result()
        .expect_err("error: true is a failure");
    assert_eq!(err.message.as_deref(), Some("<string>"));
    assert_eq!(err.to_string(), "the API reported an error: <string>");
}

#[test]
fn documented_example_with_error_false_is_a_success_with_a_warning() {
    let response = decode(EXAMPLE_OK.as_bytes())
        .expect("decodes")
        .into_result()
        .expect("success");
    assert_eq!(response.error, Some(false));
    assert_eq!(response.warning(), Some("<string>"));
    check_clip(&response);
}

#[test]
fn documented_example_round_trips_as_json() {
    let response = decode(EXAMPLE.as_bytes()).expect("decodes");
    let again: serde_json::Value = serde_json::to_value(&response).expect("encodes");
    let original: serde_json::Value = serde_json::from_str(EXAMPLE).expect("valid JSON");
    assert_eq!(again, original);
}

#[test]
fn documented_example_strings_are_borrowed() {
    let response = decode(EXAMPLE.as_bytes()).expect("decodes");
    let clip = &response.clips()[0];
    assert!(clip.title.as_ref().is_some_and(|t| t.is_borrowed()));
    assert!(clip.clip_uuid.as_ref().is_some_and(|u| u.is_borrowed()));
    let owned: rhombus_model::Response<'static> = response.clone().into_owned();
    assert!(
        !owned.clips()[0]
            .title
            .as_ref()
            .is_some_and(|t| t.is_borrowed())
    );
    assert_eq!(owned, response);
}
