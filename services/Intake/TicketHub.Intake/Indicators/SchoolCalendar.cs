using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace TicketHub.Intake.Indicators;

/// <summary>
/// Section <c>Indicators:SchoolCalendar</c>: when a collège is open for its maintenance, to count
/// delays in working time as well as calendar time: the school days of the week, the hours of a school
/// day, in the collèges' time zone, and the days off (school holidays as ranges, public holidays as days).
/// The Pôle TIE updates the holidays each school year.
/// </summary>
public sealed class SchoolCalendarOptions
{
    public const string SectionName = "Indicators:SchoolCalendar";

    [Required]
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>The school days of the week (English names: Monday…).</summary>
    public List<DayOfWeek> Days { get; set; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public TimeOnly DayStart { get; set; } = new(8, 0);

    public TimeOnly DayEnd { get; set; } = new(17, 0);

    /// <summary>Days off: <c>2026-10-17/2026-11-01</c> (both days included) or one day, <c>2026-11-11</c>.</summary>
    public List<string> DaysOff { get; set; } = [];
}

/// <summary>
/// Working time between two instants on the school calendar (<see cref="SchoolCalendarOptions"/>):
/// the hours of school days between them, holidays and weekends not counted. An instant outside the
/// school hours counts from the next opening (a ticket sent on Saturday starts on Monday at 8:00).
/// </summary>
public sealed class SchoolCalendar
{
    private readonly TimeZoneInfo _zone;
    private readonly HashSet<DayOfWeek> _days;
    private readonly HashSet<DateOnly> _off = [];
    private readonly TimeSpan _start;
    private readonly TimeSpan _end;

    public SchoolCalendar(IOptions<SchoolCalendarOptions> options)
    {
        var value = options.Value;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(value.TimeZone);
        _days = [.. value.Days];
        _start = value.DayStart.ToTimeSpan();
        _end = value.DayEnd.ToTimeSpan();
        if (_end <= _start)
        {
            throw new OptionsValidationException(SchoolCalendarOptions.SectionName, typeof(SchoolCalendarOptions),
                ["Indicators:SchoolCalendar:DayEnd must come after DayStart."]);
        }

        foreach (var entry in value.DaysOff)
        {
            var parts = entry.Split('/', 2, StringSplitOptions.TrimEntries);
            if (!DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
                || !DateOnly.TryParseExact(parts.Length == 2 ? parts[1] : parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last)
                || last < first)
            {
                throw new OptionsValidationException(SchoolCalendarOptions.SectionName, typeof(SchoolCalendarOptions),
                    [$"Indicators:SchoolCalendar:DaysOff: « {entry} » is neither a day (2026-11-11) nor a range of days (2026-10-17/2026-11-01)."]);
            }

            for (var day = first; day <= last; day = day.AddDays(1))
            {
                _off.Add(day);
            }
        }
    }

    /// <summary>The day <paramref name="instant"/> falls on in the collèges' time zone.</summary>
    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    /// <summary>The instant <paramref name="day"/> starts in the collèges' time zone.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, _zone.GetUtcOffset(midnight));
    }

    /// <summary>Whether <paramref name="day"/> (a date in the collèges' time zone) is a school day.</summary>
    public bool IsSchoolDay(DateOnly day) => _days.Contains(day.DayOfWeek) && !_off.Contains(day);

    /// <summary>The school hours between <paramref name="from"/> and <paramref name="to"/>; zero when <paramref name="to"/> is not later.</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, WorkedUntil(to) - WorkedUntil(from)));

    // The school time before each day, from FirstDay on: Between is two look-ups, whatever the span
    // (a year of a département's tickets is half a million delays).
    private static readonly DateOnly FirstDay = new(2000, 1, 1);
    private readonly List<long> _before = [0];

    /// <summary>The school time, in ticks, from <see cref="FirstDay"/> to <paramref name="instant"/>.</summary>
    private long WorkedUntil(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, _zone).DateTime;
        var day = DateOnly.FromDateTime(local);
        if (day < FirstDay)
        {
            return 0;
        }

        var index = day.DayNumber - FirstDay.DayNumber;
        long before;
        lock (_before)
        {
            while (_before.Count <= index)
            {
                var previous = FirstDay.AddDays(_before.Count - 1);
                _before.Add(_before[^1] + (IsSchoolDay(previous) ? (_end - _start).Ticks : 0));
            }

            before = _before[index];
        }

        if (!IsSchoolDay(day))
        {
            return before;
        }

        var time = local.TimeOfDay;
        return before + (time <= _start ? 0 : (time >= _end ? _end - _start : time - _start).Ticks);
    }
}
