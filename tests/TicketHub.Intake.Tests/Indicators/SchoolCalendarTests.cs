using Microsoft.Extensions.Options;
using TicketHub.Intake.Indicators;

namespace TicketHub.Intake.Tests.Indicators;

/// <summary>Working time on the school calendar: school days from 8:00 to 17:00, Paris time, holidays off.</summary>
public sealed class SchoolCalendarTests
{
    internal static SchoolCalendar Calendar { get; } = new(Options.Create(new SchoolCalendarOptions
    {
        DaysOff = ["2026-10-17/2026-11-01", "2026-11-11"],
    }));

    private static DateTimeOffset Paris(int month, int day, int hour, int minute = 0) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(month is >= 4 and <= 10 && !(month == 10 && day >= 25) ? 2 : 1));

    [Test]
    public void Within_one_school_day_working_time_is_the_clock_time()
    {
        Assert.That(Calendar.Between(Paris(11, 23, 9), Paris(11, 23, 11, 30)), Is.EqualTo(TimeSpan.FromHours(2.5)));
    }

    [Test]
    public void A_weekend_does_not_count_and_hours_outside_the_day_count_from_the_next_opening()
    {
        // Friday 16:00 → Monday 9:00: one hour on Friday, one on Monday.
        Assert.That(Calendar.Between(Paris(11, 20, 16), Paris(11, 23, 9)), Is.EqualTo(TimeSpan.FromHours(2)));
        // Saturday evening → Monday 8:30: half an hour.
        Assert.That(Calendar.Between(Paris(11, 21, 20), Paris(11, 23, 8, 30)), Is.EqualTo(TimeSpan.FromMinutes(30)));
    }

    [Test]
    public void School_holidays_and_public_holidays_do_not_count()
    {
        // Friday 16 October 16:00, the last day before the autumn holidays → Monday 2 November 9:00.
        Assert.That(Calendar.Between(Paris(10, 16, 16), Paris(11, 2, 9)), Is.EqualTo(TimeSpan.FromHours(2)));
        // Tuesday 10 November 16:00 → Thursday 12 November 9:00, over the 11th.
        Assert.That(Calendar.Between(Paris(11, 10, 16), Paris(11, 12, 9)), Is.EqualTo(TimeSpan.FromHours(2)));
    }

    [Test]
    public void A_day_off_that_is_neither_a_day_nor_a_range_stops_the_start()
    {
        Assert.That(() => new SchoolCalendar(Options.Create(new SchoolCalendarOptions { DaysOff = ["2026-11-31"] })),
            Throws.TypeOf<OptionsValidationException>().With.Message.Contains("2026-11-31"));
    }
}
