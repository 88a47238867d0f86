//! Attachments: what a file is, judged by its bytes (never by its name or the type a browser or
//! mail claims), which kinds are taken, the name it is shown and downloaded under, and the limits.
//!
//! Taken: images (PNG, JPEG, GIF, WebP, HEIC), PDF, plain text, office documents (the OLE2 files
//! of old Office and HWP; OOXML, ODF and HWPX zips) and zip archives. Refused by content: programs
//! (PE, ELF, Mach-O, Java classes, WebAssembly, `#!` scripts, Windows installers — which are OLE2
//! files —, Java and Android archives) and anything not recognised.

use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom};

/// How many bytes from the start of a file [`sniff`] looks at.
pub const SNIFF_BYTES: usize = 4096;

/// What a taken file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Heic,
    Pdf,
    Text,
    /// An OLE2 compound file: .doc, .xls, .ppt, .hwp, .msg.
    Ole,
    Docx,
    Xlsx,
    Pptx,
    Hwpx,
    Odf,
    Zip,
}

impl FileKind {
    pub const ALL: [FileKind; 14] = [
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Gif,
        FileKind::Webp,
        FileKind::Heic,
        FileKind::Pdf,
        FileKind::Text,
        FileKind::Ole,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Pptx,
        FileKind::Hwpx,
        FileKind::Odf,
        FileKind::Zip,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Heic => "heic",
            FileKind::Pdf => "pdf",
            FileKind::Text => "text",
            FileKind::Ole => "ole",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
            FileKind::Hwpx => "hwpx",
            FileKind::Odf => "odf",
            FileKind::Zip => "zip",
        }
    }

    pub fn parse(word: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// Shown inline as a thumbnail (the kinds every browser displays); everything else is a
    /// download.
    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp)
    }

    /// The `Content-Type` it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Heic => "image/heic",
            FileKind::Pdf => "application/pdf",
            FileKind::Text => "text/plain",
            FileKind::Ole => "application/octet-stream",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileKind::Hwpx => "application/hwp+zip",
            FileKind::Odf => "application/octet-stream",
            FileKind::Zip => "application/zip",
        }
    }

    /// Name endings that fit the content; the first is appended to a name that has none of them.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Gif => &["gif"],
            FileKind::Webp => &["webp"],
            FileKind::Heic => &["heic", "heif"],
            FileKind::Pdf => &["pdf"],
            FileKind::Text => &["txt", "csv", "tsv", "log", "md", "json", "xml", "yaml", "yml"],
            FileKind::Ole => &["doc", "xls", "ppt", "hwp", "msg"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Pptx => &["pptx"],
            FileKind::Hwpx => &["hwpx"],
            FileKind::Odf => &["odt", "ods", "odp"],
            FileKind::Zip => &["zip"],
        }
    }
}

/// Why a file was not taken (also what a mail attachment that was not kept says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// A program or an installer, whatever its name says.
    Executable,
    /// Not one of the kinds taken.
    NotAllowed,
    Empty,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Executable => "executable",
            Refusal::NotAllowed => "not_allowed",
            Refusal::Empty => "empty",
        }
    }

    pub fn parse(word: &str) -> Option<Refusal> {
        [Refusal::Executable, Refusal::NotAllowed, Refusal::Empty].into_iter().find(|r| r.as_str() == word)
    }
}

/// What the first bytes say. Containers (OLE2, zip) are only a first guess: [`settle`] reads
/// the whole file to tell an office document from an installer or a Java archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Kind(FileKind),
    Ole,
    Zip,
}

/// Judges a file by its first bytes (up to [`SNIFF_BYTES`]; fewer only when the file is shorter).
pub fn sniff(head: &[u8]) -> Result<Sniffed, Refusal> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if head.is_empty() {
        return Err(Refusal::Empty);
    }
    // programs first: a renamed one must never pass as anything else
    const PROGRAMS: [&[u8]; 9] = [
        b"MZ",
        b"\x7fELF",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        // Mach-O universal binaries and Java classes share this magic
        b"\xca\xfe\xba\xbe",
        b"\0asm",
        b"#!",
    ];
    if PROGRAMS.iter().any(|m| starts(m)) {
        return Err(Refusal::Executable);
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(Sniffed::Kind(FileKind::Png));
    }
    if starts(b"\xff\xd8\xff") {
        return Ok(Sniffed::Kind(FileKind::Jpeg));
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Ok(Sniffed::Kind(FileKind::Gif));
    }
    if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Ok(Sniffed::Kind(FileKind::Webp));
    }
    if head.get(4..8) == Some(b"ftyp") && matches!(head.get(8..12), Some(b"heic" | b"heix" | b"mif1" | b"msf1" | b"heif")) {
        return Ok(Sniffed::Kind(FileKind::Heic));
    }
    // PDF readers accept the header anywhere in the first kilobyte
    if head[..head.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Ok(Sniffed::Kind(FileKind::Pdf));
    }
    if starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Ok(Sniffed::Ole);
    }
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        return Ok(Sniffed::Zip);
    }
    if is_text(head) {
        return Ok(Sniffed::Kind(FileKind::Text));
    }
    Err(Refusal::NotAllowed)
}

/// Text in any of the encodings people use (UTF-8, UTF-16 with its mark, EUC-KR/CP949): no NUL
/// bytes, no control characters other than tab, line breaks, form feed and escape.
fn is_text(head: &[u8]) -> bool {
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        return true;
    }
    head.iter().all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
}

/// The final judgement on a whole file (read from `file`) that [`sniff`] took for a container.
pub fn settle(sniffed: Sniffed, file: &mut (impl Read + Seek)) -> Result<FileKind, Refusal> {
    match sniffed {
        Sniffed::Kind(kind) => Ok(kind),
        Sniffed::Ole => ole_kind(file),
        Sniffed::Zip => zip_kind(file),
    }
}

/// An OLE2 file is an office document unless its root storage is a Windows Installer package,
/// patch or transform (CLSIDs 000C1084/000C1086/000C1082-0000-0000-C000-000000000046).
fn ole_kind(file: &mut (impl Read + Seek)) -> Result<FileKind, Refusal> {
    let mut header = [0u8; 512];
    file.seek(SeekFrom::Start(0)).map_err(|_| Refusal::NotAllowed)?;
    file.read_exact(&mut header).map_err(|_| Refusal::NotAllowed)?;
    let shift = u16::from_le_bytes([header[30], header[31]]);
    if !(9..=12).contains(&shift) {
        return Err(Refusal::NotAllowed);
    }
    let sector = 1u64 << shift;
    let first_dir = u32::from_le_bytes([header[48], header[49], header[50], header[51]]) as u64;
    let mut root = [0u8; 128];
    file.seek(SeekFrom::Start((first_dir + 1) * sector)).map_err(|_| Refusal::NotAllowed)?;
    file.read_exact(&mut root).map_err(|_| Refusal::NotAllowed)?;
    let clsid = &root[0x50..0x60];
    let installer = [0x84u8, 0x86, 0x82]
        .iter()
        .any(|b| clsid == [*b, 0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46]);
    if installer {
        return Err(Refusal::Executable);
    }
    Ok(FileKind::Ole)
}

/// A zip's kind from the names in its central directory (and the `mimetype` entry ODF and HWPX
/// put first): an OOXML, ODF or HWPX document, a Java or Android archive (a program: refused),
/// or a plain archive.
fn zip_kind(file: &mut (impl Read + Seek)) -> Result<FileKind, Refusal> {
    let len = file.seek(SeekFrom::End(0)).map_err(|_| Refusal::NotAllowed)?;
    // the end record is in the last 22 bytes plus a comment of at most 64 KiB
    let tail_len = len.min(22 + 65_535);
    let mut tail = vec![0u8; tail_len as usize];
    file.seek(SeekFrom::Start(len - tail_len)).map_err(|_| Refusal::NotAllowed)?;
    file.read_exact(&mut tail).map_err(|_| Refusal::NotAllowed)?;
    let end = (0..tail.len().saturating_sub(21)).rev().find(|&i| tail[i..].starts_with(b"PK\x05\x06")).ok_or(Refusal::NotAllowed)?;
    let rec = &tail[end..];
    let dir_size = u32::from_le_bytes([rec[12], rec[13], rec[14], rec[15]]) as u64;
    let dir_start = u32::from_le_bytes([rec[16], rec[17], rec[18], rec[19]]) as u64;
    // a directory larger than the file, or absurdly large, is not one we read
    if dir_start.saturating_add(dir_size) > len || dir_size > 8 * 1024 * 1024 {
        return Err(Refusal::NotAllowed);
    }
    let mut dir = vec![0u8; dir_size as usize];
    file.seek(SeekFrom::Start(dir_start)).map_err(|_| Refusal::NotAllowed)?;
    file.read_exact(&mut dir).map_err(|_| Refusal::NotAllowed)?;
    let mut names: Vec<&[u8]> = Vec::new();
    let mut at = 0usize;
    while at + 46 <= dir.len() && dir[at..].starts_with(b"PK\x01\x02") {
        let n = u16::from_le_bytes([dir[at + 28], dir[at + 29]]) as usize;
        let extra = u16::from_le_bytes([dir[at + 30], dir[at + 31]]) as usize;
        let comment = u16::from_le_bytes([dir[at + 32], dir[at + 33]]) as usize;
        let Some(name) = dir.get(at + 46..at + 46 + n) else { break };
        names.push(name);
        at += 46 + n + extra + comment;
    }
    let has = |name: &[u8]| names.contains(&name);
    let program = has(b"META-INF/MANIFEST.MF") || has(b"AndroidManifest.xml") || has(b"classes.dex")
        || names.iter().any(|n| n.ends_with(b".class"));
    if program {
        return Err(Refusal::Executable);
    }
    if has(b"[Content_Types].xml") {
        if has(b"word/document.xml") {
            return Ok(FileKind::Docx);
        }
        if has(b"xl/workbook.xml") {
            return Ok(FileKind::Xlsx);
        }
        if has(b"ppt/presentation.xml") {
            return Ok(FileKind::Pptx);
        }
    }
    if has(b"mimetype") {
        // the first entry, stored uncompressed: its content follows the local header
        let mut local = [0u8; 30 + 8 + 64];
        file.seek(SeekFrom::Start(0)).map_err(|_| Refusal::NotAllowed)?;
        let got = read_up_to(file, &mut local);
        let head = &local[..got];
        if head.windows(b"application/hwp+zip".len()).any(|w| w == b"application/hwp+zip") {
            return Ok(FileKind::Hwpx);
        }
        if head.windows(b"application/vnd.oasis.opendocument".len()).any(|w| w == b"application/vnd.oasis.opendocument") {
            return Ok(FileKind::Odf);
        }
    }
    Ok(FileKind::Zip)
}

fn read_up_to(file: &mut impl Read, buf: &mut [u8]) -> usize {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    got
}

/// Judges a whole file held in memory (a mail's attachment).
pub fn judge(bytes: &[u8]) -> Result<FileKind, Refusal> {
    let sniffed = sniff(&bytes[..bytes.len().min(SNIFF_BYTES)])?;
    settle(sniffed, &mut std::io::Cursor::new(bytes))
}

/// The most characters a shown name keeps.
pub const NAME_MAX_CHARS: usize = 100;

/// The name a file is shown and downloaded under: the last part of what the sender called it
/// (no folders), without control characters or quotes, at most [`NAME_MAX_CHARS`] characters
/// (the ending kept), and with an ending that fits the content — `invoice.exe` that is really
/// text becomes `invoice.exe.txt`, so a download never opens as something it is not.
pub fn display_name(raw: &str, kind: FileKind) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':' | '\u{202e}' | '\u{200e}' | '\u{200f}'))
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').trim();
    let mut name = if cleaned.is_empty() { "file".to_string() } else { cleaned.to_string() };
    let fits = name
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && kind.extensions().iter().any(|e| e.eq_ignore_ascii_case(ext)));
    if !fits {
        name.push('.');
        name.push_str(kind.extensions()[0]);
    }
    let count = name.chars().count();
    if count > NAME_MAX_CHARS {
        // keep the ending: cut the stem
        let (stem, ext) = name.rsplit_once('.').map(|(s, e)| (s.to_string(), e.to_string())).unwrap_or((name.clone(), String::new()));
        let keep = NAME_MAX_CHARS.saturating_sub(ext.chars().count() + 1);
        name = format!("{}.{}", stem.chars().take(keep).collect::<String>(), ext);
    }
    name
}

/// How much may be attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachLimits {
    pub per_file: u64,
    pub per_message: u64,
    pub files: usize,
}

pub const MIB: u64 = 1024 * 1024;

impl Default for AttachLimits {
    fn default() -> Self {
        AttachLimits { per_file: 10 * MIB, per_message: 25 * MIB, files: 10 }
    }
}

/// Why one attached file was not taken, for the message that names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachProblem {
    TooLarge { max_mib: u64 },
    /// The files together are larger than a message may carry.
    MessageTooLarge { max_mib: u64 },
    TooMany { max: usize },
    Refused(Refusal),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn kind(bytes: &[u8]) -> Result<FileKind, Refusal> {
        judge(bytes)
    }

    /// A zip with these entry names (stored, empty, except `mimetype` with `mime`).
    fn zip(names: &[&str], mime: Option<&str>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        let mut entries: Vec<(&str, &[u8])> = Vec::new();
        if let Some(m) = mime {
            entries.push(("mimetype", m.as_bytes()));
        }
        for n in names {
            entries.push((n, b""));
        }
        for (name, data) in &entries {
            let offset = out.len() as u32;
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&[0, 0, 0, 0]); // crc (not checked)
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let dir_start = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&dir_start.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    /// An OLE2 file whose root entry has `clsid` (sector size 512, directory in sector 0).
    fn ole(clsid: [u8; 16]) -> Vec<u8> {
        let mut f = vec![0u8; 1024];
        f[..8].copy_from_slice(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1");
        f[30] = 9;
        f[48..52].copy_from_slice(&0u32.to_le_bytes());
        f[512 + 0x50..512 + 0x60].copy_from_slice(&clsid);
        f
    }

    #[test]
    fn images_pdf_and_text_by_their_bytes() {
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(FileKind::Png));
        assert_eq!(kind(b"\xff\xd8\xff\xe0\0\x10JFIF"), Ok(FileKind::Jpeg));
        assert_eq!(kind(b"GIF89a\x01\0\x01\0"), Ok(FileKind::Gif));
        assert_eq!(kind(b"RIFF\x10\0\0\0WEBPVP8 "), Ok(FileKind::Webp));
        assert_eq!(kind(b"\0\0\0\x18ftypheic\0\0\0\0"), Ok(FileKind::Heic));
        assert_eq!(kind(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Ok(FileKind::Pdf));
        assert_eq!(kind("주문번호,금액\r\nA-1,1000\r\n".as_bytes()), Ok(FileKind::Text));
        // EUC-KR text is text too
        assert_eq!(kind(b"\xb9\xae\xc0\xc7 \xb5\xe5\xb8\xb3\xb4\xcf\xb4\xd9\n"), Ok(FileKind::Text));
        assert_eq!(kind(b"\xff\xfeh\0i\0"), Ok(FileKind::Text));
        assert_eq!(kind(b""), Err(Refusal::Empty));
        assert_eq!(kind(b"\0\x01\x02\x03binary"), Err(Refusal::NotAllowed));
    }

    #[test]
    fn programs_are_refused_whatever_they_are_called() {
        for head in [&b"MZ\x90\0\x03\0\0\0"[..], b"\x7fELF\x02\x01\x01", b"\xcf\xfa\xed\xfe\x07\0\0\x01", b"\xca\xfe\xba\xbe\0\0\0\x02", b"\0asm\x01\0\0\0", b"#!/bin/sh\nrm -rf /\n"] {
            assert_eq!(kind(head), Err(Refusal::Executable), "{head:?}");
        }
        let msi = ole([0x84, 0x10, 0x0c, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46]);
        assert_eq!(kind(&msi), Err(Refusal::Executable));
        assert_eq!(kind(&ole([0; 16])), Ok(FileKind::Ole));
        assert_eq!(kind(&zip(&["META-INF/MANIFEST.MF", "a/Main.class"], None)), Err(Refusal::Executable));
        assert_eq!(kind(&zip(&["AndroidManifest.xml", "classes.dex"], None)), Err(Refusal::Executable));
    }

    #[test]
    fn zips_are_told_apart_by_their_entries() {
        assert_eq!(kind(&zip(&["[Content_Types].xml", "word/document.xml"], None)), Ok(FileKind::Docx));
        assert_eq!(kind(&zip(&["[Content_Types].xml", "xl/workbook.xml"], None)), Ok(FileKind::Xlsx));
        assert_eq!(kind(&zip(&["[Content_Types].xml", "ppt/presentation.xml"], None)), Ok(FileKind::Pptx));
        assert_eq!(kind(&zip(&["Contents/section0.xml"], Some("application/hwp+zip"))), Ok(FileKind::Hwpx));
        assert_eq!(kind(&zip(&["content.xml", "META-INF/manifest.xml"], Some("application/vnd.oasis.opendocument.text"))), Ok(FileKind::Odf));
        assert_eq!(kind(&zip(&["photos/a.jpg", "notes.txt"], None)), Ok(FileKind::Zip));
        // a zip header with no directory behind it is not a zip
        assert_eq!(kind(b"PK\x03\x04garbage"), Err(Refusal::NotAllowed));
        assert_eq!(settle(Sniffed::Zip, &mut Cursor::new(b"PK\x05\x06".to_vec())), Err(Refusal::NotAllowed));
    }

    #[test]
    fn names_lose_folders_and_get_an_ending_that_fits() {
        assert_eq!(display_name("C:\\Users\\kim\\영수증.pdf", FileKind::Pdf), "영수증.pdf");
        assert_eq!(display_name("../../etc/passwd", FileKind::Text), "passwd.txt");
        assert_eq!(display_name("invoice.exe", FileKind::Text), "invoice.exe.txt");
        assert_eq!(display_name("photo.JPG", FileKind::Jpeg), "photo.JPG");
        assert_eq!(display_name("photo.png", FileKind::Jpeg), "photo.png.jpg");
        assert_eq!(display_name("a\u{202e}gpj.exe", FileKind::Zip), "agpj.exe.zip");
        assert_eq!(display_name("  ", FileKind::Png), "file.png");
        assert_eq!(display_name(".pdf", FileKind::Pdf), "pdf.pdf");
        let long = format!("{}.docx", "가".repeat(300));
        let shown = display_name(&long, FileKind::Docx);
        assert_eq!(shown.chars().count(), NAME_MAX_CHARS);
        assert!(shown.ends_with(".docx"));
    }
}
