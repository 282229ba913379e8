using System.Text;

namespace TicketHub.Testing.Hostile;

/// <summary>Strings a hostile or careless client sends, by what a free-text field must do with them.</summary>
public static class HostileText
{
    /// <summary>
    /// Accepted in any free-text field and returned exactly as sent (after trimming): markup,
    /// injection attempts, right-to-left and zero-width characters, emoji, combining marks.
    /// Escaping belongs to whoever renders them.
    /// </summary>
    public static readonly IReadOnlyList<string> Valid =
    [
        "<script>alert('xss')</script>",
        "\"><img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(document.cookie)\">clic</a>",
        "' OR 1=1 --",
        "'; DROP TABLE tickets; --",
        "1; DELETE FROM colleges WHERE 1=1; --",
        "\" OR \"\"=\"",
        "Robert'); DROP TABLE students;--",
        "' UNION SELECT name, sql FROM sqlite_master --",
        "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}",
        "%s%s%s%n {0} {1:D} %00",
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\u200F\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627 \u200E(ltr)",
        "a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf",
        "😀 👩‍👩‍👧‍👦 🇫🇷 🏳️‍🌈",
        "e\u0301\u0301\u0301 Z\u0334\u0321\u031Ba\u0337l\u0336g\u0335o\u0338",
        "𝕳𝖊𝖑𝖑𝖔 𝟙𝟚𝟛",
        "NULL",
        "null",
        "undefined",
        "true",
        "-1",
        "NaN",
        "<!-- ]]> <![CDATA[ x ]]>",
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
        "\\u0000 \\n \\\" (des barres obliques, pas des caractères de contrôle)",
        "  espaces autour  ",
        "\u00A0insécable\u00A0",
        "日本語のテキスト 中文 한국어",
        "ǅ ß İ ı ﬁ",
        "\uFFFD remplacement \uFFFF",
        "Collège Jean-Moulin — salle 12 « B »",
        "$where: function() { return true; }",
        "__proto__",
        "\u3000pleine chasse\u3000",
    ];

    /// <summary>Tabs and line breaks: text in a multi-line field, refused in a single-line one.</summary>
    public static readonly IReadOnlyList<string> MultiLine =
    [
        "Ligne 1\nLigne 2",
        "a\r\nb\r\n\r\nc",
        "col1\tcol2",
        "fin\n\n\n<script>\nalert(1)\n</script>",
    ];

    /// <summary>Control characters other than tab and line breaks, inside the text (ends are trimmed).</summary>
    public static readonly IReadOnlyList<string> Controls =
    [
        "a\0b",
        "\u001B[31mrouge\u001B[0m",
        "son\u0007cloche",
        "a\u0085b",
        "del\u007Fete",
        "c1\u009Bcsi",
        "x\b\f\vy",
        "retour\u0008arriere",
    ];

    /// <summary>
    /// Explicit bidirectional overrides, embeddings and isolates (« Trojan Source »): intake refuses them
    /// in a ticket's text and in comments; the marks U+200E/U+200F (in <see cref="Valid"/>) stay allowed.
    /// </summary>
    public static readonly IReadOnlyList<string> BidiControls =
    [
        "\u202Egnp.exe\u202C facture",
        "a\u202Ab",
        "a\u202Bb",
        "a\u202Db\u202C",
        "\u2066isolé\u2069",
        "\u2067rtl\u2069",
        "\u2068premier\u2069",
    ];

    /// <summary>JSON escapes of lone UTF-16 surrogates: valid JSON, but not Unicode text.</summary>
    public static readonly IReadOnlyList<string> LoneSurrogateEscapes = ["\\ud800", "a\\udc00b", "\\udbff\\udbff", "x\\ud83d"];

    /// <summary>Byte sequences that are not UTF-8.</summary>
    public static readonly IReadOnlyList<byte[]> InvalidUtf8 =
    [
        [0xFF],
        [0xFE, 0xFF],
        [0xC3, 0x28],
        [0xC0, 0xAF],
        [0xE0, 0x80, 0xAF],
        [0xED, 0xA0, 0x80],
        [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0x80],
        [0xE2, 0x82],
        [0xF4, 0x90, 0x80, 0x80],
    ];

    /// <summary>Query-string values for a number, a name or a cursor (already percent-encoded).</summary>
    public static readonly IReadOnlyList<string> QueryValues =
    [
        "abc", "-1", "0", "501", "2147483648", "99999999999999999999999", "1e3", "0x10", "%205", "5%20", "", "5.0", "1,5",
        "%D9%A1%D9%A2", "%00", "%FF", "%C0%AF", "null", "%27%20OR%201%3D1%20--", "%3Cscript%3E", "true", "%E2%80%AE5",
        "%F0%9F%98%80", "%0D%0ASet-Cookie:%20x=1", "all", "pending", "acknowledged", "pass", "omere", "PASS",
    ];

    /// <summary>Path segments that are not an id (already percent-encoded), the empty one included.</summary>
    public static readonly IReadOnlyList<string> PathSegments =
    [
        "abc", "0", "-1", "null", "undefined", "00000000-0000-0000-0000-000000000000", "%7B00000000-0000-0000-0000-000000000000%7D",
        "TH-", "TH-2026-", "TH-1999-000001", "TH-9999-999999", "TH-2026-00000%27--", "th-2026-000001", "%27%20OR%201%3D1%20--",
        "1%3B%20DROP%20TABLE%20tickets", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%FF%FE", "%C0%AF", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%5C..%5C", "%E2%80%AEdi", "%F0%9F%98%80", "%20", "%09", "%0D%0A", "%25", "%2F", "collège", "0931234x", "0931234X ",
        "0931234", "09312345X", "0931234XX", "%D9%A0%D9%A9%D9%A3%D9%A1%D9%A2%D9%A3%D9%A4X", "%EF%BC%90931234X",
    ];

    /// <summary>One valid hostile string: from the list, or a random mix of hostile fragments and code points.</summary>
    public static string AnyValid(Random random)
    {
        if (random.Next(3) > 0)
        {
            return Valid[random.Next(Valid.Count)];
        }

        var text = new StringBuilder();
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            text.Append(random.Next(2) == 0 ? Valid[random.Next(Valid.Count)] : RandomCodePoints(random, random.Next(1, 20)));
            text.Append(' ');
        }

        // At most 190 characters, never ending on half of a surrogate pair.
        var cut = text.Length > 190 ? text.ToString(0, 190) : text.ToString();
        return char.IsHighSurrogate(cut[^1]) ? cut[..^1] : cut;
    }

    /// <summary>Letters from several scripts, symbols and emoji; never a control character or a lone surrogate.</summary>
    public static string RandomCodePoints(Random random, int count)
    {
        (int From, int To)[] ranges =
        [
            (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x590, 0x5FF), (0x600, 0x6FF), (0x200B, 0x200F),
            (0x3040, 0x30FF), (0x4E00, 0x4FFF), (0xFE00, 0xFE0F), (0x1F300, 0x1F64F), (0x1D400, 0x1D4FF),
        ];
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var (from, to) = ranges[random.Next(ranges.Length)];
            text.Append(char.ConvertFromUtf32(random.Next(from, to + 1)));
        }

        return text.ToString();
    }

    /// <summary><paramref name="length"/> visible characters (nothing to trim).</summary>
    public static string Long(int length, Random random) =>
        string.Create(length, random.Next(26), (span, start) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + ((start + i) % 26));
            }
        });
}
