using System.Text;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>
/// The collège's files reach the GLPI ticket as documents: read from intake (WireMock) with the
/// connector's key, checked, uploaded to GLPI (WireMock) as apirest.md documents it, once each.
/// </summary>
public sealed class DocumentsTests
{
    private static FakeGlpi Glpi => GlpiServers.Glpi;

    private static FakeIntake Intake => GlpiServers.Intake;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public void SetUp()
    {
        Glpi.Reset();
        Intake.Reset();
        Glpi.AcceptsLogin("session-1");
        _app = new ConnectorApp();
        _harness = _app.Harness;
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Uploads_each_file_to_GLPI_as_a_document_linked_to_the_new_ticket_as_apirest_md_shows()
    {
        Glpi.CreatesTicket(15);
        Glpi.AcceptsDocuments(firstId: 4);
        var ticketId = Guid.NewGuid();
        var photo = FakeIntake.Jpeg(1);
        var attachment = Intake.Serves(ticketId, "Photo écran « erreur 50 ».jpg", "image/jpeg", photo);
        var routed = WithFiles(ticketId, attachment);

        await _harness.Bus.Publish(routed);

        await SentAsync(attachment.Id);
        Assert.That(await _app.SentDocumentAsync(attachment.Id), Is.EqualTo(new SentDocumentRow("sent", "4", 1, null)));
        var download = Intake.Downloads(ticketId, attachment.Id).Single();
        Assert.That(FakeIntake.Header(download, "X-Api-Key"), Is.EqualTo(FakeIntake.ApiKey), "the file is read with the connector's key");
        var upload = Glpi.Requests("POST", "/Document").Single();
        Assert.That(FakeGlpi.Header(upload, "Content-Type"), Does.StartWith("multipart/form-data; boundary="));
        Assert.That(FakeGlpi.Header(upload, "Session-Token"), Is.EqualTo("session-1"));
        var parts = await FakeGlpi.PartsAsync(upload);
        Assert.That(parts, Has.Count.EqualTo(2));
        var (manifestHeaders, manifestBody) = parts[0];
        Assert.That(manifestHeaders["Content-Disposition"], Is.EqualTo("form-data; name=\"uploadManifest\""));
        Assert.That(manifestHeaders["Content-Type"], Is.EqualTo("application/json; charset=utf-8"));
        var manifest = JsonNode.Parse(manifestBody)!;
        Assert.That(JsonNode.DeepEquals(manifest, new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["name"] = "TH-2026-000042 — Photo écran « erreur 50 ».jpg",
                ["_filename"] = new JsonArray("Photo écran « erreur 50 ».jpg"),
                ["itemtype"] = "Ticket",
                ["items_id"] = 15,
                ["entities_id"] = 12,
            },
        }), Is.True, manifest.ToJsonString());
        var (fileHeaders, fileBody) = parts[1];
        Assert.That(fileHeaders["Content-Disposition"], Is.EqualTo("form-data; name=\"filename[0]\"; filename=\"Photo écran « erreur 50 ».jpg\""),
            "the name in UTF-8, as a browser sends it and PHP reads it");
        Assert.That(fileHeaders["Content-Type"], Is.EqualTo("image/jpeg"));
        Assert.That(fileBody, Is.EqualTo(photo));
        Assert.That(Glpi.Requests("GET", "/Ticket/15/Document_Item"), Is.Empty, "a first upload has nothing to look up");
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"Attachment {attachment.Id} of ticket TH-2026-000042 added to GLPI as document 4 (2048 bytes)"));
    }

    [Test]
    public async Task Adds_each_file_once_when_the_message_is_delivered_twice()
    {
        Glpi.CreatesTicket(15);
        Glpi.AcceptsDocuments();
        var ticketId = Guid.NewGuid();
        var first = Intake.Serves(ticketId, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(1));
        var second = Intake.Serves(ticketId, "devis.pdf", "application/pdf", Encoding.ASCII.GetBytes("%PDF-1.7 devis"));
        var routed = WithFiles(ticketId, first, second);
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await SentAsync(second.Id);
        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);

        await Eventually.TrueAsync(() => _app.Logs.Lines.Count(line => line.Contains("Ticket TH-2026-000042 already delivered to GLPI as 15; nothing to do", StringComparison.Ordinal)) == 1, "second delivery handled", seconds: 15);
        await _harness.InactivityTask;
        Assert.That(Glpi.Requests("POST", "/Document"), Has.Count.EqualTo(2), "two files, two documents");
        Assert.That(Intake.Downloads(ticketId, first.Id), Has.Count.EqualTo(1), "a file sent is not even read again");
        Assert.That((await _app.SentDocumentAsync(first.Id))?.DocumentId, Is.EqualTo("1"));
        Assert.That((await _app.SentDocumentAsync(second.Id))?.DocumentId, Is.EqualTo("2"));
    }

    [Test]
    public async Task Reads_a_file_again_when_its_content_does_not_match_its_hash_and_uploads_the_right_one()
    {
        Glpi.CreatesTicket(15);
        Glpi.AcceptsDocuments();
        var ticketId = Guid.NewGuid();
        var photo = FakeIntake.Jpeg(1);
        var damaged = (byte[])photo.Clone();
        damaged[100] ^= 0xFF;
        var attachment = Intake.ServesDamagedThenRight(ticketId, "photo.jpg", "image/jpeg", photo, damaged);

        await _harness.Bus.Publish(WithFiles(ticketId, attachment));

        await SentAsync(attachment.Id);
        Assert.That(Intake.Downloads(ticketId, attachment.Id), Has.Count.EqualTo(2));
        var upload = Glpi.Requests("POST", "/Document").Single();
        Assert.That((await FakeGlpi.PartsAsync(upload))[1].Body, Is.EqualTo(photo), "only the file whose hash matches is uploaded");
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"Attachment {attachment.Id} of ticket {ticketId} came with 2048 bytes or a hash that does not match"));
        Assert.That(Glpi.Requests("POST", "/Ticket"), Has.Count.EqualTo(1), "the ticket is not created again");
        Assert.That(_harness.Published.Select<TicketForwarded>().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Finds_the_document_an_upload_whose_answer_was_lost_created_by_its_SHA_1_and_uploads_no_second_one()
    {
        Glpi.CreatesTicket(15);
        // GLPI stores the document, links it and renames it "Document : Ticket - …", then fails to answer.
        Glpi.AnswersFirstDocumentWith(FakeGlpi.Error(500, "ERROR", "Internal Server Error"), id: 99);
        var ticketId = Guid.NewGuid();
        var photo = FakeIntake.Jpeg(1);
        var attachment = Intake.Serves(ticketId, "photo.jpg", "image/jpeg", photo);
        Glpi.HasDocuments(15, (3, "photo.jpg", Sha1(FakeIntake.Jpeg(2))), (7, "photo.jpg", Sha1(photo)));

        await _harness.Bus.Publish(WithFiles(ticketId, attachment));

        await SentAsync(attachment.Id);
        Assert.That(await _app.SentDocumentAsync(attachment.Id), Is.EqualTo(new SentDocumentRow("sent", "7", 1, null)), "one upload; the document it made is the file's");
        Assert.That(Glpi.Requests("POST", "/Document"), Has.Count.EqualTo(1));
        Assert.That(Glpi.Requests("GET", "/Ticket/15/Document_Item"), Has.Count.EqualTo(1), "the ticket's documents were looked at");
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"Attachment {attachment.Id} of ticket TH-2026-000042 was added to GLPI as document 7 by an earlier attempt; not sending it again"));
    }

    [Test]
    public async Task Gives_each_of_two_identical_files_its_own_document()
    {
        Glpi.CreatesTicket(15);
        Glpi.AnswersFirstDocumentWith(FakeGlpi.Error(500, "ERROR", "Internal Server Error"), id: 8);
        var ticketId = Guid.NewGuid();
        var photo = FakeIntake.Jpeg(1);
        var first = Intake.Serves(ticketId, "photo.jpg", "image/jpeg", photo);
        var second = Intake.Serves(ticketId, "copie.jpg", "image/jpeg", photo);
        // The first upload made document 7 before failing to answer; nothing else is on the ticket.
        Glpi.HasDocuments(15, (7, "photo.jpg", Sha1(photo)));

        await _harness.Bus.Publish(WithFiles(ticketId, first, second));

        await SentAsync(second.Id);
        Assert.That(await _app.SentDocumentAsync(first.Id), Is.EqualTo(new SentDocumentRow("sent", "7", 1, null)));
        Assert.That((await _app.SentDocumentAsync(second.Id))?.DocumentId, Is.EqualTo("8"), "the same bytes, another file: uploaded");
    }

    [Test]
    public async Task Uploads_again_when_the_upload_whose_answer_was_lost_left_nothing_in_GLPI()
    {
        Glpi.CreatesTicket(15);
        Glpi.AnswersFirstDocumentWith(FakeGlpi.Error(500, "ERROR", "Internal Server Error"), id: 8);
        var ticketId = Guid.NewGuid();
        var attachment = Intake.Serves(ticketId, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(1));

        await _harness.Bus.Publish(WithFiles(ticketId, attachment));

        await SentAsync(attachment.Id);
        Assert.That(await _app.SentDocumentAsync(attachment.Id), Is.EqualTo(new SentDocumentRow("sent", "8", 2, null)));
        Assert.That(Glpi.Requests("GET", "/Ticket/15/Document_Item"), Has.Count.EqualTo(1));
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"GLPI failed on attachment {attachment.Id} of ticket TH-2026-000042, will retry: HTTP 500"));
    }

    [Test]
    public async Task Uploads_nothing_while_GLPI_answers_the_list_of_the_ticket_s_documents_unreadably()
    {
        Glpi.CreatesTicket(15);
        Glpi.AnswersFirstDocumentWith(FakeGlpi.Error(500, "ERROR", "Internal Server Error"), id: 8);
        Glpi.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket/15/Document_Item").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody(""));
        var ticketId = Guid.NewGuid();
        var attachment = Intake.Serves(ticketId, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(1));

        await _harness.Bus.Publish(WithFiles(ticketId, attachment));

        await Eventually.TrueAsync(() => Glpi.Requests("GET", "/Ticket/15/Document_Item").Count >= 2, "the lookup tried again", seconds: 20);
        Assert.That(Glpi.Requests("POST", "/Document"), Has.Count.EqualTo(1), "an answer that cannot be read is not \"no document\"");
    }

    [Test]
    public async Task Forwards_the_ticket_and_goes_on_with_the_next_file_when_GLPI_refuses_one()
    {
        Glpi.CreatesTicket(15);
        Glpi.AnswersFirstDocumentWith(FakeGlpi.Error(400, "ERROR_GLPI_ADD", "Fichier de type non autorisé"), id: 5);
        var ticketId = Guid.NewGuid();
        var refused = Intake.Serves(ticketId, "script.exe", "application/octet-stream", Encoding.ASCII.GetBytes("MZ"));
        var accepted = Intake.Serves(ticketId, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(1));

        await _harness.Bus.Publish(WithFiles(ticketId, refused, accepted));

        await SentAsync(accepted.Id);
        Assert.That(await _app.SentDocumentAsync(refused.Id), Is.EqualTo(new SentDocumentRow(
            "refused", null, 1, "GLPI a refusé le document (HTTP 400 ERROR_GLPI_ADD) : Fichier de type non autorisé")));
        Assert.That((await _app.SentDocumentAsync(accepted.Id))?.DocumentId, Is.EqualTo("5"));
        Assert.That(Glpi.Requests("POST", "/Document"), Has.Count.EqualTo(2), "the refusal is not retried");
        Assert.That(_harness.Published.Select<TicketForwarded>().Count(), Is.EqualTo(1));
        Assert.That(_harness.Published.Select<TicketForwardingFailed>().Any(), Is.False);
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"GLPI refused attachment {refused.Id} of ticket TH-2026-000042; the ticket stays forwarded without it"));
        var notice = await NotDeliveredAsync(refused.Id);
        Assert.That(notice with { At = default }, Is.EqualTo(new TicketAttachmentNotDelivered(
            ticketId, "TH-2026-000042", refused.Id, "script.exe", ExternalTools.Glpi, "GLPI n'accepte pas ce type de fichier", default)));
        await _harness.InactivityTask;
        Assert.That(_harness.Published.Select<TicketAttachmentNotDelivered>().Select(m => m.Context.Message.AttachmentId), Is.EqualTo(new[] { refused.Id }),
            "intake hears of the refused file only");
    }

    [Test]
    public async Task Tells_intake_once_that_GLPI_refused_a_file_too_large_even_when_the_message_comes_again()
    {
        Glpi.CreatesTicket(15);
        Glpi.AnswersFirstDocumentWith(FakeGlpi.Error(400, "ERROR_GLPI_ADD", "File too large to be added."), id: 5);
        var ticketId = Guid.NewGuid();
        var photo = Intake.Serves(ticketId, "photo du câble.jpg", "image/jpeg", FakeIntake.Jpeg(1, length: 1536 * 1024));
        var routed = WithFiles(ticketId, photo);
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await Eventually.TrueAsync(async () => (await _app.SentDocumentAsync(photo.Id))?.State == "refused", "file recorded as refused", seconds: 20);
        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);

        await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("Ticket TH-2026-000042 already delivered to GLPI as 15; nothing to do", StringComparison.Ordinal)), "second delivery handled", seconds: 15);
        var notice = await NotDeliveredAsync(photo.Id);
        await _harness.InactivityTask;
        Assert.That((notice.Reference, notice.FileName, notice.Tool, notice.Reason),
            Is.EqualTo(("TH-2026-000042", "photo du câble.jpg", ExternalTools.Glpi, "fichier trop volumineux pour GLPI (1,5 Mo)")));
        Assert.That(await _app.InOutboxAsync<TicketAttachmentNotDelivered>(), Is.EqualTo(1), "once, whatever the redeliveries");
        Assert.That(_harness.Published.Select<TicketAttachmentNotDelivered>().Count(), Is.EqualTo(1));
        Assert.That(Glpi.Requests("POST", "/Document"), Has.Count.EqualTo(1), "a refused file is not sent again");
        Assert.That((await _app.SentDocumentAsync(photo.Id))?.LastError, Is.EqualTo("GLPI a refusé le document (HTTP 400 ERROR_GLPI_ADD) : File too large to be added."),
            "the ledger keeps GLPI's own words");
    }

    [Test]
    public async Task Skips_a_file_intake_does_not_have()
    {
        Glpi.CreatesTicket(15);
        Glpi.AcceptsDocuments();
        var ticketId = Guid.NewGuid();
        var missing = Intake.Lacks(ticketId, "perdu.jpg", "image/jpeg", FakeIntake.Jpeg(2));

        await _harness.Bus.Publish(WithFiles(ticketId, missing));

        await Eventually.TrueAsync(async () => (await _app.SentDocumentAsync(missing.Id))?.State == "missing", "file recorded as missing", seconds: 15);
        Assert.That(Glpi.Requests("POST", "/Document"), Is.Empty);
        Assert.That(_harness.Published.Select<TicketForwarded>().Count(), Is.EqualTo(1));
        var notice = await NotDeliveredAsync(missing.Id);
        Assert.That((notice.TicketId, notice.FileName, notice.Tool, notice.Reason),
            Is.EqualTo((ticketId, "perdu.jpg", ExternalTools.Glpi, "le fichier est introuvable dans TicketHub")), "intake hears of it too");
    }

    [Test]
    public async Task Never_writes_the_intake_API_key_in_a_log_even_when_intake_refuses_it()
    {
        await _app.DisposeAsync();
        _app = new ConnectorApp(settings: new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        });
        _harness = _app.Harness;
        Glpi.CreatesTicket(15);
        Glpi.AcceptsDocuments();
        var ticketId = Guid.NewGuid();
        var attachment = Intake.RefusesThenServes(ticketId, 403, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(1));

        await _harness.Bus.Publish(WithFiles(ticketId, attachment));

        await SentAsync(attachment.Id);
        Assert.That(Intake.Downloads(ticketId, attachment.Id), Has.Count.EqualTo(2));
        Assert.That(_app.Logs.Lines, Has.Some.Contains("Intake answered HTTP 403"), "the refusal was logged");
        Assert.That(_app.Logs.Lines, Has.Some.Contains("X-Api-Key"), "the request headers were logged, the key's name included");
        Assert.That(_app.Logs.Lines.Where(line => line.Contains(FakeIntake.ApiKey, StringComparison.Ordinal)), Is.Empty);
    }

    /// <summary>The <see cref="TicketAttachmentNotDelivered"/> published for the file, waiting for the outbox relay.</summary>
    private async Task<TicketAttachmentNotDelivered> NotDeliveredAsync(Guid attachmentId)
    {
        await Eventually.TrueAsync(() => _harness.Published.Select<TicketAttachmentNotDelivered>(m => m.Context.Message.AttachmentId == attachmentId).Any(),
            $"TicketAttachmentNotDelivered published for {attachmentId}", seconds: 20);
        return _harness.Published.Select<TicketAttachmentNotDelivered>(m => m.Context.Message.AttachmentId == attachmentId).First().Context.Message;
    }

    private async Task SentAsync(Guid attachmentId) =>
        await Eventually.TrueAsync(async () => (await _app.SentDocumentAsync(attachmentId))?.State == "sent", $"attachment {attachmentId} sent", seconds: 20);

    private static TicketRouted WithFiles(Guid ticketId, params AttachmentRef[] attachments)
    {
        var routed = TestTickets.Routed();
        return routed with { TicketId = ticketId, Ticket = routed.Ticket with { Attachments = attachments } };
    }

    private static string Sha1(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(content));
}
