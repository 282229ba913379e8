using TicketHub.Intake.Tickets;

namespace TicketHub.Intake.Tests;

public class TicketReferenceTests
{
    [Test]
    public void Formats_references_with_year_and_six_digits() =>
        Assert.That(TicketReference.Format(2026, 123), Is.EqualTo("TH-2026-000123"));

    [Test]
    public void Counts_the_year_in_Paris_time() =>
        Assert.That(TicketReference.YearOf(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero)), Is.EqualTo(2027));

    [Test]
    public void Recognises_a_reference_but_not_an_arbitrary_string()
    {
        Assert.That(TicketReference.LooksLikeReference("TH-2026-000123"), Is.True);
        Assert.That(TicketReference.LooksLikeReference("nope"), Is.False);
    }
}
