using System.Globalization;

namespace TicketHub.Intake.Tickets;

/// <summary>Hub references: <c>TH-2026-000123</c>, numbered from 1 each calendar year (Paris time).</summary>
public static class TicketReference
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static int YearOf(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris).Year;

    public static string Format(int year, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"TH-{year}-{number:000000}");

    public static bool LooksLikeReference(string value) =>
        value.StartsWith("TH-", StringComparison.Ordinal) && value.Length is >= 14 and <= 20;
}
