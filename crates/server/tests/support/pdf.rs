//! A PDF with a Chinese text layer, made in the test (smart filing reads such PDFs).
#![allow(dead_code)]

/// A one-page PDF whose text layer is `text`: a Type0 font with Identity-H encoding and a
/// ToUnicode map, as word processors write Chinese (the glyphs themselves are not embedded;
/// only the text layer matters here). Each line its own text object.
pub fn pdf_of(text: &str) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, StringFormat, dictionary};
    let mut doc = Document::with_version("1.5");
    let mut chars: Vec<char> = Vec::new();
    let mut ops = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut bytes = Vec::new();
        for c in line.chars() {
            let cid = match chars.iter().position(|&x| x == c) {
                Some(p) => p + 1,
                None => {
                    chars.push(c);
                    chars.len()
                }
            };
            bytes.extend_from_slice(&u16::try_from(cid).unwrap().to_be_bytes());
        }
        let y = 800 - 12 * i64::try_from(i).unwrap();
        ops.push(Operation::new("BT", vec![]));
        ops.push(Operation::new("Tf", vec!["F1".into(), 9.into()]));
        ops.push(Operation::new("Td", vec![20.into(), y.into()]));
        ops.push(Operation::new(
            "Tj",
            vec![Object::String(bytes, StringFormat::Hexadecimal)],
        ));
        ops.push(Operation::new("ET", vec![]));
    }
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for (k, chunk) in chars.chunks(100).enumerate() {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (j, c) in chunk.iter().enumerate() {
            let mut u = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut u)
                .iter()
                .map(|x| format!("{x:04X}"))
                .collect();
            cmap.push_str(&format!("<{:04X}> <{hex}>\n", k * 100 + j + 1));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
    let descendant = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "CIDToGIDMap" => "Identity",
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![descendant.into()], "ToUnicode" => to_unicode,
    });
    let pages_id = doc.new_object_id();
    let content = Content { operations: ops }.encode().unwrap();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}
