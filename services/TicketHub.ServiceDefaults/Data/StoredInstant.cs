using System.Data;
using System.Globalization;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// An instant as the databases keep it: text in SQLite (<see cref="Format"/>: UTC, round-trip, so
/// that text order is time order), <c>timestamptz</c> in PostgreSQL, <c>datetimeoffset</c> in SQL
/// Server. Dapper's handler (<see cref="DapperTypeHandlers"/>) and the stores that read rows by hand
/// read it here.
/// </summary>
public static class StoredInstant
{
    /// <summary>How an instant is written as SQLite text.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>A column's instant, in UTC; null for NULL.</summary>
    public static DateTimeOffset? Parse(object? value) => value switch
    {
        null or DBNull => null,
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        // The format written first (fast), then any other a row may hold (older rows, SQL literals).
        string s => DateTimeOffset.TryParseExact(s, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var stored)
            ? stored
            : DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new DataException($"Cannot read a date from a {value.GetType().Name}."),
    };
}
