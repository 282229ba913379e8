using System.Globalization;
using Microsoft.Extensions.Options;

namespace TicketHub.Portal.Display;

/// <summary>Dates, ages and sizes as a French reader expects them, in the département's time zone.</summary>
public sealed class FrenchFormat(IOptions<PortalOptions> options, TimeProvider clock)
{
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private readonly TimeZoneInfo _zone = TryFindTimeZone(options.Value.TimeZone) ?? TimeZoneInfo.Utc;

    public static TimeZoneInfo? TryFindTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>« 12/03/2026 à 14:05 ».</summary>
    public string DateTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, _zone).ToString("dd/MM/yyyy 'à' HH:mm", French);

    /// <summary>« 07/12/2026 »; « — » when unknown.</summary>
    public static string Date(DateOnly? day) => day?.ToString("dd/MM/yyyy", French) ?? "—";

    /// <summary>« 07/12/2026 », the day of <paramref name="at"/> in the département.</summary>
    public string Date(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, _zone).ToString("dd/MM/yyyy", French);

    /// <summary>Today, in the département.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), _zone).DateTime);

    /// <summary>Machine-readable value of a &lt;time&gt; element.</summary>
    public static string IsoDateTime(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>How long ago: « 3 j », « 5 h », « 12 min ».</summary>
    public string Age(DateTimeOffset since)
    {
        var age = clock.GetUtcNow() - since;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalDays >= 1 ? $"{(int)age.TotalDays} j"
            : age.TotalHours >= 1 ? $"{(int)age.TotalHours} h"
            : $"{(int)age.TotalMinutes} min";
    }

    /// <summary>The same age in words, for screen readers: « 3 jours ».</summary>
    public string AgeInWords(DateTimeOffset since)
    {
        var age = clock.GetUtcNow() - since;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        static string Plural(int n, string one) => n > 1 ? $"{n} {one}s" : $"{n} {one}";
        return age.TotalDays >= 1 ? Plural((int)age.TotalDays, "jour")
            : age.TotalHours >= 1 ? Plural((int)age.TotalHours, "heure")
            : Plural((int)age.TotalMinutes, "minute");
    }

    /// <summary>« 1,2 Mo », « 340 Ko ».</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(French, $"{bytes / (1024.0 * 1024.0):0.#} Mo"),
        >= 1024 => string.Create(French, $"{bytes / 1024.0:0} Ko"),
        _ => $"{bytes} octets",
    };
}
