extern alias omere;

using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using MimeKit;
using TicketHub.Contracts;
using OmereProgram = omere::Program;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>Omère in email mode, against a real SMTP server.</summary>
public sealed class EmailModeTests
{
    private SmtpMailbox _mailbox = null!;
    private ConnectorApp<OmereProgram> _app = null!;

    [OneTimeSetUp]
    public void StartMailbox() => _mailbox = SmtpMailbox.Start();

    [OneTimeTearDown]
    public void StopMailbox() => _mailbox.Dispose();

    [SetUp]
    public void SetUp() => _app = new ConnectorApp<OmereProgram>("Omere", new Dictionary<string, string?>
    {
        ["Omere:Delivery"] = "email",
        ["Omere:Email:Host"] = "127.0.0.1",
        ["Omere:Email:Port"] = _mailbox.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Omere:Email:Security"] = "None",
        ["Omere:Email:From"] = "tickethub@departement.invalid",
        ["Omere:Email:To"] = "omere-intake@departement.invalid",
        ["Omere:Email:Timeout"] = "00:00:05",
    });

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Sends_one_structured_email_with_the_reference_in_the_subject_and_the_UT_as_queue()
    {
        var routed = TestTickets.Routed(ExternalTools.Omere, reference: "TH-2026-000501", flags: [RouteFlags.DatAmiante]);

        await _app.Harness.Bus.Publish(routed);

        var forwarded = await ForwardedAsync(routed.TicketId);
        var mail = MailsFor(routed.Reference).Single();
        Assert.That(mail.Subject, Is.EqualTo("[TH-2026-000501] Prise murale arrachée en salle 12"));
        Assert.That(mail.MessageId, Is.EqualTo("TH-2026-000501.omere@tickethub.invalid"));
        Assert.That(forwarded.ExternalId, Is.EqualTo(mail.MessageId), "the hub knows the e-mail, not a number in Omère");
        Assert.That(mail.To.Mailboxes.Single().Address, Is.EqualTo("omere-intake@departement.invalid"));
        Assert.That(mail.Headers["X-TicketHub-Reference"], Is.EqualTo("TH-2026-000501"));
        Assert.That(mail.TextBody, Does.Contain("File : UT2\n").And.Contain("Collège : Collège Jean Moulin (0931234X), Montreuil\n")
            .And.Contain("⚠ DAT amiante").And.Contain("Depuis lundi « erreur 500 » <b>.\nAucun professeur"));
        var json = (MimePart)mail.Attachments.Single(part => part.ContentType.MimeType == "application/json");
        using var content = new MemoryStream();
        await json.Content!.DecodeToAsync(content);
        var structured = JsonNode.Parse(content.ToArray())!;
        Assert.That(structured["reference"]!.GetValue<string>(), Is.EqualTo("TH-2026-000501"));
        Assert.That(structured["queue"]!.GetValue<string>(), Is.EqualTo("UT2"), "Omère tickets carry the collège's UT as queue");
        Assert.That(structured["college"]!["uai"]!.GetValue<string>(), Is.EqualTo("0931234X"));
    }

    [Test]
    public async Task Sends_the_email_once_when_the_message_is_delivered_twice()
    {
        var routed = TestTickets.Routed(ExternalTools.Omere, reference: "TH-2026-000502");
        var messageId = NewId.NextGuid();

        await _app.Harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await ForwardedAsync(routed.TicketId);
        await _app.Harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await _app.Harness.InactivityTask;

        Assert.That(MailsFor(routed.Reference), Has.Count.EqualTo(1));
        Assert.That(_app.Harness.Published.Select<TicketForwarded>(m => m.Context.Message.TicketId == routed.TicketId).Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Keeps_the_ticket_while_the_mail_server_is_down_and_sends_it_once_it_is_back()
    {
        var routed = TestTickets.Routed(ExternalTools.Omere, reference: "TH-2026-000503");
        _mailbox.Stop();
        try
        {
            await _app.Harness.Bus.Publish(routed);
            await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("R-RETRY", StringComparison.Ordinal) || line.Contains("Connection refused", StringComparison.Ordinal)),
                "a first attempt failed against the stopped server");
        }
        finally
        {
            _mailbox.Restart();
        }

        var forwarded = await ForwardedAsync(routed.TicketId, seconds: 40);
        Assert.That(MailsFor(routed.Reference).Single().MessageId, Is.EqualTo(forwarded.ExternalId));
        Assert.That(_app.Harness.Published.Select<TicketForwardingFailed>().Any(), Is.False);
    }

    [Test]
    public async Task Sends_the_colleges_comment_as_a_reply_to_the_tickets_email()
    {
        var routed = TestTickets.Routed(ExternalTools.Omere, reference: "TH-2026-000504");
        await _app.Harness.Bus.Publish(routed);
        var forwarded = await ForwardedAsync(routed.TicketId);

        await _app.Harness.Bus.Publish(TestTickets.Comment(routed, forwarded.ExternalId));

        await Eventually.TrueAsync(() => MailsFor(routed.Reference).Count == 2, "the comment's e-mail arrived");
        var reply = MailsFor(routed.Reference)[1];
        Assert.That(reply.Subject, Is.EqualTo("[TH-2026-000504] Complément du collège"));
        Assert.That(reply.InReplyTo, Is.EqualTo(forwarded.ExternalId));
        Assert.That(reply.TextBody, Does.Contain("Le problème touche aussi la salle 14."));
    }

    [Test]
    public async Task Tells_the_mailbox_in_the_tickets_thread_that_the_request_went_elsewhere_then_came_back()
    {
        var routed = TestTickets.Routed(ExternalTools.Omere, reference: "TH-2026-000505");
        await _app.Harness.Bus.Publish(routed);
        var forwarded = await ForwardedAsync(routed.TicketId);

        await _app.Harness.Bus.Publish(TestTickets.Rerouted(routed, forwarded.ExternalId));
        await Eventually.TrueAsync(() => MailsFor(routed.Reference).Count == 2, "the e-mail that it went away arrived");
        var back = routed with { Route = routed.Route with { Rule = TicketRerouted.ManualRule, Explanation = "Erreur : c'est bien le bâtiment." } };
        await _app.Harness.Bus.Publish(back);
        await Eventually.TrueAsync(() => MailsFor(routed.Reference).Count == 3, "the e-mail that it came back arrived");

        var mails = MailsFor(routed.Reference);
        Assert.That(mails.Select(mail => mail.Subject), Is.EqualTo(new[]
        {
            $"[TH-2026-000505] {routed.Ticket.Title}", "[TH-2026-000505] Demande réorientée", "[TH-2026-000505] Demande de nouveau orientée",
        }));
        Assert.That(mails.Skip(1).Select(mail => mail.InReplyTo), Is.All.EqualTo(forwarded.ExternalId), "in the ticket's thread");
        Assert.That(mails[2].TextBody, Does.StartWith("Demande de nouveau orientée vers le service des bâtiments (Omère) par le Pôle TIE")
            .And.Contain("de nouveau à traiter dans Omère (référence TicketHub TH-2026-000505)").And.Contain("Erreur : c'est bien le bâtiment."));
    }

    [Test]
    public async Task Tells_the_mailbox_in_the_tickets_thread_that_the_request_is_a_duplicate_of_another()
    {
        var routed = TestTickets.Routed(ExternalTools.Omere, reference: "TH-2026-000506");
        await _app.Harness.Bus.Publish(routed);
        var forwarded = await ForwardedAsync(routed.TicketId);

        // The kept ticket went to Omère by e-mail as well: its "number" is the hub's own Message-Id.
        await _app.Harness.Bus.Publish(TestTickets.Duplicate(routed, forwarded.ExternalId, keptTool: ExternalTools.Omere, keptExternalId: "TH-2026-000123.omere@tickethub.invalid"));
        await Eventually.TrueAsync(() => MailsFor(routed.Reference).Count == 2, "the e-mail about the duplicate arrived");

        var mail = MailsFor(routed.Reference)[1];
        Assert.That(mail.Subject, Is.EqualTo("[TH-2026-000506] Doublon de TH-2026-000123"));
        Assert.That(mail.InReplyTo, Is.EqualTo(forwarded.ExternalId), "in the ticket's thread");
        Assert.That(mail.TextBody, Does.StartWith("Doublon de la demande TH-2026-000123 (Omère), où ce problème est suivi : clos dans TicketHub le 06/12/2026 à 21:10")
            .And.Contain("Ce ticket (référence TicketHub TH-2026-000506) peut être clos."));
    }

    private List<MimeMessage> MailsFor(string reference) =>
        [.. _mailbox.Messages().Where(mail => mail.Headers["X-TicketHub-Reference"] == reference)];

    private async Task<TicketForwarded> ForwardedAsync(Guid ticketId, int seconds = 20)
    {
        await Eventually.TrueAsync(() => _app.Harness.Published.Select<TicketForwarded>(m => m.Context.Message.TicketId == ticketId).Any(),
            "the ticket was forwarded", seconds);
        return _app.Harness.Published.Select<TicketForwarded>(m => m.Context.Message.TicketId == ticketId).First().Context.Message;
    }
}
