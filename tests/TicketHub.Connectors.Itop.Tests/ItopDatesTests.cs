using TicketHub.Connectors.Itop.Itop;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>iTop's dates are local (Europe/Paris here), to the second; the hub's are instants.</summary>
public sealed class ItopDatesTests
{
    private static readonly ItopDates Paris = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));

    [Test]
    public void Writes_an_instant_in_Paris_time_winter_and_summer()
    {
        Assert.That(Paris.ToItop(new DateTimeOffset(2024, 11, 20, 9, 0, 0, TimeSpan.Zero)), Is.EqualTo("2024-11-20 10:00:00"));
        Assert.That(Paris.ToItop(new DateTimeOffset(2024, 6, 20, 9, 0, 0, TimeSpan.Zero)), Is.EqualTo("2024-06-20 11:00:00"));
    }

    [Test]
    public void Reads_Paris_time_back_as_the_instant()
    {
        Assert.That(Paris.TryFromItop("2024-11-20 10:00:00", out var winter), Is.True);
        Assert.That(Paris.TryFromItop("2024-06-20 11:00:00", out var summer), Is.True);

        Assert.That(winter, Is.EqualTo(new DateTimeOffset(2024, 11, 20, 9, 0, 0, TimeSpan.Zero)));
        Assert.That(summer, Is.EqualTo(new DateTimeOffset(2024, 6, 20, 9, 0, 0, TimeSpan.Zero)));
        Assert.That(Paris.TryFromItop("20/11/2024 10:00", out _), Is.False);
        Assert.That(Paris.TryFromItop(null, out _), Is.False);
    }

    [Test]
    public void Searches_the_repeated_hour_again_when_the_clocks_went_back_since_the_cursor()
    {
        // 27 October 2024: at 03:00 summer time (01:00 UTC) Paris goes back to 02:00.
        var cursor = new DateTimeOffset(2024, 10, 27, 0, 40, 0, TimeSpan.Zero); // 02:40 summer time
        var now = new DateTimeOffset(2024, 10, 27, 1, 10, 0, TimeSpan.Zero); // 02:10 winter time

        Assert.That(Paris.LowerBound(cursor, now), Is.EqualTo("2024-10-27 01:40:00"),
            "a change at 02:05 winter time must not be missed by 'last_update >= 02:40'");
        Assert.That(Paris.LowerBound(cursor, cursor.AddMinutes(5)), Is.EqualTo("2024-10-27 02:40:00"), "no change of offset: the cursor itself");
        Assert.That(Paris.LowerBound(new DateTimeOffset(2024, 3, 31, 0, 30, 0, TimeSpan.Zero), new DateTimeOffset(2024, 3, 31, 1, 30, 0, TimeSpan.Zero)),
            Is.EqualTo("2024-03-31 01:30:00"), "clocks going forward skip an hour: nothing to search again");
    }

    [Test]
    public void Quotes_OQL_strings()
    {
        Assert.That(Oql.Quote("l'école \\ 1"), Is.EqualTo("'l\\'école \\\\ 1'"));
        Assert.That(Oql.DescriptionContainsSince("[TH-2026-000042]", "2024-11-20 09:15:00"),
            Is.EqualTo("SELECT Ticket WHERE description LIKE '%[TH-2026-000042]%' AND start_date >= '2024-11-20 09:15:00'"));
    }

    [Test]
    public void Asks_for_changes_among_the_followed_tickets_of_one_class()
    {
        Assert.That(Oql.AmongChangedSince("UserRequest", [12, 15, 301], "2024-11-20 10:59:50"),
            Is.EqualTo("SELECT UserRequest WHERE id IN (12, 15, 301) AND last_update >= '2024-11-20 10:59:50'"));
        Assert.That(Oql.AmongChangedSince("Incident", [12], null), Is.EqualTo("SELECT Incident WHERE id IN (12)"));
    }

    [TestCase("2024-11-20T10:59:50Z")]
    [TestCase("20/11/2024 10:59:50")]
    [TestCase("garbage")]
    public void Never_sends_a_date_iTop_would_not_understand_since_it_would_match_every_ticket(string since)
    {
        Assert.Throws<ArgumentException>(() => Oql.AmongChangedSince("Incident", [12], since));
        Assert.Throws<ArgumentException>(() => Oql.DescriptionContainsSince("[TH-2026-000042]", since));
    }
}
