using System.Globalization;
using Microsoft.Extensions.Options;

namespace TicketHub.Sandbox.Glpi;

/// <summary>GLPI shows and compares dates as <c>yyyy-MM-dd HH:mm:ss</c> in its server's time zone.</summary>
internal sealed class GlpiDates(IOptions<GlpiSandboxOptions> options)
{
    /// <summary>
    /// What MySQL takes for a date in GLPI's search: its own text, and ISO text whose trailing "Z" it
    /// ignores, read as local time all the same (an hour or two off for a client that meant UTC).
    /// </summary>
    private static readonly string[] Formats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'"];

    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public string Format(DateTimeOffset value) =>
        TimeZoneInfo.ConvertTime(value, _zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public string? Format(DateTimeOffset? value) => value is { } date ? Format(date) : null;

    public bool TryParseDate(string? text, out DateTimeOffset value)
    {
        value = default;
        if (!DateTime.TryParseExact(text?.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        value = new DateTimeOffset(local, _zone.GetUtcOffset(local));
        return true;
    }
}
