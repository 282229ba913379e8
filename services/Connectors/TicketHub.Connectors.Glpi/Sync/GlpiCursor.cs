using System.Globalization;
using TicketHub.Connectors.Glpi.Glpi;

namespace TicketHub.Connectors.Glpi.Sync;

/// <summary>
/// The search cursor: a date_mod as GLPI writes it (<c>yyyy-MM-dd HH:mm:ss</c>, its local time),
/// kept as GLPI's own text because GLPI compares it as such. Each search reads the tickets whose
/// date_mod is at or after the cursor. Rows are read again as long as they are that recent; the
/// sync recognises them by the state it stored for each ticket (status, follow-up count, date_mod,
/// last ids), never by their date, so re-reading one reports nothing twice.
/// </summary>
internal static class GlpiCursor
{
    private const string Format = "yyyy-MM-dd HH:mm:ss";

    /// <summary>
    /// How far the connector's clock may run ahead of GLPI's: the search for a ticket the hub just
    /// created starts this long before the hub recorded it.
    /// </summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The cursor to search from: the stored one, but never before the oldest ticket still followed
    /// was created (less the clock allowance). A first start has no cursor; after a long time with
    /// nothing to follow, the stored cursor is old: neither reads changes that cannot concern the hub.
    /// </summary>
    public static string Start(string? stored, DateTimeOffset oldestFollowedCreatedAt, TimeZoneInfo glpiTimeZone) =>
        Later(stored, GlpiApiExtensions.ToGlpiDate(oldestFollowedCreatedAt - ClockSkewAllowance, glpiTimeZone));

    /// <summary>
    /// The value for GLPI's <c>morethan</c> criterion, which is strict: one second before the cursor,
    /// so that date_mod equal to the cursor is read. In the hour that repeats when summer time ends,
    /// a later change can carry an earlier local time than the cursor: the search then starts an
    /// hour (the zone's shift) earlier still.
    /// </summary>
    public static string SearchFrom(string cursor, TimeZoneInfo glpiTimeZone)
    {
        var local = Parse(cursor);
        var back = TimeSpan.FromSeconds(1);
        if (glpiTimeZone.IsAmbiguousTime(local))
        {
            var offsets = glpiTimeZone.GetAmbiguousTimeOffsets(local);
            back += offsets.Max() - offsets.Min();
        }

        return Text(local - back);
    }

    /// <summary>
    /// The cursor after a complete poll that read rows up to <paramref name="newest"/> while GLPI's
    /// clock said <paramref name="glpiNow"/>. Several changes can share one second, and GLPI stamps
    /// date_mod with the time its request <em>started</em>, so a long request (a mass action) can
    /// still write a date_mod older than changes already read. A second is therefore settled only
    /// once it is older than <paramref name="overlap"/> by GLPI's clock: the cursor moves to the
    /// second after the newest row read, but not past <c>glpiNow − overlap</c>, and rows since then
    /// are read again. When nothing was read, the cursor stays: an empty search costs the same.
    /// Bounded by the newest row read, a wrong clock or time zone costs the overlap, never a leap
    /// over changes not yet read.
    /// </summary>
    public static string Next(string cursor, string? newest, DateTimeOffset glpiNow, TimeSpan overlap, TimeZoneInfo glpiTimeZone)
    {
        if (newest is null)
        {
            return cursor;
        }

        var afterNewest = Text(Parse(newest).AddSeconds(1));
        var settled = GlpiApiExtensions.ToGlpiDate(glpiNow - overlap, glpiTimeZone);
        return Later(cursor, string.CompareOrdinal(afterNewest, settled) < 0 ? afterNewest : settled);
    }

    public static string Later(string? a, string b) => a is not null && string.CompareOrdinal(a, b) > 0 ? a : b;

    private static DateTime Parse(string glpiDate) => DateTime.ParseExact(glpiDate, Format, CultureInfo.InvariantCulture);

    private static string Text(DateTime local) => local.ToString(Format, CultureInfo.InvariantCulture);
}
