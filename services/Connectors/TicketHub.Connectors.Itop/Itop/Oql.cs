using System.Globalization;
using System.Text;

namespace TicketHub.Connectors.Itop.Itop;

/// <summary>The OQL queries the connector sends (<c>core/get</c> keys).</summary>
internal static class Oql
{
    /// <summary>A string literal: single quotes, with backslash and quote escaped.</summary>
    public static string Quote(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Tickets of any class (UserRequest, Incident…) started at or after <paramref name="since"/> whose
    /// description contains <paramref name="marker"/>: the class a ticket was created in is what the
    /// lookup must find out. A LIKE: the caller checks the match itself (<c>_</c> is a wildcard too).
    /// </summary>
    public static string DescriptionContainsSince(string marker, string since) =>
        $"SELECT {ItopClasses.Ticket} WHERE description LIKE {Quote("%" + marker + "%")} AND start_date >= {Date(since)}";

    /// <summary>The Attachments of <paramref name="ticket"/>.</summary>
    public static string AttachmentsOf(ItopTicketRef ticket) =>
        string.Create(CultureInfo.InvariantCulture, $"SELECT Attachment WHERE item_class = {Quote(ticket.Class)} AND item_id = {ticket.Key}");

    /// <summary>
    /// Tickets of <paramref name="className"/> among <paramref name="ids"/> changed at or after
    /// <paramref name="since"/>, or all of them when <paramref name="since"/> is null. iTop does not
    /// check a date literal (<c>'garbage'</c> matches everything): <paramref name="since"/> must be
    /// <see cref="ItopDates.Format"/> in iTop's time zone, which <see cref="ItopDates"/> writes.
    /// </summary>
    public static string AmongChangedSince(string className, IEnumerable<int> ids, string? since)
    {
        var oql = new StringBuilder("SELECT ").Append(className).Append(" WHERE id IN (")
            .AppendJoin(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)))
            .Append(')');
        if (since is not null)
        {
            oql.Append(" AND last_update >= ").Append(Date(since));
        }

        return oql.ToString();
    }

    /// <summary>
    /// A date literal, <see cref="ItopDates.Format"/> in iTop's time zone. iTop does not check date
    /// literals ('garbage' matches every ticket): anything else is refused here.
    /// </summary>
    private static string Date(string value) =>
        DateTime.TryParseExact(value, ItopDates.Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? Quote(value)
            : throw new ArgumentException($"'{value}' is not an iTop date ({ItopDates.Format}); iTop would match every ticket.", nameof(value));
}
