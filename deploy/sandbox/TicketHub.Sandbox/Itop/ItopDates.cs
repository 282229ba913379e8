using System.Globalization;
using Microsoft.Extensions.Options;

namespace TicketHub.Sandbox.Itop;

/// <summary>iTop shows, stores and compares dates as <c>yyyy-MM-dd HH:mm:ss</c> in its server's time zone.</summary>
internal sealed class ItopDates(IOptions<ItopSandboxOptions> options)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public string Format(DateTimeOffset value) =>
        TimeZoneInfo.ConvertTime(value, _zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public string? Format(DateTimeOffset? value) => value is { } date ? Format(date) : null;

    /// <summary>Reads a date a client wrote in iTop's format and time zone.</summary>
    public bool TryRead(string? text, out DateTimeOffset value)
    {
        value = default;
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        value = new DateTimeOffset(local, _zone.GetUtcOffset(local));
        return true;
    }
}
