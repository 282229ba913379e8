using TicketHub.Connectors.Glpi.Sync;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>Where the search for changed tickets starts, in GLPI's own local time.</summary>
public sealed class GlpiCursorTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Test]
    public void Starts_a_little_before_the_oldest_followed_ticket_when_there_is_no_cursor_yet()
    {
        var created = new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);

        Assert.That(GlpiCursor.Start(null, created, Paris), Is.EqualTo("2026-07-01 09:55:00"), "10:00 in Paris in summer, less 5 minutes");
    }

    [Test]
    public void Keeps_the_stored_cursor_unless_it_is_older_than_anything_followed()
    {
        var created = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

        Assert.That(GlpiCursor.Start("2026-11-21 08:00:00", created, Paris), Is.EqualTo("2026-11-21 08:00:00"));
        Assert.That(GlpiCursor.Start("2025-01-01 00:00:00", created, Paris), Is.EqualTo("2026-11-20 09:55:00"));
    }

    [Test]
    public void Searches_from_one_second_before_the_cursor_because_GLPI_s_morethan_is_strict() =>
        Assert.That(GlpiCursor.SearchFrom("2026-11-20 10:00:00", Paris), Is.EqualTo("2026-11-20 09:59:59"));

    [Test]
    public void Searches_an_hour_further_back_in_the_hour_that_repeats_when_summer_time_ends() =>
        Assert.That(GlpiCursor.SearchFrom("2026-10-25 02:40:00", Paris), Is.EqualTo("2026-10-25 01:39:59"),
            "at 02:40 (summer time) GLPI may still write 02:10 (winter time) for a later change");

    [Test]
    public void Moves_past_the_newest_row_once_its_second_is_older_than_the_overlap_by_GLPI_s_clock()
    {
        var glpiNow = new DateTimeOffset(2026, 11, 20, 9, 10, 0, TimeSpan.Zero);

        Assert.That(GlpiCursor.Next("2026-11-20 09:00:00", "2026-11-20 10:05:00", glpiNow, TimeSpan.FromSeconds(30), Paris), Is.EqualTo("2026-11-20 10:05:01"));
    }

    [Test]
    public void Reads_the_last_seconds_again_while_a_long_GLPI_request_may_still_write_them()
    {
        var glpiNow = new DateTimeOffset(2026, 11, 20, 9, 10, 0, TimeSpan.Zero);

        Assert.That(GlpiCursor.Next("2026-11-20 09:00:00", "2026-11-20 10:09:50", glpiNow, TimeSpan.FromSeconds(30), Paris), Is.EqualTo("2026-11-20 10:09:30"));
    }

    [Test]
    public void Stays_when_nothing_was_read_and_never_goes_back()
    {
        var glpiNow = new DateTimeOffset(2026, 11, 20, 9, 10, 0, TimeSpan.Zero);

        Assert.That(GlpiCursor.Next("2026-11-20 10:00:00", null, glpiNow, TimeSpan.FromSeconds(30), Paris), Is.EqualTo("2026-11-20 10:00:00"));
        Assert.That(GlpiCursor.Next("2026-11-20 10:09:45", "2026-11-20 10:09:40", glpiNow, TimeSpan.FromSeconds(30), Paris), Is.EqualTo("2026-11-20 10:09:45"));
    }

    [Test]
    public void Never_leaps_past_rows_not_yet_read_when_GLPI_s_clock_or_time_zone_is_wrong()
    {
        var anHourAhead = new DateTimeOffset(2026, 11, 20, 10, 10, 0, TimeSpan.Zero);

        Assert.That(GlpiCursor.Next("2026-11-20 09:00:00", "2026-11-20 10:05:00", anHourAhead, TimeSpan.FromSeconds(30), Paris), Is.EqualTo("2026-11-20 10:05:01"));
    }
}
