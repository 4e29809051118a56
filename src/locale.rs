//! Dates and numbers in the brief's language: month and weekday names, separators.

use chrono::{Datelike, NaiveDate};

/// Names and separators of one language.
struct Lang {
    months: [&'static str; 12],
    weekdays: [&'static str; 7],
    /// Decimal separator and thousands separator.
    decimal: char,
    group: char,
    /// Day-month-year order as a pattern: {w} weekday, {d} day, {m} month, {y} year.
    long: &'static str,
}

const EN: Lang = Lang {
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    decimal: '.',
    group: ',',
    long: "{w} {d} {m} {y}",
};
const FR: Lang = Lang {
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    decimal: ',',
    group: '\u{202F}',
    long: "{w} {d} {m} {y}",
};
const DE: Lang = Lang {
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    weekdays: ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    decimal: ',',
    group: '.',
    long: "{w}, {d}. {m} {y}",
};
const RU: Lang = Lang {
    months: [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    weekdays: ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
    decimal: ',',
    group: '\u{00A0}',
    long: "{w}, {d} {m} {y} г.",
};
const TR: Lang = Lang {
    months: [
        "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
        "Kasım", "Aralık",
    ],
    weekdays: ["Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"],
    decimal: ',',
    group: '.',
    long: "{d} {m} {y} {w}",
};
const AZ: Lang = Lang {
    months: [
        "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr",
        "oktyabr", "noyabr", "dekabr",
    ],
    weekdays: [
        "bazar ertəsi",
        "çərşənbə axşamı",
        "çərşənbə",
        "cümə axşamı",
        "cümə",
        "şənbə",
        "bazar",
    ],
    decimal: ',',
    group: '.',
    long: "{d} {m} {y}, {w}",
};

fn lang(tag: &str) -> &'static Lang {
    match tag.split(['-', '_']).next().unwrap_or("en") {
        "fr" => &FR,
        "de" => &DE,
        "ru" => &RU,
        "tr" => &TR,
        "az" => &AZ,
        _ => &EN,
    }
}

/// Languages with their own date and number style; others fall back to English.
pub const SUPPORTED: [&str; 6] = ["en", "fr", "de", "ru", "tr", "az"];

/// "Monday 5 July 2021" in the language.
pub fn long_date(date: NaiveDate, tag: &str) -> String {
    let l = lang(tag);
    l.long
        .replace("{w}", l.weekdays[date.weekday().num_days_from_monday() as usize])
        .replace("{d}", &date.day().to_string())
        .replace("{m}", l.months[date.month0() as usize])
        .replace("{y}", &date.year().to_string())
}

/// "5 July 2021" in the language (no weekday).
pub fn date(date: NaiveDate, tag: &str) -> String {
    let l = lang(tag);
    let pattern =
        l.long.replace("{w}, ", "").replace(", {w}", "").replace("{w} ", "").replace(" {w}", "");
    pattern
        .replace("{d}", &date.day().to_string())
        .replace("{m}", l.months[date.month0() as usize])
        .replace("{y}", &date.year().to_string())
}

/// The weekday's name in the language.
pub fn weekday(date: NaiveDate, tag: &str) -> &'static str {
    lang(tag).weekdays[date.weekday().num_days_from_monday() as usize]
}

/// Decimal and thousands separators of the language.
pub fn separators(tag: &str) -> (char, char) {
    let l = lang(tag);
    (l.decimal, l.group)
}

/// A number with the language's separators and at most `decimals` decimals
/// (trailing zeros dropped).
pub fn number(value: f64, decimals: usize, tag: &str) -> String {
    let (decimal, group) = separators(tag);
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let sign =
        if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{decimal}{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_each_language() {
        assert_eq!(long_date(d(2021, 7, 5), "en"), "Monday 5 July 2021");
        assert_eq!(long_date(d(2021, 7, 5), "de"), "Montag, 5. Juli 2021");
        assert_eq!(long_date(d(2021, 7, 5), "tr"), "5 Temmuz 2021 Pazartesi");
        assert_eq!(date(d(2021, 7, 5), "ru"), "5 июля 2021 г.");
        assert_eq!(date(d(2021, 7, 5), "az"), "5 iyul 2021");
        assert_eq!(weekday(d(2021, 7, 5), "fr"), "lundi");
    }

    #[test]
    fn numbers_with_separators() {
        assert_eq!(number(1234567.891, 2, "en"), "1,234,567.89");
        assert_eq!(number(1234.5, 1, "de"), "1.234,5");
        assert_eq!(number(-5.0, 1, "en"), "-5");
        assert_eq!(number(-0.001, 1, "en"), "0");
        assert_eq!(number(5.4, 1, "tr"), "5,4");
    }
}

/// Fixed wording of the templates and page furniture, by language:
/// English key, then fr, de, ru, tr, az.
const LABELS: [(&str, [&str; 5]); 52] = [
    ("Purpose", ["Objet", "Zweck", "Цель", "Amaç", "Məqsəd"]),
    ("Participants", ["Participants", "Teilnehmende", "Участники", "Katılımcılar", "İştirakçılar"]),
    ("Summary", ["Résumé", "Zusammenfassung", "Краткое содержание", "Özet", "Xülasə"]),
    (
        "Key messages",
        ["Messages clés", "Kernbotschaften", "Ключевые тезисы", "Temel mesajlar", "Əsas mesajlar"],
    ),
    ("Agenda", ["Ordre du jour", "Tagesordnung", "Повестка дня", "Gündem", "Gündəlik"]),
    (
        "Agreed measures",
        [
            "Mesures convenues",
            "Vereinbarte Maßnahmen",
            "Согласованные меры",
            "Mutabık kalınan önlemler",
            "Razılaşdırılmış tədbirlər",
        ],
    ),
    ("Measure", ["Mesure", "Maßnahme", "Мера", "Önlem", "Tədbir"]),
    ("Owner", ["Responsable", "Zuständig", "Ответственный", "Sorumlu", "Məsul"]),
    ("Due", ["Échéance", "Frist", "Срок", "Son tarih", "Müddət"]),
    ("Status", ["État", "Stand", "Статус", "Durum", "Status"]),
    ("Background", ["Contexte", "Hintergrund", "Справочная информация", "Arka plan", "Arxa plan"]),
    (
        "Risks and difficult questions",
        [
            "Risques et questions difficiles",
            "Risiken und schwierige Fragen",
            "Риски и сложные вопросы",
            "Riskler ve zor sorular",
            "Risklər və çətin suallar",
        ],
    ),
    ("Sources", ["Sources", "Quellen", "Источники", "Kaynaklar", "Mənbələr"]),
    ("To", ["À", "An", "Кому", "Kime", "Kimə"]),
    ("Cc", ["Cc", "Cc", "Копия", "Bilgi", "Surət"]),
    ("Meeting", ["Réunion", "Termin", "Встреча", "Toplantı", "Görüş"]),
    ("Date", ["Date", "Datum", "Дата", "Tarih", "Tarix"]),
    ("Place", ["Lieu", "Ort", "Место", "Yer", "Yer"]),
    ("For", ["Pour", "Für", "Для", "Sunulan", "Kimin üçün"]),
    ("From", ["De", "Von", "От", "Hazırlayan", "Hazırlayan"]),
    (
        "Figures as of",
        ["Chiffres au", "Zahlen mit Stand", "Данные на", "Veri tarihi", "Məlumat tarixi"],
    ),
    (
        "head",
        [
            "chef de délégation",
            "Delegationsleitung",
            "глава делегации",
            "heyet başkanı",
            "nümayəndə heyətinin rəhbəri",
        ],
    ),
    (
        "to be confirmed",
        ["à confirmer", "noch offen", "уточняется", "teyit edilecek", "dəqiqləşdirilir"],
    ),
    ("agreed", ["convenu", "vereinbart", "согласовано", "mutabık kalındı", "razılaşdırılıb"]),
    (
        "under consideration",
        ["à l'étude", "in Prüfung", "на рассмотрении", "değerlendiriliyor", "nəzərdən keçirilir"],
    ),
    ("pending", ["en attente", "ausstehend", "ожидается", "beklemede", "gözləmədə"]),
    ("done", ["réalisé", "erledigt", "выполнено", "tamamlandı", "icra olunub"]),
    (
        "Page {page} of {total}",
        [
            "Page {page} sur {total}",
            "Seite {page} von {total}",
            "Страница {page} из {total}",
            "Sayfa {page} / {total}",
            "Səhifə {page} / {total}",
        ],
    ),
    ("version", ["version", "Version", "версия", "sürüm", "versiya"]),
    ("DRAFT", ["PROJET", "ENTWURF", "ПРОЕКТ", "TASLAK", "LAYİHƏ"]),
    ("Note", ["Note", "Hinweis", "Примечание", "Not", "Qeyd"]),
    ("Source", ["Source", "Quelle", "Источник", "Kaynak", "Mənbə"]),
    // The "Changes since" box, the email's list of changes and the names
    // of the fields a change is in (`--changes-since`).
    (
        "Changes since version {version} ({date})",
        [
            "Modifications depuis la version {version} ({date})",
            "Änderungen seit Version {version} ({date})",
            "Изменения с версии {version} ({date})",
            "{version} sürümünden ({date}) bu yana değişiklikler",
            "{version} versiyasından ({date}) bəri dəyişikliklər",
        ],
    ),
    (
        "Changes since {date}",
        [
            "Modifications depuis le {date}",
            "Änderungen seit {date}",
            "Изменения с {date}",
            "{date} tarihinden bu yana değişiklikler",
            "{date} tarixindən bəri dəyişikliklər",
        ],
    ),
    (
        "No changes.",
        [
            "Aucune modification.",
            "Keine Änderungen.",
            "Изменений нет.",
            "Değişiklik yok.",
            "Dəyişiklik yoxdur.",
        ],
    ),
    (
        "{old}, now {new}",
        [
            "{old}, désormais {new}",
            "{old}, jetzt {new}",
            "{old}, теперь {new}",
            "{old}, şimdi {new}",
            "{old}, indi {new}",
        ],
    ),
    ("Added", ["Ajouté", "Neu", "Добавлено", "Eklendi", "Əlavə edilib"]),
    ("Changed", ["Modifié", "Geändert", "Изменено", "Değiştirildi", "Dəyişdirilib"]),
    ("Removed", ["Supprimé", "Entfernt", "Удалено", "Kaldırıldı", "Çıxarılıb"]),
    ("Title", ["Titre", "Titel", "Заголовок", "Başlık", "Başlıq"]),
    ("Subtitle", ["Sous-titre", "Untertitel", "Подзаголовок", "Alt başlık", "Alt başlıq"]),
    ("Reference", ["Référence", "Aktenzeichen", "Номер", "Referans", "İstinad"]),
    (
        "Classification",
        ["Classification", "Einstufung", "Гриф", "Gizlilik derecesi", "Məxfilik dərəcəsi"],
    ),
    (
        "Handling",
        [
            "Consignes de diffusion",
            "Handhabung",
            "Порядок обращения",
            "Kullanım kısıtı",
            "İstifadə qaydası",
        ],
    ),
    ("Version", ["Version", "Version", "Версия", "Sürüm", "Versiya"]),
    ("Template", ["Modèle", "Vorlage", "Шаблон", "Şablon", "Şablon"]),
    ("Language", ["Langue", "Sprache", "Язык", "Dil", "Dil"]),
    ("Time", ["Heure", "Uhrzeit", "Время", "Saat", "Vaxt"]),
    ("Facts", ["Chiffres clés", "Eckdaten", "Ключевые цифры", "Temel veriler", "Əsas rəqəmlər"]),
    ("Figures", ["Graphiques", "Grafiken", "Диаграммы", "Grafikler", "Qrafiklər"]),
    ("Sections", ["Sections", "Abschnitte", "Разделы", "Bölümler", "Bölmələr"]),
    ("Distribution", ["Liste de diffusion", "Verteiler", "Рассылка", "Dağıtım", "Paylanma"]),
];

/// The wording `key` in the language; `None` when there is no such label.
pub fn label(key: &str, tag: &str) -> Option<&'static str> {
    let (en, others) = LABELS.iter().find(|(k, _)| *k == key)?;
    let i = ["fr", "de", "ru", "tr", "az"].iter().position(|l| *l == primary(tag));
    Some(i.map_or(*en, |i| others[i]))
}

fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or("en")
}

/// Every label key, for error messages.
pub fn label_keys() -> impl Iterator<Item = &'static str> {
    LABELS.iter().map(|(k, _)| *k)
}

#[cfg(test)]
mod label_tests {
    use super::*;

    #[test]
    fn labels_follow_the_language_and_fall_back_to_english() {
        assert_eq!(label("Agenda", "de"), Some("Tagesordnung"));
        assert_eq!(label("Agenda", "en-GB"), Some("Agenda"));
        assert_eq!(label("Agenda", "pt"), Some("Agenda"));
        assert_eq!(label("DRAFT", "tr"), Some("TASLAK"));
        assert_eq!(label("nope", "de"), None);
    }
}
