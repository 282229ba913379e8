using TicketHub.Intake.Tickets;

namespace TicketHub.Intake.Tests;

public class TicketStatusTests
{
    [TestCase("received", "routed", ExpectedResult = true)]
    [TestCase("received", "triage", ExpectedResult = true)]
    [TestCase("received", "forwarded", ExpectedResult = true)]
    [TestCase("routed", "forwarded", ExpectedResult = true)]
    [TestCase("routed", "failed", ExpectedResult = true)]
    [TestCase("failed", "forwarded", ExpectedResult = true)]
    [TestCase("forwarded", "resolved", ExpectedResult = true)]
    [TestCase("forwarded", "routed", ExpectedResult = false)]
    [TestCase("forwarded", "failed", ExpectedResult = false)]
    [TestCase("resolved", "in-progress", ExpectedResult = false)]
    [TestCase("closed", "resolved", ExpectedResult = false)]
    [TestCase("routed", "received", ExpectedResult = false)]
    [TestCase("routed", "routed", ExpectedResult = false)]
    [TestCase("routed", "nonsense", ExpectedResult = false)]
    public bool A_ticket_only_moves_forward(string from, string to) => TicketStatus.CanMove(from, to);
}
