//! Builds model values from fuzzer bytes with `arbitrary`.
//!
//! The model types are `#[non_exhaustive]` and do not depend on `arbitrary`,
//! so each is built field by field from `Default`.

use arbitrary::{Result, Unstructured};
use rhombus_model::{
    AccessSettings, AlteredView, AspectRatio, ClipStatus, CropRect, DeviceFacetUuid,
    DeviceProgress, DewarpedView, Extra, FacetMap, Float, Integration, RawJson, Response, Ruuid,
    SplicedClip, Str, TargetLocation, Visibility,
};
use serde_json::Value;

/// Upper bound on list and map lengths, to keep inputs small and fast.
const MAX_LEN: usize = 3;
/// Nesting depth of generated unknown-field values.
const MAX_DEPTH: u32 = 3;

/// A whole response.
pub fn response(u: &mut Unstructured<'_>) -> Result<Response<'static>> {
    let mut r = Response::default();
    r.error = maybe(u, |u| u.arbitrary())?;
    r.error_msg = maybe(u, text)?;
    r.spliced_clips = maybe(u, |u| list(u, clip))?;
    r.warning_msg = maybe(u, text)?;
    r.extra = extra(u, Response::FIELDS)?;
    Ok(r)
}

/// One clip with any subset of its fields.
pub fn clip(u: &mut Unstructured<'_>) -> Result<SplicedClip<'static>> {
    let mut c = SplicedClip::default();
    c.access_settings = maybe(u, access_settings)?;
    c.analyze_clip = maybe(u, |u| u.arbitrary())?;
    c.clip_target_location = maybe(u, target_location)?;
    c.clip_uuid = maybe(u, ruuid)?;
    c.console_delete = maybe(u, |u| u.arbitrary())?;
    c.deleted = maybe(u, |u| u.arbitrary())?;
    c.description = maybe(u, text)?;
    c.device_map = maybe(u, |u| facet_map(u, device_progress))?;
    c.device_presentation_order = maybe(u, |u| list(u, |u| maybe(u, facet)))?;
    c.device_uuid = maybe(u, facet)?;
    c.device_uuid_map = maybe(u, |u| facet_map(u, device_progress))?;
    c.device_uuid_to_altered_view_map =
        maybe(u, |u| facet_map(u, |u| maybe(u, |u| list(u, altered_view))))?;
    c.device_uuid_to_fisheye_presentation_map = maybe(u, |u| {
        facet_map(u, |u| maybe(u, |u| list(u, dewarped_view)))
    })?;
    c.duration = maybe(u, |u| u.arbitrary())?;
    c.integration_upload_list = maybe(u, |u| list(u, integration))?;
    c.is_policy_event = maybe(u, |u| u.arbitrary())?;
    c.metadata_bucket_region = maybe(u, text)?;
    c.org_uuid = maybe(u, ruuid)?;
    c.save_clip = maybe(u, |u| u.arbitrary())?;
    c.save_frame = maybe(u, |u| u.arbitrary())?;
    c.segments_uploaded = maybe(u, |u| u.arbitrary())?;
    c.send_to_shared_storage = maybe(u, |u| u.arbitrary())?;
    c.start_time = maybe(u, |u| u.arbitrary())?;
    c.status = maybe(u, status)?;
    c.status_updated_at_ms = maybe(u, |u| u.arbitrary())?;
    c.thumbnail_relative_second = maybe(u, float)?;
    c.timestamp_ms = maybe(u, |u| u.arbitrary())?;
    c.title = maybe(u, text)?;
    c.total_segments = maybe(u, |u| u.arbitrary())?;
    c.transaction_uuid = maybe(u, ruuid)?;
    c.user_uuid = maybe(u, ruuid)?;
    c.extra = extra(u, SplicedClip::FIELDS)?;
    Ok(c)
}

fn access_settings(u: &mut Unstructured<'_>) -> Result<AccessSettings<'static>> {
    let mut a = AccessSettings::default();
    a.allowed_roles = maybe(u, |u| list(u, |u| maybe(u, ruuid)))?;
    a.allowed_users = maybe(u, |u| list(u, |u| maybe(u, ruuid)))?;
    a.visibility = maybe(u, visibility)?;
    a.extra = extra(u, AccessSettings::FIELDS)?;
    Ok(a)
}

fn target_location(u: &mut Unstructured<'_>) -> Result<TargetLocation<'static>> {
    let mut t = TargetLocation::default();
    t.region = maybe(u, text)?;
    t.extra = extra(u, TargetLocation::FIELDS)?;
    Ok(t)
}

fn device_progress(u: &mut Unstructured<'_>) -> Result<DeviceProgress<'static>> {
    let mut d = DeviceProgress::default();
    d.region = maybe(u, text)?;
    d.segments_uploaded = maybe(u, |u| u.arbitrary())?;
    d.total_segments = maybe(u, |u| u.arbitrary())?;
    d.extra = extra(u, DeviceProgress::FIELDS)?;
    Ok(d)
}

fn altered_view(u: &mut Unstructured<'_>) -> Result<AlteredView<'static>> {
    let mut a = AlteredView::default();
    a.crop = maybe(u, |u| {
        let mut c = CropRect::default();
        c.height = maybe(u, |u| u.arbitrary())?;
        c.width = maybe(u, |u| u.arbitrary())?;
        c.x = maybe(u, |u| u.arbitrary())?;
        c.y = maybe(u, |u| u.arbitrary())?;
        c.extra = extra(u, CropRect::FIELDS)?;
        Ok(c)
    })?;
    a.dewarp = maybe(u, dewarped_view)?;
    a.extra = extra(u, AlteredView::FIELDS)?;
    Ok(a)
}

fn dewarped_view(u: &mut Unstructured<'_>) -> Result<DewarpedView<'static>> {
    let mut d = DewarpedView::default();
    d.aspect_ratio = maybe(u, |u| {
        let mut a = AspectRatio::default();
        a.height = maybe(u, |u| u.arbitrary())?;
        a.width = maybe(u, |u| u.arbitrary())?;
        a.extra = extra(u, AspectRatio::FIELDS)?;
        Ok(a)
    })?;
    d.pitch_degrees = maybe(u, float)?;
    d.roll_degrees = maybe(u, float)?;
    d.vertical_field_of_view_degrees = maybe(u, |u| u.arbitrary())?;
    d.yaw_degrees = maybe(u, float)?;
    d.extra = extra(u, DewarpedView::FIELDS)?;
    Ok(d)
}

fn status(u: &mut Unstructured<'_>) -> Result<ClipStatus<'static>> {
    Ok(if u.arbitrary()? {
        u.choose(ClipStatus::KNOWN)?.clone()
    } else {
        ClipStatus::parse(u.arbitrary::<String>()?)
    })
}

fn visibility(u: &mut Unstructured<'_>) -> Result<Visibility<'static>> {
    Ok(if u.arbitrary()? {
        u.choose(Visibility::KNOWN)?.clone()
    } else {
        Visibility::parse(u.arbitrary::<String>()?)
    })
}

fn integration(u: &mut Unstructured<'_>) -> Result<Integration<'static>> {
    Ok(if u.arbitrary()? {
        u.choose(Integration::KNOWN)?.clone()
    } else {
        Integration::parse(u.arbitrary::<String>()?)
    })
}

/// Any string: the decoder must cope with escapes, quotes and control characters.
fn text(u: &mut Unstructured<'_>) -> Result<Str<'static>> {
    Ok(Str::from(u.arbitrary::<String>()?))
}

/// A well-formed RUUID most of the time, any text otherwise.
fn ruuid(u: &mut Unstructured<'_>) -> Result<Ruuid<'static>> {
    Ok(Ruuid::from(ruuid_text(u)?))
}

fn ruuid_text(u: &mut Unstructured<'_>) -> Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if u.ratio(1, 4)? {
        return u.arbitrary();
    }
    (0..22)
        .map(|_| u.choose(ALPHABET).map(|&b| char::from(b)))
        .collect()
}

fn facet(u: &mut Unstructured<'_>) -> Result<DeviceFacetUuid<'static>> {
    let mut id = ruuid_text(u)?;
    match u.int_in_range(0..=3)? {
        0 => {}
        1 => id.push_str(".v0"),
        2 => id.push_str(".a0"),
        _ => {
            id.push('.');
            id.push_str(&u.arbitrary::<String>()?);
        }
    }
    Ok(DeviceFacetUuid::from(id))
}

fn float(u: &mut Unstructured<'_>) -> Result<Float<'static>> {
    // The spec's width: anything within f32's range.
    Ok(Float::from_f64(f64::from(u.arbitrary::<f32>()?)))
}

fn facet_map<V>(
    u: &mut Unstructured<'_>,
    mut value: impl FnMut(&mut Unstructured<'_>) -> Result<V>,
) -> Result<FacetMap<'static, V>> {
    let entries = list(u, |u| Ok((facet(u)?, value(u)?)))?;
    Ok(entries.into_iter().collect())
}

/// Unknown fields: any name the type does not know, any JSON value.
fn extra(u: &mut Unstructured<'_>, known: &[&str]) -> Result<Extra<'static>> {
    let mut extra = Extra::default();
    for _ in 0..u.int_in_range(0..=MAX_LEN)? {
        let name: String = u.arbitrary()?;
        let value = json(u, MAX_DEPTH)?;
        if known.contains(&name.as_str()) {
            continue;
        }
        let raw =
            RawJson::parse(&value.to_string()).map_err(|_| arbitrary::Error::IncorrectFormat)?;
        extra.push(Str::from(name), raw);
    }
    Ok(extra)
}

/// Any JSON value, nested at most `depth` deep.
fn json(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let kinds = if depth == 0 { 5 } else { 7 };
    Ok(match u.int_in_range(0..=kinds - 1)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        4 => Value::String(u.arbitrary()?),
        5 => Value::Array(list(u, |u| json(u, depth - 1))?),
        _ => Value::Object(
            list(u, |u| Ok((u.arbitrary::<String>()?, json(u, depth - 1)?)))?
                .into_iter()
                .collect(),
        ),
    })
}

fn maybe<T>(
    u: &mut Unstructured<'_>,
    f: impl FnOnce(&mut Unstructured<'_>) -> Result<T>,
) -> Result<Option<T>> {
    Ok(if u.arbitrary()? { Some(f(u)?) } else { None })
}

fn list<T>(
    u: &mut Unstructured<'_>,
    mut item: impl FnMut(&mut Unstructured<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    (0..u.int_in_range(0..=MAX_LEN)?).map(|_| item(u)).collect()
}
