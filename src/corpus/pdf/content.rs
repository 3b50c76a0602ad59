//! A page's content stream, interpreted only as far as text needs: the graphics state's matrix
//! (`cm`, `q`, `Q`), the text state (`Tf`, `Tc`, `Tw`, `Tz`, `TL`, `Ts`), positioning (`Td`, `TD`,
//! `Tm`, `T*`), showing (`Tj`, `TJ`, `'`, `"`), marked content with `/ActualText` (Chromium's way
//! of saying what a run of glyphs means), and form XObjects (`Do`), nested at most
//! [`MAX_FORM_DEPTH`] deep. The result is a list of [`Run`]s in page space, in content order.

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::Font;
use crate::corpus::is_cjk;

/// Form XObjects inside form XObjects, at most.
const MAX_FORM_DEPTH: usize = 8;
/// `q` without `Q`, at most; deeper saves are ignored rather than stored.
const MAX_SAVE_DEPTH: usize = 256;
/// Decompressed size of one content stream (page or form) above which it is skipped.
pub(super) const MAX_CONTENT: usize = 64 << 20;

/// An affine matrix [a b c d e f], applied to row vectors as PDF does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Matrix([f32; 6]);

impl Matrix {
    pub(super) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    /// `self` then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    /// How much the matrix scales lengths, on average over both axes.
    fn scale(self) -> f32 {
        let [a, b, c, d, ..] = self.0;
        (a * d - b * c).abs().sqrt()
    }
}

/// Text shown at one place: one show operator, or the part of one that lies on a line.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Run {
    /// Start and end of the baseline in page space.
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    /// Font size in page space.
    pub size: f32,
    pub text: String,
}

/// What interpreting a page found besides its runs.
#[derive(Debug, Default)]
pub(super) struct Tally {
    /// Codes shown whose text cannot be known (no ToUnicode, unknown encoding).
    pub undecodable: usize,
    /// Codes shown in all.
    pub glyphs: usize,
    /// Form XObjects or streams skipped, with why.
    pub skipped: Vec<String>,
    /// Bytes of decompressed content interpreted: the page's streams and its forms'.
    pub content_bytes: usize,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<usize>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
}

impl Default for GState {
    fn default() -> GState {
        GState {
            ctm: Matrix::IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// A marked-content span: its /ActualText, and whether that text has been shown yet.
struct Marked {
    actual: Option<String>,
    shown: bool,
}

/// The fonts of one document, each loaded (its ToUnicode map parsed, its widths read) once
/// however many pages or forms use it: pages of one document share their font dictionaries.
#[derive(Default)]
pub(super) struct Fonts<'a> {
    loaded: Vec<Font<'a>>,
    /// Index in `loaded` by the font dictionary's address in the document.
    by_dict: HashMap<*const Dictionary, usize>,
}

struct Interpreter<'a, 'f> {
    doc: &'a Document,
    fonts: &'f mut Fonts<'a>,
    runs: Vec<Run>,
    tally: Tally,
    forms: HashSet<ObjectId>,
}

/// Interprets one page, with the fonts already loaded for earlier pages of the document.
pub(super) fn page_runs<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    fonts: &mut Fonts<'a>,
) -> Result<(Vec<Run>, Tally), lopdf::Error> {
    let bytes = doc.get_page_content_with_limit(page_id, MAX_CONTENT)?;
    let content = Content::decode(&bytes)?;
    let page_fonts = doc.get_page_fonts(page_id).unwrap_or_default();
    let xobjects = page_xobjects(doc, page_id);
    let mut it = Interpreter {
        doc,
        fonts,
        runs: Vec::new(),
        tally: Tally::default(),
        forms: HashSet::new(),
    };
    it.tally.content_bytes = bytes.len();
    let fonts = it.load_fonts(page_fonts);
    it.run(&content, &fonts, &xobjects, GState::default(), 0);
    Ok((it.runs, it.tally))
}

fn page_xobjects(doc: &Document, page_id: ObjectId) -> BTreeMap<Vec<u8>, ObjectId> {
    let mut out = BTreeMap::new();
    let Ok((direct, ids)) = doc.get_page_resources(page_id) else {
        return out;
    };
    let dicts = direct
        .into_iter()
        .chain(ids.iter().filter_map(|&id| doc.get_dictionary(id).ok()));
    for res in dicts {
        collect_xobjects(doc, res, &mut out);
    }
    out
}

fn collect_xobjects(doc: &Document, res: &Dictionary, out: &mut BTreeMap<Vec<u8>, ObjectId>) {
    let xo = res
        .get(b"XObject")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    for (name, value) in xo.into_iter().flat_map(Dictionary::iter) {
        if let Ok(id) = value.as_reference() {
            out.entry(name.clone()).or_insert(id);
        }
    }
}

fn fonts_of<'a>(doc: &'a Document, res: &'a Dictionary) -> BTreeMap<Vec<u8>, &'a Dictionary> {
    let mut out = BTreeMap::new();
    let fonts = res
        .get(b"Font")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    for (name, value) in fonts.into_iter().flat_map(Dictionary::iter) {
        if let Ok((_, Object::Dictionary(d))) = doc.dereference(value) {
            out.insert(name.clone(), d);
        }
    }
    out
}

fn num(operands: &[Object], i: usize) -> f32 {
    operands
        .get(i)
        .and_then(|o| o.as_float().ok())
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

impl<'a> Interpreter<'a, '_> {
    /// A resource dictionary's fonts by name, as indices into the document's loaded fonts.
    fn load_fonts(&mut self, fonts: BTreeMap<Vec<u8>, &'a Dictionary>) -> BTreeMap<Vec<u8>, usize> {
        let doc = self.doc;
        let cache = &mut *self.fonts;
        fonts
            .into_iter()
            .map(|(name, dict)| {
                let k = *cache
                    .by_dict
                    .entry(dict as *const Dictionary)
                    .or_insert_with(|| {
                        cache.loaded.push(Font::load(doc, dict));
                        cache.loaded.len() - 1
                    });
                (name, k)
            })
            .collect()
    }

    fn run(
        &mut self,
        content: &Content,
        fonts: &BTreeMap<Vec<u8>, usize>,
        xobjects: &BTreeMap<Vec<u8>, ObjectId>,
        start: GState,
        depth: usize,
    ) {
        let mut gs = start;
        let mut saved: Vec<GState> = Vec::new();
        let mut marked: Vec<Marked> = Vec::new();
        let (mut tm, mut tlm) = (Matrix::IDENTITY, Matrix::IDENTITY);
        for op in &content.operations {
            let ops = &op.operands;
            match op.operator.as_str() {
                "q" if saved.len() < MAX_SAVE_DEPTH => saved.push(gs.clone()),
                "Q" => {
                    if let Some(s) = saved.pop() {
                        gs = s;
                    }
                }
                "cm" => {
                    let m = Matrix(std::array::from_fn(|i| num(ops, i)));
                    gs.ctm = m.then(gs.ctm);
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    gs.font = ops
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|n| fonts.get(n))
                        .copied();
                    gs.size = num(ops, 1);
                }
                "Tc" => gs.char_spacing = num(ops, 0),
                "Tw" => gs.word_spacing = num(ops, 0),
                "Tz" => gs.h_scale = num(ops, 0) / 100.0,
                "TL" => gs.leading = num(ops, 0),
                "Ts" => gs.rise = num(ops, 0),
                "Td" | "TD" => {
                    let (tx, ty) = (num(ops, 0), num(ops, 1));
                    if op.operator == "TD" {
                        gs.leading = -ty;
                    }
                    tlm = Matrix::translate(tx, ty).then(tlm);
                    tm = tlm;
                }
                "Tm" => {
                    tlm = Matrix(std::array::from_fn(|i| num(ops, i)));
                    tm = tlm;
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -gs.leading).then(tlm);
                    tm = tlm;
                }
                "Tj" | "TJ" | "'" | "\"" => {
                    if op.operator == "'" || op.operator == "\"" {
                        if op.operator == "\"" {
                            gs.word_spacing = num(ops, 0);
                            gs.char_spacing = num(ops, 1);
                        }
                        tlm = Matrix::translate(0.0, -gs.leading).then(tlm);
                        tm = tlm;
                    }
                    let shown: &[Object] = if op.operator == "\"" {
                        ops.get(2..).unwrap_or(&[])
                    } else {
                        ops
                    };
                    self.show(&gs, &mut tm, shown, &mut marked);
                }
                "BMC" => marked.push(Marked {
                    actual: None,
                    shown: false,
                }),
                "BDC" => {
                    let actual = ops
                        .get(1)
                        .and_then(|o| o.as_dict().ok())
                        .and_then(|d| d.get(b"ActualText").ok())
                        .and_then(|o| lopdf::decode_text_string(o).ok());
                    marked.push(Marked {
                        actual,
                        shown: false,
                    });
                }
                "EMC" => {
                    marked.pop();
                }
                "Do" => {
                    let Some(&id) = ops
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|n| xobjects.get(n))
                    else {
                        continue;
                    };
                    self.form(id, &gs, depth);
                }
                _ => {}
            }
        }
    }

    /// Interprets a form XObject with the current state, once per page and form.
    fn form(&mut self, id: ObjectId, gs: &GState, depth: usize) {
        let doc = self.doc;
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            return;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return;
        }
        if depth >= MAX_FORM_DEPTH {
            self.tally.skipped.push(format!(
                "a form XObject nested more than {MAX_FORM_DEPTH} deep"
            ));
            return;
        }
        if !self.forms.insert(id) {
            return;
        }
        let bytes = match stream.get_plain_content_with_limit(MAX_CONTENT) {
            Ok(b) => b,
            Err(e) => {
                self.tally.skipped.push(format!("a form XObject: {e}"));
                return;
            }
        };
        self.tally.content_bytes += bytes.len();
        let Ok(content) = Content::decode(&bytes) else {
            self.tally
                .skipped
                .push("a form XObject that cannot be parsed".into());
            return;
        };
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|o| o.as_array().ok())
            .filter(|a| a.len() == 6)
            .map_or(Matrix::IDENTITY, |a| {
                Matrix(std::array::from_fn(|i| num(a, i)))
            });
        let res = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        let (fonts, xobjects) = match res {
            Some(res) => {
                let mut xo = BTreeMap::new();
                collect_xobjects(doc, res, &mut xo);
                (self.load_fonts(fonts_of(doc, res)), xo)
            }
            None => (BTreeMap::new(), BTreeMap::new()),
        };
        let mut inner = gs.clone();
        inner.ctm = matrix.then(gs.ctm);
        self.run(&content, &fonts, &xobjects, inner, depth + 1);
    }

    fn show(&mut self, gs: &GState, tm: &mut Matrix, shown: &[Object], marked: &mut [Marked]) {
        let Some(font) = gs.font.map(|i| &self.fonts.loaded[i]) else {
            return;
        };
        // Inside a span with /ActualText, that text stands for every glyph of the span.
        let actual = marked.iter_mut().rev().find(|m| m.actual.is_some());
        let replace = actual.is_some();
        let mut text = String::new();
        if let Some(m) = actual
            && !m.shown
        {
            m.shown = true;
            text.push_str(m.actual.as_deref().unwrap_or(""));
        }
        let trm = |tm: Matrix| {
            Matrix([gs.size * gs.h_scale, 0.0, 0.0, gs.size, 0.0, gs.rise])
                .then(tm)
                .then(gs.ctm)
        };
        let start = trm(*tm);
        let (x0, y) = start.apply(0.0, 0.0);
        let size = start.scale() / gs.h_scale.abs().max(0.01).sqrt();
        let (mut undecodable, mut glyphs) = (0, 0);
        for operand in shown.iter().flat_map(|o| match o {
            Object::Array(items) => items.as_slice(),
            other => std::slice::from_ref(other),
        }) {
            match operand {
                Object::String(bytes, _) => font.each_glyph(bytes, |g| {
                    glyphs += 1;
                    undecodable += usize::from(g.undecodable);
                    if !replace {
                        text.push_str(g.text);
                    }
                    let spacing = gs.char_spacing + if g.is_space { gs.word_spacing } else { 0.0 };
                    let tx = (g.width * gs.size + spacing) * gs.h_scale;
                    *tm = Matrix::translate(tx, 0.0).then(*tm);
                }),
                Object::Integer(_) | Object::Real(_) => {
                    let adj = operand.as_float().unwrap_or(0.0);
                    let tx = -adj / 1000.0 * gs.size * gs.h_scale;
                    if tx > 0.25 * gs.size
                        && !replace
                        && text
                            .chars()
                            .next_back()
                            .is_some_and(|c| !c.is_whitespace() && !is_cjk(c))
                    {
                        // A large kerning gap inside a TJ is a space the producer did not draw.
                        text.push(' ');
                    }
                    *tm = Matrix::translate(tx, 0.0).then(*tm);
                }
                _ => {}
            }
        }
        self.tally.glyphs += glyphs;
        self.tally.undecodable += undecodable;
        let (x1, _) = trm(*tm).apply(0.0, 0.0);
        if !text.is_empty() {
            self.runs.push(Run {
                x0: x0.min(x1),
                x1: x0.max(x1),
                y,
                size,
                text,
            });
        }
    }
}
