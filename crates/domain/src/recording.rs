//! Recordings (音视频记录): on-site video from body cameras (执法记录仪) and hotline audio (热线录音),
//! kept as evidence on a case or a complaint (DOMAIN §1, §11). Only audio and video are
//! accepted, judged by the file's first bytes (the `infer` crate's signatures), never by its
//! name or the sender's declared type.

use serde::{Deserialize, Serialize};

/// How many leading bytes the type is judged on: enough for Matroska/WebM, whose doc type
/// sits within the first 256 bytes.
pub const SNIFF_BYTES: usize = 4096;

/// What a recording (录音录像类别) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 执法记录仪视频 — on-site body-camera video.
    BodyCamera,
    /// 热线录音 — a hotline call.
    Hotline,
    /// 其他 — any other audio or video.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::BodyCamera, Kind::Hotline, Kind::Other];
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::BodyCamera => "body_camera",
            Kind::Hotline => "hotline",
            Kind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Kind::BodyCamera => "执法记录仪视频",
            Kind::Hotline => "热线录音",
            Kind::Other => "其他音视频",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Kind::BodyCamera => "Body camera video",
            Kind::Hotline => "Hotline recording",
            Kind::Other => "Other recording",
        }
    }
}

/// The media type of a recording judged by its first bytes: `Some` only for audio or video
/// (MP4/M4A/MOV, WebM/Matroska, Ogg, MP3, WAV, AMR, FLAC, AAC, …).
pub fn sniff(first_bytes: &[u8]) -> Option<&'static str> {
    let t = infer::get(first_bytes)?;
    matches!(
        t.matcher_type(),
        infer::MatcherType::Audio | infer::MatcherType::Video
    )
    .then(|| t.mime_type())
}

/// Whether the browser should show a media type with `<video>` rather than `<audio>`.
pub fn is_video(content_type: &str) -> bool {
    content_type.starts_with("video/")
}

/// The display name of a recording: the sender's name without path or control characters,
/// at most 200 characters; a stand-in when nothing is left.
pub fn display_name(raw: &str, kind: Kind) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    let clean = clean.trim();
    if clean.is_empty() {
        kind.name_zh().to_owned()
    } else {
        clean.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn padded(head: &[u8]) -> Vec<u8> {
        let mut b = head.to_vec();
        b.resize(600, 0);
        b
    }

    #[test]
    fn audio_and_video_by_their_magic_bytes() {
        let mp4 = padded(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2");
        assert_eq!(sniff(&mp4), Some("video/mp4"));
        let m4a = padded(b"\0\0\0\x18ftypM4A \0\0\0\0");
        assert_eq!(sniff(&m4a), Some("audio/m4a"));
        let wav = padded(b"RIFF\x24\0\0\0WAVEfmt ");
        assert_eq!(sniff(&wav), Some("audio/x-wav"));
        assert_eq!(sniff(&padded(b"#!AMR\n")), Some("audio/amr"));
        assert_eq!(sniff(&padded(b"OggS\0\x02")), Some("audio/ogg"));
        assert_eq!(sniff(&padded(b"ID3\x03\0")), Some("audio/mpeg"));
        let mut webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm".to_vec();
        webm.resize(600, 0);
        assert_eq!(sniff(&webm), Some("video/webm"));
    }

    #[test]
    fn everything_else_is_refused() {
        assert_eq!(sniff(b"hello, this is a text file\n"), None);
        assert_eq!(sniff(&padded(b"%PDF-1.7\n")), None);
        assert_eq!(sniff(&padded(b"\x89PNG\r\n\x1a\n")), None);
        assert_eq!(sniff(&padded(b"\xFF\xD8\xFF\xE0")), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(
            display_name("C:\\cam\\现场.mp4", Kind::BodyCamera),
            "现场.mp4"
        );
        assert_eq!(display_name("../../etc/\u{7}x.wav", Kind::Hotline), "x.wav");
        assert_eq!(display_name("", Kind::Hotline), "热线录音");
        assert!(is_video("video/mp4") && !is_video("audio/mpeg"));
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}
