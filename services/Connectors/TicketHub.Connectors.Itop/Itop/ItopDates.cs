using System.Globalization;
using Microsoft.Extensions.Options;

namespace TicketHub.Connectors.Itop.Itop;

/// <summary>
/// iTop writes and compares dates as <c>yyyy-MM-dd HH:mm:ss</c> in its configured time zone
/// (Europe/Paris by default), not in UTC. The hub keeps instants; this is where they meet.
/// </summary>
internal sealed class ItopDates(TimeZoneInfo zone)
{
    public const string Format = "yyyy-MM-dd HH:mm:ss";

    public ItopDates(IOptions<ItopOptions> options)
        : this(options.Value.FindTimeZone())
    {
    }

    public string ToItop(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>
    /// The instant of a local iTop date. In the hour repeated when the clocks go back, iTop's text
    /// is ambiguous: it is read as the later (winter) instant.
    /// </summary>
    public bool TryFromItop(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (!DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        instant = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        return true;
    }

    /// <summary>
    /// The lower bound of a "changed since <paramref name="since"/>" query, in iTop's local time.
    /// When the clocks went back between <paramref name="since"/> and <paramref name="now"/>, local
    /// times repeat: the bound moves back by the difference so that the repeated hour is searched too.
    /// </summary>
    public string LowerBound(DateTimeOffset since, DateTimeOffset now)
    {
        var wentBack = zone.GetUtcOffset(since) - zone.GetUtcOffset(now);
        return ToItop(wentBack > TimeSpan.Zero ? since - wentBack : since);
    }
}
