using System.Text.Json.Nodes;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary>
/// A file GLPI or iTop refused, or that intake no longer had, is never lost silently: the ticket's
/// timeline says which, where and why, once.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class AttachmentNotDeliveredTests(DatabaseProvider provider) : IntakeTest(provider)
{
    private const string Kind = "attachment-not-delivered";

    private static TicketAttachmentNotDelivered Notice((Guid Id, string Reference) ticket, Guid attachmentId, string tool = ExternalTools.Glpi,
        string reason = "fichier trop volumineux pour GLPI (3,2 Mo)") =>
        new(ticket.Id, ticket.Reference, attachmentId, "photo du câble.jpg", tool, reason, DateTimeOffset.UtcNow);

    private static List<JsonNode> Undelivered(JsonObject ticket) =>
        [.. ticket["timeline"]!.AsArray().Where(entry => entry!["kind"]!.GetValue<string>() == Kind).Select(entry => entry!)];

    [Test]
    public async Task A_file_GLPI_refused_appears_in_the_timeline_in_French_once_however_often_the_message_comes()
    {
        var ticket = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var notice = Notice(ticket, Guid.NewGuid());
        var messageId = Guid.NewGuid();

        await Tickets.DeliverAsync(notice, messageId);
        await Tickets.DeliverAsync(notice, messageId);

        var entries = Undelivered(await Tickets.GetAsync(ticket.Id));
        Assert.That(entries, Has.Count.EqualTo(1));
        Assert.That(entries[0]["text"]!.GetValue<string>(), Is.EqualTo(
            "La pièce jointe « photo du câble.jpg » n'a pas pu être transmise à l'infogérant du Département (GLPI) : "
            + "fichier trop volumineux pour GLPI (3,2 Mo). Envoyez-la autrement au technicien."));
        Assert.That(entries[0]["at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(notice.At).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(await Factory.CountAsync("undelivered_attachments"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_file_reported_again_under_another_message_id_is_still_one_entry()
    {
        var ticket = await Tickets.ForwardedAsync(ExternalTools.Itop, "R-000015");
        var notice = Notice(ticket, Guid.NewGuid(), ExternalTools.Itop, "iTop n'accepte pas ce type de fichier.");

        await Tickets.DeliverAsync(notice);
        await Tickets.DeliverAsync(notice with { At = notice.At.AddMinutes(1) });

        var entries = Undelivered(await Tickets.GetAsync(ticket.Id));
        Assert.That(entries.Select(entry => entry["text"]!.GetValue<string>()), Is.EqualTo(new[]
        {
            "La pièce jointe « photo du câble.jpg » n'a pas pu être transmise à l'infogérant du Département (iTop) : "
            + "iTop n'accepte pas ce type de fichier. Envoyez-la autrement au technicien.",
        }), "one entry, its sentence ending once");
    }

    [Test]
    public async Task Each_file_not_delivered_has_its_own_entry_after_the_forwarding()
    {
        var ticket = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");

        await Tickets.DeliverAsync(Notice(ticket, Guid.NewGuid()));
        await Tickets.DeliverAsync(Notice(ticket, Guid.NewGuid(), reason: "le fichier est introuvable dans TicketHub"));

        var timeline = (await Tickets.GetAsync(ticket.Id))["timeline"]!.AsArray();
        Assert.That(timeline.Select(entry => entry!["kind"]!.GetValue<string>()).TakeLast(2), Is.EqualTo(new[] { Kind, Kind }));
        Assert.That(timeline.Last()!["text"]!.GetValue<string>(), Does.Contain(" : le fichier est introuvable dans TicketHub. Envoyez-la"));
    }

    [Test]
    public async Task A_notice_for_a_ticket_intake_does_not_know_is_consumed_and_leaves_nothing()
    {
        await Tickets.DeliverAsync(Notice((Guid.NewGuid(), "TH-2026-999999"), Guid.NewGuid()));

        Assert.That(await Factory.CountAsync("undelivered_attachments"), Is.Zero);
        Assert.That(await Factory.CountAsync("inbox_messages"), Is.EqualTo(1), "processed, not failing: nothing to retry");
    }
}
