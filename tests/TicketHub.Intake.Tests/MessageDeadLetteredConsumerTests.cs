using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary>Dead letters reported by the services: recorded once, and the ticket they name shown failed when it is not further along.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class MessageDeadLetteredConsumerTests(DatabaseProvider provider) : IntakeTest(provider)
{
    /// <summary>A dead letter reported by <paramref name="service"/>, as its redelivery filter announces it.</summary>
    internal static MessageDeadLettered Letter(Guid? ticketId = null, string? reference = null, string service = "connectors-glpi", DateTimeOffset? at = null)
    {
        var lastFailedAt = at ?? TicketScenarios.T0;
        return new MessageDeadLettered(Guid.NewGuid(), service, $"{service}-ticket-routed", Guid.NewGuid(), nameof(TicketRouted), ticketId, reference,
            "HttpRequestException: Response status code does not indicate success: 503 (Service Unavailable).", 20, lastFailedAt.AddMinutes(-21), lastFailedAt);
    }

    private const string ExpectedReason =
        "La transmission de la demande a échoué après plusieurs tentatives. L'équipe TicketHub en est avertie et la relancera.";

    private const string ExpectedDetail =
        "La transmission a échoué après plusieurs tentatives (connectors-glpi) : HttpRequestException: Response status code does not indicate success: 503 (Service Unavailable).";

    private static string Status(JsonObject ticket) => ticket["status"]!.GetValue<string>();

    private static string? FailureReason(JsonObject ticket) => ticket["failureReason"]?.GetValue<string>();

    [Test]
    public async Task The_same_dead_letter_reported_twice_is_one_row_and_one_failure()
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Glpi);
        var letter = Letter(id, reference);
        var messageId = Guid.NewGuid();

        await Tickets.DeliverAsync(letter, messageId);
        await Tickets.DeliverAsync(letter, messageId);
        await Tickets.DeliverAsync(letter);

        Assert.That(await Factory.CountAsync("reported_dead_letters"), Is.EqualTo(1));
        var history = (await Tickets.GetAsync(id))["history"]!.AsArray();
        Assert.That(history.Count(h => h!["status"]!.GetValue<string>() == "failed"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_dead_letter_for_a_routed_ticket_marks_it_failed_with_a_French_reason()
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Glpi);

        await Tickets.DeliverAsync(Letter(id, reference));

        var ticket = await Tickets.GetAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(Status(ticket), Is.EqualTo("failed"));
            Assert.That(FailureReason(ticket), Is.EqualTo(ExpectedReason));
            Assert.That(ticket["failureDetail"]!.GetValue<string>(), Is.EqualTo(ExpectedDetail));
            Assert.That(ticket["history"]!.AsArray().Last()!["note"]!.GetValue<string>(), Is.EqualTo(ExpectedReason));
        });
    }

    [Test]
    public async Task A_dead_letter_from_the_classifier_marks_a_ticket_not_yet_routed_failed()
    {
        var (id, reference) = await Tickets.ReceivedAsync();
        var letter = Letter(id, reference, service: "classifier") with { Queue = "classifier-ticket-submitted", MessageType = nameof(TicketSubmitted) };

        await Tickets.DeliverAsync(letter);

        var ticket = await Tickets.GetAsync(id);
        Assert.That((Status(ticket), FailureReason(ticket), ticket["failureDetail"]!.GetValue<string>()), Is.EqualTo(("failed", ExpectedReason,
            "La transmission a échoué après plusieurs tentatives (classifier) : HttpRequestException: Response status code does not indicate success: 503 (Service Unavailable).")));
    }

    [Test]
    public async Task A_dead_letter_naming_only_the_reference_still_finds_the_ticket()
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Glpi);

        await Tickets.DeliverAsync(Letter(null, reference));

        Assert.That(Status(await Tickets.GetAsync(id)), Is.EqualTo("failed"));
    }

    [Test]
    public async Task A_late_dead_letter_leaves_a_forwarded_ticket_as_it_is()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "GLPI-42");

        await Tickets.DeliverAsync(Letter(id, reference));

        var ticket = await Tickets.GetAsync(id);
        Assert.That((Status(ticket), FailureReason(ticket)), Is.EqualTo(("forwarded", (string?)null)));
        Assert.That(await Factory.CountAsync("reported_dead_letters"), Is.EqualTo(1), "recorded all the same");
    }

    [Test]
    public async Task A_late_dead_letter_leaves_an_in_progress_ticket_as_it_is()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "GLPI-43");
        await Tickets.DeliverAsync(new ExternalTicketUpdated(id, reference, ExternalTools.Glpi, "GLPI-43", "in-progress", "2",
            null, null, null, DateTimeOffset.UtcNow, "status:1"));
        Assert.That(Status(await Tickets.GetAsync(id)), Is.EqualTo("in-progress"));

        await Tickets.DeliverAsync(Letter(id, reference, service: "connectors-glpi"));

        var ticket = await Tickets.GetAsync(id);
        Assert.That((Status(ticket), FailureReason(ticket)), Is.EqualTo(("in-progress", (string?)null)));
    }

    [Test]
    public async Task A_dead_letter_for_a_ticket_intake_does_not_know_is_recorded_anyway()
    {
        var unknown = Guid.NewGuid();
        var letter = Letter(unknown, "TH-2026-999999", service: "classifier");

        await Tickets.DeliverAsync(letter);

        var read = (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/admin/dead-letters/{letter.DeadLetterId}"))!;
        Assert.Multiple(() =>
        {
            Assert.That(read["ticketId"]!.GetValue<Guid>(), Is.EqualTo(unknown));
            Assert.That(read["reference"]!.GetValue<string>(), Is.EqualTo("TH-2026-999999"));
            Assert.That(read["service"]!.GetValue<string>(), Is.EqualTo("classifier"));
            Assert.That(read["state"]!.GetValue<string>(), Is.EqualTo("open"));
        });
    }

    [Test]
    public async Task A_failed_ticket_whose_replay_succeeds_becomes_forwarded()
    {
        var (id, reference) = await Tickets.RoutedAsync(ExternalTools.Glpi);
        await Tickets.DeliverAsync(Letter(id, reference));
        Assert.That(Status(await Tickets.GetAsync(id)), Is.EqualTo("failed"));

        await Tickets.DeliverAsync(new TicketForwarded(id, reference, ExternalTools.Glpi, "GLPI-44", null, TicketScenarios.T0));

        var ticket = await Tickets.GetAsync(id);
        Assert.That((Status(ticket), FailureReason(ticket)), Is.EqualTo(("forwarded", (string?)null)));
    }
}
