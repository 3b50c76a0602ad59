//! Part-of-speech tags: the ICTCLAS/PKU set that jieba's dictionary uses, as an enum.

use std::fmt;

use serde::{Serialize, Serializer};

macro_rules! pos_tags {
    ($( $variant:ident => $tag:literal, $doc:literal; )*) => {
        /// A part-of-speech tag. `Display` writes the tag as jieba writes it (`ns`, `vn` …).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Pos {
            $( #[doc = $doc] $variant, )*
            /// A redaction token (`**`, `××`): gongwen's own tag, written `redacted`.
            Redacted,
        }

        impl Pos {
            /// The tag for jieba's tag string; unknown tags become [`Pos::X`].
            pub fn from_tag(tag: &str) -> Pos {
                match tag {
                    $( $tag => Pos::$variant, )*
                    "redacted" => Pos::Redacted,
                    _ => Pos::X,
                }
            }

            /// The tag as written in dictionaries and `--pos` output.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Pos::$variant => $tag, )*
                    Pos::Redacted => "redacted",
                }
            }
        }
    };
}

pos_tags! {
    A => "a", "adjective";
    Ad => "ad", "adverbial adjective";
    Ag => "ag", "adjective morpheme";
    An => "an", "nominal adjective";
    B => "b", "distinguishing word";
    C => "c", "conjunction";
    D => "d", "adverb";
    Df => "df", "adverb (不要 …)";
    Dg => "dg", "adverb morpheme";
    E => "e", "exclamation";
    Eng => "eng", "Latin-script word";
    F => "f", "locative";
    G => "g", "morpheme";
    H => "h", "prefix";
    I => "i", "idiom (成语)";
    J => "j", "abbreviation (简称: 两个确立, 四风)";
    K => "k", "suffix";
    L => "l", "fixed expression (习用语)";
    M => "m", "numeral";
    Mg => "mg", "numeral morpheme";
    Mq => "mq", "numeral-classifier";
    N => "n", "noun";
    Ng => "ng", "noun morpheme";
    Nr => "nr", "person name";
    Nrfg => "nrfg", "person name (given name)";
    Nrt => "nrt", "person name (transliterated)";
    Ns => "ns", "place name";
    Nt => "nt", "organisation name";
    Nz => "nz", "other proper noun";
    O => "o", "onomatopoeia";
    P => "p", "preposition";
    Q => "q", "classifier";
    R => "r", "pronoun";
    Rg => "rg", "pronoun morpheme";
    Rr => "rr", "personal pronoun";
    Rz => "rz", "demonstrative pronoun";
    S => "s", "space word";
    T => "t", "time word";
    Tg => "tg", "time morpheme";
    U => "u", "auxiliary";
    Ud => "ud", "auxiliary 得";
    Ug => "ug", "auxiliary 过";
    Uj => "uj", "auxiliary 的";
    Ul => "ul", "auxiliary 了";
    Uv => "uv", "auxiliary 地";
    Uz => "uz", "auxiliary 着";
    V => "v", "verb";
    Vd => "vd", "adverbial verb";
    Vg => "vg", "verb morpheme";
    Vi => "vi", "intransitive verb";
    Vn => "vn", "nominal verb";
    Vq => "vq", "verb-classifier";
    X => "x", "non-word: punctuation, symbol, unknown";
    Y => "y", "modal particle";
    Z => "z", "descriptive word";
    Zg => "zg", "descriptive morpheme";
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Pos {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for tag in ["n", "nz", "vn", "j", "l", "redacted", "eng"] {
            assert_eq!(Pos::from_tag(tag).as_str(), tag);
        }
        assert_eq!(Pos::from_tag("??"), Pos::X);
    }
}
