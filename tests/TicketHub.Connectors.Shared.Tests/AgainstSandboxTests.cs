using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// The PASS connector in http mode against the sandbox's emulator of the contract: the emulator
/// refuses whatever the contract does not allow, so the two cannot drift apart unnoticed.
/// </summary>
public sealed class AgainstSandboxTests
{
    [Test]
    public async Task Creates_follows_and_comments_a_ticket_in_the_emulated_PASS()
    {
        await using var pass = new SandboxTool();
        await using var app = new ConnectorApp<Program>("Pass", SandboxTool.ConnectorSettings(), services: pass.Serve);
        var harness = app.Harness;
        var routed = TestTickets.Routed();

        await harness.Bus.Publish(routed);
        await Eventually.TrueAsync(() => harness.Published.Select<TicketForwarded>().Any(), "the ticket was created in PASS");
        var forwarded = harness.Published.Select<TicketForwarded>().Single().Context.Message;
        var ticket = (await pass.TicketsAsync()).Single();
        Assert.That(ticket.GetProperty("id").GetString(), Is.EqualTo(forwarded.ExternalId));
        Assert.That(ticket.GetProperty("received").GetProperty("reference").GetString(), Is.EqualTo(routed.Reference));
        Assert.That(forwarded.ExternalUrl, Does.EndWith($"/pass/tickets/{forwarded.ExternalId}"));

        await pass.StatusAsync(forwarded.ExternalId, "assigned");
        await pass.ReplyAsync(forwarded.ExternalId, "Nous regardons le serveur Pronote.");
        await pass.ReplyAsync(forwarded.ExternalId, "Note interne : voir avec l'éditeur.", isPublic: false);
        await Eventually.TrueAsync(() => harness.Published.Select<ExternalTicketUpdated>().Count() >= 2, "the status and the reply came back");
        await harness.Bus.Publish(TestTickets.Comment(routed, forwarded.ExternalId));
        await Eventually.TrueAsync(async () => (await pass.TicketsAsync()).Single().GetProperty("messages").GetArrayLength() == 3, "the comment reached PASS");
        await Task.Delay(TimeSpan.FromSeconds(1)); // a few more polls: the comment must not come back

        var updates = harness.Published.Select<ExternalTicketUpdated>().Select(m => m.Context.Message).ToList();
        Assert.That(updates.Select(u => (u.Status, u.ReplyText)), Is.EquivalentTo(new[]
        {
            ((string?)HubStatuses.InProgress, (string?)null),
            (null, "Nous regardons le serveur Pronote."),
        }), "one status, one public reply; neither the private note nor the collège's own comment");
    }
}
