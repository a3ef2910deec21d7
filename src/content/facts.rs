//! What the content rules read from a document's text, worked out once when it is read: the
//! date written at its end, the names on its signature lines, which of the watched phrases it
//! mentions, whether its owner's name is in it, and whether it is readable at all. The text
//! itself is let go (a dossier's documents hold tens of kilobytes of text; 100,000 dossiers'
//! would not fit), so every rule reads these facts, never the text.

use std::sync::LazyLock;

use compact_str::CompactString;
use jiff::civil::Date;
use memchr::memmem::Finder;
use regex::Regex;

use super::{Source, Text};
use crate::schema::ContentSettings;

/// The facts of one document with text.
#[derive(Debug, Clone, PartialEq)]
pub struct DocFacts {
    pub source: Source,
    /// OCR's mean confidence (0–100); None for a text layer or a Word file.
    pub confidence: Option<f32>,
    /// Chinese characters read.
    pub chars: u32,
    /// Enough characters read, confidently enough, to judge what it says.
    pub readable: bool,
    /// The last date written in it (`2023年3月15日`, `二〇二三年三月十五日`), as written.
    pub written: Option<(Date, CompactString)>,
    /// Names on its signature lines (申请人：, 汇报人：, 本人签名：…), in order.
    pub signers: Vec<CompactString>,
    /// The watched phrases it mentions, as indices into [`Lens::phrases`], ascending.
    pub phrases: Vec<u16>,
    /// Its owner's name appears in it.
    pub owner_named: bool,
}

/// What to look for in every document: the phrases the rules watch, and the settings that
/// say when a text is readable.
#[derive(Debug)]
pub struct Lens {
    pub phrases: Vec<String>,
    /// How each phrase is looked for, in the order of `phrases`.
    lookups: Vec<Lookup>,
    settings: ContentSettings,
}

/// One phrase [`compact`]ed: searched for as it is and, when long enough, with a character
/// in eight read wrong ([`Lookup::near`]).
#[derive(Debug)]
struct Lookup {
    exact: Finder<'static>,
    letters: Vec<char>,
    /// The phrase cut in one piece more than the characters it may have wrong, each piece
    /// with the number of characters before it: a window with at most that many wrong holds
    /// at least one piece as it is (empty for a phrase shorter than eight characters).
    pieces: Vec<(usize, Finder<'static>)>,
}

impl Lookup {
    fn new(phrase: &str) -> Lookup {
        let letters: Vec<char> = phrase.chars().collect();
        let allowed = letters.len() / 8;
        let pieces = if allowed == 0 {
            Vec::new()
        } else {
            let per = letters.len() / (allowed + 1);
            (0..=allowed)
                .map(|j| {
                    let from = j * per;
                    let to = if j == allowed {
                        letters.len()
                    } else {
                        from + per
                    };
                    let piece: String = letters[from..to].iter().collect();
                    (from, Finder::new(piece.as_bytes()).into_owned())
                })
                .collect()
        };
        Lookup {
            exact: Finder::new(phrase.as_bytes()).into_owned(),
            letters,
            pieces,
        }
    }

    /// Whether `text` holds the phrase with at most one character in eight different (no
    /// character missing or added: OCR substitutes, it rarely drops one inside a printed
    /// word). Only the places where a piece of the phrase stands as it is are compared.
    fn near(&self, text: &str) -> bool {
        let allowed = self.letters.len() / 8;
        self.pieces.iter().any(|(before, piece)| {
            piece.find_iter(text.as_bytes()).any(|at| {
                // The window starts `before` characters ahead of the piece.
                let start = if *before == 0 {
                    Some(at)
                } else {
                    text[..at]
                        .char_indices()
                        .rev()
                        .nth(before - 1)
                        .map(|(i, _)| i)
                };
                start.is_some_and(|start| {
                    let mut window = text[start..].chars();
                    let mut wrong = 0;
                    for &p in &self.letters {
                        match window.next() {
                            Some(c) if c == p => {}
                            Some(_) if wrong < allowed => wrong += 1,
                            _ => return false,
                        }
                    }
                    true
                })
            })
        })
    }
}

impl Lens {
    pub fn new(mut phrases: Vec<String>, settings: ContentSettings) -> Lens {
        phrases.sort();
        phrases.dedup();
        phrases.truncate(u16::MAX as usize);
        let lookups = phrases.iter().map(|p| Lookup::new(&compact(p))).collect();
        Lens {
            phrases,
            lookups,
            settings,
        }
    }

    /// What a document's facts depend on besides the document: the phrases looked for and
    /// the settings (the result cache names it beside the facts it keeps).
    pub fn fingerprint(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for p in &self.phrases {
            h.update(p.as_bytes());
            h.update(&[0]);
        }
        h.update(&self.settings.min_chars.to_le_bytes());
        h.update(&self.settings.min_confidence.to_bits().to_le_bytes());
        h.digest()
    }

    /// The index of a phrase in [`DocFacts::phrases`].
    pub fn phrase(&self, p: &str) -> Option<u16> {
        self.phrases
            .binary_search_by(|x| x.as_str().cmp(p))
            .ok()
            .map(|i| i as u16)
    }

    /// The facts of a text whose owner is `owner` (empty when the dossier has no person).
    pub fn read(&self, text: &Text, owner: &str) -> DocFacts {
        // The text compacted in one string, and where each of its lines is in it.
        let mut whole = String::with_capacity(text.text.len());
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut chars = 0;
        for line in text.text.lines() {
            let start = whole.len();
            chars += compact_into(line, &mut whole);
            spans.push((start, whole.len()));
        }
        let lines = || spans.iter().map(|&(a, b)| &whole[a..b]);
        let chars = u32::try_from(chars).unwrap_or(u32::MAX);
        let readable = chars >= self.settings.min_chars
            && text
                .confidence
                .is_none_or(|c| c >= self.settings.min_confidence);
        // Ascending, as the phrases are.
        let phrases: Vec<u16> = self
            .lookups
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.exact.find(whole.as_bytes()).is_some() || (!l.pieces.is_empty() && l.near(&whole))
            })
            .map(|(i, _)| i as u16)
            .collect();
        let owner = compact(&crate::text::normalize_name(owner));
        DocFacts {
            source: text.source,
            confidence: text.confidence,
            chars,
            readable,
            written: lines().rev().find_map(last_date),
            signers: lines().filter_map(signer).collect(),
            phrases,
            owner_named: !owner.is_empty() && whole.contains(owner.as_str()),
        }
    }
}

/// Text without white space (an OCR layer spaces CJK characters apart), with the look-alikes
/// of 〇 and the colon made one.
pub fn compact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = compact_into(s, &mut out);
    out
}

/// [`compact`], onto the end of `out`.
/// Its Chinese characters are counted on the way ([`han_count`]).
fn compact_into(s: &str, out: &mut String) -> usize {
    // Copied a run at a time: only white space and the look-alikes break a run.
    let mut run = 0;
    let mut han = 0;
    for (i, c) in s.char_indices() {
        let put = match c {
            '○' => "〇",
            ':' => "：",
            c if c.is_whitespace() => "",
            c => {
                han += usize::from(is_han(c));
                continue;
            }
        };
        out.push_str(&s[run..i]);
        out.push_str(put);
        run = i + c.len_utf8();
    }
    out.push_str(&s[run..]);
    han
}

/// The Chinese characters in a text: what says whether anything was read.
pub(crate) fn han_count(s: &str) -> usize {
    s.chars().filter(|&c| is_han(c)).count()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{4}年\d{1,2}月\d{1,2}日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})",
    )
    .expect("a valid pattern")
});

/// The last full date written on a line.
fn last_date(line: &str) -> Option<(Date, CompactString)> {
    DATE.find_iter(line)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find_map(|m| {
            let v = crate::date::parse_date(m.as_str()).ok()?;
            v.is_day()
                .then(|| (v.earliest(), CompactString::from(m.as_str())))
        })
}

static SIGNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:申请人|汇报人|报告人|志愿人|本人签名|本人签字|签名|签字|署名|本人)[（(]?(?:签名|签字)?[)）]?：([\p{Han}·]{2,12})",
    )
    .expect("a valid pattern")
});

/// The name on a signature line (`申请人：张三`, `汇报人（签名）：李四 2023年3月15日`), cut
/// where a date begins: two to four characters, or a name with a middle dot.
fn signer(line: &str) -> Option<CompactString> {
    // Every signature line has the colon (compacted to `：`); most lines of a text have none,
    // and a search for one character costs far less than the pattern's.
    if !line.contains('：') {
        return None;
    }
    let c = SIGNER.captures(line)?;
    let name = c.get(1)?.as_str();
    let cut = ["二〇", "二零", "一九", "〇", "零", "年", "月", "日"]
        .iter()
        .filter_map(|stop| name.find(stop))
        .filter(|&i| i > 0)
        .min()
        .unwrap_or(name.len());
    let name = &name[..cut];
    let n = name.chars().count();
    let fits = if name.contains('·') {
        n >= 3
    } else {
        (2..=4).contains(&n)
    };
    fits.then(|| CompactString::from(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lens() -> Lens {
        Lens::new(
            vec![
                "党的二十大".into(),
                "习近平新时代中国特色社会主义思想".into(),
            ],
            ContentSettings::default(),
        )
    }

    fn text(s: &str, confidence: Option<f32>) -> Text {
        Text {
            text: s.into(),
            source: Source::Ocr,
            confidence,
        }
    }

    const BODY: &str = "敬爱的党组织：\n我志愿加入中国共产党，认真学习党 的 二 十 大精神和习近平新时代中国特色社会主义思想，拥护党的纲领。\n";

    #[test]
    fn date_signer_phrases_owner() {
        let t = text(
            &format!("入党申请书\n{BODY}此致\n敬礼\n申请人：张 三\n二〇二三年三月十五日\n"),
            Some(91.0),
        );
        let f = lens().read(&t, "张三");
        assert!(f.readable, "{f:?}");
        assert_eq!(
            f.written.as_ref().map(|w| w.0.to_string()),
            Some("2023-03-15".into())
        );
        assert_eq!(f.signers, vec!["张三"]);
        assert_eq!(f.phrases, vec![0, 1]);
        assert!(f.owner_named);
        assert!(!lens().read(&t, "李四").owner_named);
    }

    #[test]
    fn a_signer_with_the_date_on_its_line() {
        assert_eq!(
            signer("汇报人（签名）：李四2023年3月15日").as_deref(),
            Some("李四")
        );
        assert_eq!(
            signer("汇报人：李四二〇二三年三月").as_deref(),
            Some("李四")
        );
        assert_eq!(
            signer("申请人：阿依古丽·买买提").as_deref(),
            Some("阿依古丽·买买提")
        );
        assert_eq!(signer("申请人：张三此致敬礼"), None);
        assert_eq!(signer("本人签名："), None);
        assert_eq!(signer("我本人认为"), None);
    }

    #[test]
    fn the_last_date_wins_and_a_month_alone_is_no_date() {
        let t = text(
            "2022年10月16日党的二十大开幕\n汇报人：李四\n2023.3.15\n",
            None,
        );
        let f = lens().read(&t, "李四");
        assert_eq!(
            f.written.map(|w| w.0.to_string()),
            Some("2023-03-15".into())
        );
        assert_eq!(last_date("二〇二三年三月"), None);
        assert_eq!(last_date("2023年2月30日"), None);
    }

    #[test]
    fn a_long_phrase_read_one_character_wrong_counts_and_a_short_one_does_not() {
        let l = lens();
        let t = text(
            &format!("{BODY}我 认真 学 习习 近乎 新 时 代 中 国 特色 社会 主义 思想。党的二千大"),
            None,
        );
        let t = Text {
            text: t
                .text
                .replace("习近平新时代中国特色社会主义思想", "")
                .replace("党 的 二 十 大", ""),
            ..t
        };
        let xi = l.phrase("习近平新时代中国特色社会主义思想").unwrap();
        assert_eq!(l.read(&t, "").phrases, vec![xi]);
        let three_wrong = text("学习习近乎新时代中国特包社会主乂思想", None);
        assert_eq!(l.read(&three_wrong, "").phrases, Vec::<u16>::new());
    }

    #[test]
    fn eight_characters_take_one_wrong_and_seven_none() {
        // At eight characters a phrase is long enough for one character read wrong; at seven
        // it must be read as it is.
        let l = Lens::new(
            vec!["不忘初心牢记使命".into(), "二十届三中全会".into()],
            ContentSettings::default(),
        );
        let found = |s: &str| l.read(&text(s, None), "").phrases;
        let eight = l.phrase("不忘初心牢记使命").unwrap();
        let seven = l.phrase("二十届三中全会").unwrap();
        assert_eq!(found("我们要不忘初心牢记使名。"), vec![eight]);
        assert_eq!(found("学习二十届三中全曾精神。"), Vec::<u16>::new());
        assert_eq!(found("学习二十届三中全会精神。"), vec![seven]);
        // A text shorter than the phrase holds no near match of it.
        assert_eq!(found("不忘初心"), Vec::<u16>::new());
    }

    #[test]
    fn unreadable_when_short_or_unsure() {
        let l = lens();
        assert!(!l.read(&text(BODY, Some(30.0)), "").readable);
        assert!(l.read(&text(BODY, Some(80.0)), "").readable);
        assert!(!l.read(&text("申请书", None), "").readable);
    }

    /// The near match as it was written before pieces: every window of the text, compared.
    fn near_by_every_window(text: &str, phrase: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        let phrase: Vec<char> = phrase.chars().collect();
        let allowed = phrase.len() / 8;
        text.windows(phrase.len())
            .any(|w| w.iter().zip(&phrase).filter(|(a, b)| a != b).count() <= allowed)
    }

    #[test]
    fn near_matches_found_by_pieces_are_those_of_every_window() {
        // Phrases of 8, 16 and 17 characters (one, two and two characters allowed wrong),
        // each put in a text with 0–3 of its characters replaced at every kind of place — in
        // its first piece, its last, across pieces, at the text's start and end — and with
        // ASCII and CJK characters around it (byte lengths differ from characters).
        let phrases = [
            "不忘初心牢记使命",
            "习近平新时代中国特色社会主义思想",
            "习近平新时代中国特色社会主义思想的",
        ];
        let mut seed = 7u32;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 8) as usize % n
        };
        let fillers = ["", "a", "学习", "x1党", "。\n"];
        let mut compared = 0;
        for phrase in phrases {
            let lookup = Lookup::new(phrase);
            let letters: Vec<char> = phrase.chars().collect();
            for _ in 0..400 {
                let mut got = letters.clone();
                for _ in 0..next(4) {
                    let at = next(got.len());
                    got[at] = ['乎', 'Z', '中'][next(3)];
                }
                let body: String = got.iter().collect();
                let text = format!("{}{body}{}", fillers[next(5)], fillers[next(5)]);
                assert_eq!(
                    lookup.near(&text),
                    near_by_every_window(&text, phrase),
                    "{phrase} in {text}"
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 1200);
        // Both kinds of answer were met.
        let l = Lookup::new(phrases[1]);
        assert!(l.near("学习习近乎新时代中国特色社会主义思想"));
        assert!(l.near("习近平新时代中国特色社会主义思乎乎"));
        assert!(l.near("习近乎新时乎中国特色社会主义思想"));
        assert!(!l.near("习近乎新时乎中国特色社会主乂思想"));
        assert!(!l.near("习近平新时代中国特色社会主义思"));
    }

    #[test]
    fn compacted_without_white_space_and_look_alikes_made_one() {
        assert_eq!(
            compact(" 党 的\u{3000}二十大\t○○\u{a0}:甲: "),
            "党的二十大〇〇：甲："
        );
        assert_eq!(compact("abc"), "abc");
        // The Chinese characters are counted as the compacted text's.
        for s in [" 党 的\u{3000}二十大○a:", "㐀丽\u{9FFF}一〇", ""] {
            let mut out = String::new();
            assert_eq!(compact_into(s, &mut out), han_count(&out), "{s}");
        }
        let mut out = String::new();
        assert_eq!(compact_into("党 的二十大○", &mut out), 5);
        assert_eq!(compact(""), "");
    }
}
