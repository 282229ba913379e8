using System.Text.RegularExpressions;

namespace TicketHub.Contracts;

/// <summary>
/// The formats every part of the hub checks the same way: intake's API, the portal's form, the
/// registry and the gateway's accounts. One definition, so that the portal never accepts what
/// intake refuses, and the other way round.
/// </summary>
public static partial class FieldFormats
{
    /// <summary>Longest title (one line).</summary>
    public const int TitleMaxLength = 200;

    /// <summary>Longest description.</summary>
    public const int DescriptionMaxLength = 10_000;

    /// <summary>Longest short text: a name, a place, an equipment.</summary>
    public const int ShortTextMaxLength = 200;

    /// <summary>How a wrong UAI is explained to a person.</summary>
    public const string UaiRule = "7 chiffres suivis d'une lettre majuscule (ex. 0931234X)";

    /// <summary>A UAI: seven ASCII digits then an upper-case letter.</summary>
    public static bool IsUai(string? value) => value is not null && UaiPattern().IsMatch(value);

    /// <summary>An e-mail address as far as a form can tell: something@domain.tld, no spaces.</summary>
    public static bool IsEmail(string? value) => value is not null && EmailPattern().IsMatch(value);

    /// <summary>A telephone number: 4 to 30 digits, spaces, dots, dashes, brackets or a leading +.</summary>
    public static bool IsPhone(string? value) => value is not null && PhonePattern().IsMatch(value);

    // [0-9], not \d, which also matches Arabic-Indic and other Unicode digits; \z, not $, which
    // accepts a final line feed.
    [GeneratedRegex(@"^[0-9]{7}[A-Z]\z", RegexOptions.CultureInvariant)]
    private static partial Regex UaiPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[0-9+(). \-]{4,30}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
