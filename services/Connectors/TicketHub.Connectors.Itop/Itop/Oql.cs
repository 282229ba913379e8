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
    /// Requests whose description contains <paramref name="marker"/>. A LIKE: the caller checks the
    /// match itself (<c>_</c> is a wildcard too).
    /// </summary>
    public static string DescriptionContains(string marker) =>
        $"SELECT UserRequest WHERE description LIKE {Quote("%" + marker + "%")}";

    /// <summary>The Attachments of UserRequest <paramref name="requestId"/>.</summary>
    public static string AttachmentsOf(int requestId) =>
        string.Create(CultureInfo.InvariantCulture, $"SELECT Attachment WHERE item_class = 'UserRequest' AND item_id = {requestId}");

    /// <summary>
    /// Requests among <paramref name="ids"/> changed at or after <paramref name="since"/> (iTop's
    /// local time), or all of them when <paramref name="since"/> is null.
    /// </summary>
    public static string AmongChangedSince(IEnumerable<int> ids, string? since)
    {
        var oql = new StringBuilder("SELECT UserRequest WHERE id IN (")
            .AppendJoin(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)))
            .Append(')');
        if (since is not null)
        {
            oql.Append(" AND last_update >= ").Append(Quote(since));
        }

        return oql.ToString();
    }
}
