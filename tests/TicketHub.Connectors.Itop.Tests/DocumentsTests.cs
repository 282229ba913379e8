using System.Text;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// The collège's files reach the iTop request as Attachments: read from intake (WireMock) with the
/// connector's key, checked, created in iTop (WireMock) as iTop's REST documentation describes, once each.
/// </summary>
public sealed class DocumentsTests
{
    private static FakeItop Itop => ItopServers.Itop;

    private static FakeIntake Intake => ItopServers.Intake;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public void SetUp()
    {
        Itop.Reset();
        Intake.Reset();
        _app = new ConnectorApp();
        _harness = _app.Harness;
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Creates_each_file_as_an_Attachment_of_the_new_request_as_iTop_documents_it()
    {
        Itop.CreatesRequest(15);
        Itop.CreatesAttachments(firstKey: 31);
        var routed = TestTickets.Routed();
        var photo = FakeIntake.Jpeg(1);
        var attachment = Intake.Serves(routed.TicketId, "Photo écran « erreur 50 ».jpg", "image/jpeg", photo);

        await _harness.Bus.Publish(WithFiles(routed, attachment));

        await SentAsync(attachment.Id);
        Assert.That(await _app.SentDocumentAsync(attachment.Id), Is.EqualTo(new SentDocumentRow("sent", "31", 1, null)));
        Assert.That(FakeIntake.Header(Intake.Downloads(routed.TicketId, attachment.Id).Single(), "X-Api-Key"), Is.EqualTo(FakeIntake.ApiKey));
        var create = Itop.Requests("core/create", "Attachment").Single();
        var form = FakeItop.Form(create);
        Assert.That((form["auth_user"], form["auth_pwd"]), Is.EqualTo((FakeItop.AuthUser, FakeItop.AuthPassword)));
        Assert.That(create.RequestMessage.Query?["version"].Single(), Is.EqualTo("1.3"));
        var data = FakeItop.JsonData(create);
        var creationDate = data["fields"]!["creation_date"]!.GetValue<string>();
        Assert.That(creationDate, Does.Match(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"), "MySQL format, in iTop's time zone");
        Assert.That(JsonNode.DeepEquals(data, new JsonObject
        {
            ["operation"] = "core/create",
            ["class"] = "Attachment",
            ["comment"] = "TicketHub TH-2026-000042",
            ["output_fields"] = "id",
            ["fields"] = new JsonObject
            {
                ["item_class"] = "UserRequest",
                ["item_id"] = 15,
                ["item_org_id"] = 12,
                ["creation_date"] = creationDate,
                ["contents"] = new JsonObject
                {
                    ["data"] = Convert.ToBase64String(photo),
                    ["filename"] = "Photo écran « erreur 50 ».jpg",
                    ["mimetype"] = "image/jpeg",
                },
            },
        }), Is.True, data.ToJsonString());
        Assert.That(Itop.Requests("core/get", "Attachment"), Is.Empty, "a first upload has nothing to look up");
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"Attachment {attachment.Id} of ticket TH-2026-000042 added to iTop as document 31 (2048 bytes)"));
    }

    [Test]
    public async Task Adds_each_file_once_when_the_message_is_delivered_twice()
    {
        Itop.CreatesRequest(15);
        Itop.CreatesAttachments();
        var routed = TestTickets.Routed();
        var first = Intake.Serves(routed.TicketId, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(1));
        var second = Intake.Serves(routed.TicketId, "devis.pdf", "application/pdf", Encoding.ASCII.GetBytes("%PDF-1.7 devis"));
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(WithFiles(routed, first, second), context => context.MessageId = messageId);
        await SentAsync(second.Id);
        await _harness.Bus.Publish(WithFiles(routed, first, second), context => context.MessageId = messageId);

        await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("Ticket TH-2026-000042 already delivered to iTop as 15; nothing to do", StringComparison.Ordinal)), "second delivery handled", seconds: 15);
        await _harness.InactivityTask;
        Assert.That(Itop.Requests("core/create", "Attachment"), Has.Count.EqualTo(2));
        Assert.That(Intake.Downloads(routed.TicketId, first.Id), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Reads_a_file_again_when_its_content_does_not_match_its_hash_and_sends_the_right_one()
    {
        Itop.CreatesRequest(15);
        Itop.CreatesAttachments();
        var routed = TestTickets.Routed();
        var photo = FakeIntake.Jpeg(1);
        var attachment = Intake.ServesDamagedThenRight(routed.TicketId, "photo.jpg", "image/jpeg", photo, photo[..1000]);

        await _harness.Bus.Publish(WithFiles(routed, attachment));

        await SentAsync(attachment.Id);
        Assert.That(Intake.Downloads(routed.TicketId, attachment.Id), Has.Count.EqualTo(2));
        var sent = FakeItop.JsonData(Itop.Requests("core/create", "Attachment").Single())["fields"]!["contents"]!["data"]!.GetValue<string>();
        Assert.That(Convert.FromBase64String(sent), Is.EqualTo(photo));
        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(1), "the request is not created again");
    }

    [Test]
    public async Task Finds_the_Attachment_a_create_whose_answer_was_lost_made_and_creates_no_second_one()
    {
        Itop.CreatesRequest(15);
        // iTop stores the Attachment, then PHP dies before answering.
        Itop.AnswersFirstAttachmentWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(500).WithBody("<html>Internal Server Error</html>"), key: 99);
        var routed = TestTickets.Routed();
        var photo = FakeIntake.Jpeg(1);
        var attachment = Intake.Serves(routed.TicketId, "photo.jpg", "image/jpeg", photo);
        Itop.HasAttachments(
            (40, FakeItop.Attachment(15, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(2))),
            (41, FakeItop.Attachment(15, "autre.jpg", "image/jpeg", photo)),
            (42, FakeItop.Attachment(15, "photo.jpg", "image/jpeg", photo)));

        await _harness.Bus.Publish(WithFiles(routed, attachment));

        await SentAsync(attachment.Id);
        Assert.That(await _app.SentDocumentAsync(attachment.Id), Is.EqualTo(new SentDocumentRow("sent", "42", 1, null)),
            "the Attachment with the same name and the same content");
        Assert.That(Itop.Requests("core/create", "Attachment"), Has.Count.EqualTo(1));
        var lookup = FakeItop.Oql(Itop.Requests("core/get", "Attachment").Single());
        Assert.That(lookup, Is.EqualTo("SELECT Attachment WHERE item_class = 'UserRequest' AND item_id = 15"));
    }

    [Test]
    public async Task Does_not_take_the_Attachment_of_another_file_with_the_same_name_and_content_for_a_lost_one()
    {
        Itop.CreatesRequest(15);
        var routed = TestTickets.Routed();
        var photo = FakeIntake.Jpeg(1);
        var first = Intake.Serves(routed.TicketId, "image.jpg", "image/jpeg", photo);
        var twin = Intake.Serves(routed.TicketId, "image.jpg", "image/jpeg", photo);
        // The first file is created as 40; the twin's create is lost before iTop stored it.
        var created = 0;
        Itop.Server.Given(FakeItop.Call("core/create", "Attachment")).InScenario("twins").WillSetStateTo("one created")
            .RespondWith(FakeItop.JsonFrom(_ =>
            {
                created++;
                return JsonNode.Parse("""{"objects":{"Attachment::40":{"code":0,"message":"created","class":"Attachment","key":40,"fields":{"id":40}}},"code":0,"message":null}""")!;
            }));
        Itop.Server.Given(FakeItop.Call("core/create", "Attachment")).InScenario("twins").WhenStateIs("one created").WillSetStateTo("lost")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(500));
        Itop.Server.Given(FakeItop.Call("core/create", "Attachment")).InScenario("twins").WhenStateIs("lost")
            .RespondWith(FakeItop.Json(JsonNode.Parse("""{"objects":{"Attachment::41":{"code":0,"message":"created","class":"Attachment","key":41,"fields":{"id":41}}},"code":0,"message":null}""")!));
        Itop.HasAttachments((40, FakeItop.Attachment(15, "image.jpg", "image/jpeg", photo)));

        await _harness.Bus.Publish(WithFiles(routed, first, twin));

        await SentAsync(twin.Id);
        Assert.That((await _app.SentDocumentAsync(first.Id))?.DocumentId, Is.EqualTo("40"));
        Assert.That(await _app.SentDocumentAsync(twin.Id), Is.EqualTo(new SentDocumentRow("sent", "41", 2, null)), "40 is the first file's: the twin is created anew");
        Assert.That(created, Is.EqualTo(1));
    }

    [Test]
    public async Task Forwards_the_request_when_iTop_refuses_a_file()
    {
        Itop.CreatesRequest(15);
        Itop.AnswersFirstAttachmentWith(FakeItop.Json(new JsonObject { ["code"] = 100, ["message"] = "Error: contents: file too large" }), key: 32);
        var routed = TestTickets.Routed();
        var refused = Intake.Serves(routed.TicketId, "video.mp4", "video/mp4", FakeIntake.Jpeg(3));
        var accepted = Intake.Serves(routed.TicketId, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(1));

        await _harness.Bus.Publish(WithFiles(routed, refused, accepted));

        await SentAsync(accepted.Id);
        Assert.That(await _app.SentDocumentAsync(refused.Id), Is.EqualTo(new SentDocumentRow(
            "refused", null, 1, "iTop a refusé le fichier (code 100) : Error: contents: file too large")));
        Assert.That(Itop.Requests("core/create", "Attachment"), Has.Count.EqualTo(2));
        Assert.That(_harness.Published.Select<TicketForwarded>().Count(), Is.EqualTo(1));
        Assert.That(_harness.Published.Select<TicketForwardingFailed>().Any(), Is.False);
        var notice = await NotDeliveredAsync(refused.Id);
        Assert.That(notice with { At = default }, Is.EqualTo(new TicketAttachmentNotDelivered(
            routed.TicketId, "TH-2026-000042", refused.Id, "video.mp4", ExternalTools.Itop, "fichier trop volumineux pour iTop (2 Ko)", default)));
        await _harness.InactivityTask;
        Assert.That(_harness.Published.Select<TicketAttachmentNotDelivered>().Select(m => m.Context.Message.AttachmentId), Is.EqualTo(new[] { refused.Id }),
            "intake hears of the refused file only");
    }

    [Test]
    public async Task Tells_intake_once_that_the_server_in_front_of_iTop_refused_a_file_for_its_size_even_when_the_message_comes_again()
    {
        Itop.CreatesRequest(15);
        Itop.AnswersFirstAttachmentWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(413).WithBody("<html><h1>413 Request Entity Too Large</h1></html>"), key: 32);
        var routed = TestTickets.Routed();
        var photo = Intake.Serves(routed.TicketId, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(1, length: 100 * 1024));
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(WithFiles(routed, photo), context => context.MessageId = messageId);
        await Eventually.TrueAsync(async () => (await _app.SentDocumentAsync(photo.Id))?.State == "refused", "file recorded as refused", seconds: 20);
        await _harness.Bus.Publish(WithFiles(routed, photo), context => context.MessageId = messageId);

        await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("Ticket TH-2026-000042 already delivered to iTop as 15; nothing to do", StringComparison.Ordinal)), "second delivery handled", seconds: 15);
        var notice = await NotDeliveredAsync(photo.Id);
        await _harness.InactivityTask;
        Assert.That((notice.FileName, notice.Tool, notice.Reason), Is.EqualTo(("photo.jpg", ExternalTools.Itop, "fichier trop volumineux pour le serveur d'iTop (100 Ko)")));
        Assert.That(await _app.InOutboxAsync<TicketAttachmentNotDelivered>(), Is.EqualTo(1), "once, whatever the redeliveries");
        Assert.That(_harness.Published.Select<TicketAttachmentNotDelivered>().Count(), Is.EqualTo(1));
        Assert.That(Itop.Requests("core/create", "Attachment"), Has.Count.EqualTo(1), "a refused file is not sent again");
    }

    [Test]
    public async Task Never_writes_the_intake_API_key_in_a_log_even_when_intake_refuses_it()
    {
        await _app.DisposeAsync();
        _app = new ConnectorApp(new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        });
        _harness = _app.Harness;
        Itop.CreatesRequest(15);
        Itop.CreatesAttachments();
        var routed = TestTickets.Routed();
        var attachment = Intake.RefusesThenServes(routed.TicketId, 401, "photo.jpg", "image/jpeg", FakeIntake.Jpeg(1));

        await _harness.Bus.Publish(WithFiles(routed, attachment));

        await SentAsync(attachment.Id);
        Assert.That(_app.Logs.Lines, Has.Some.Contains("Intake answered HTTP 401"));
        Assert.That(_app.Logs.Lines.Where(line => line.Contains(FakeIntake.ApiKey, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task A_comments_files_become_Attachments_of_the_request_once_after_the_comment_even_when_the_message_comes_twice()
    {
        Itop.AcceptsLogEntries();
        Itop.CreatesAttachments(firstKey: 41);
        var routed = TestTickets.Routed(uai: "0931234X");
        await _app.RecordCreatedAsync(routed.TicketId, routed.Reference, 15);
        var photo = Intake.Serves(routed.TicketId, "ecran.jpg", "image/jpeg", FakeIntake.Jpeg(2));
        var comment = TestTickets.Comment(routed, "Voici la photo de l'écran.") with { Attachments = [photo], CollegeUai = "0931234X" };
        var messageId = NewId.NextGuid();
        var consumed = new ConsumedCounter<TicketCommentAdded>();
        _harness.Bus.ConnectConsumeObserver(consumed);

        await _harness.Bus.Publish(comment, context => context.MessageId = messageId);
        await SentAsync(photo.Id);
        await _harness.Bus.Publish(comment, context => context.MessageId = messageId);
        await Eventually.TrueAsync(() => consumed.Count >= 2, "both deliveries handled");

        var log = FakeItop.JsonData(Itop.Requests("core/update").Single());
        Assert.That(log["fields"]!["public_log"]!["add_item"]!["message"]!.GetValue<string>(), Does.Contain("Fichier joint au ticket : ecran.jpg"), "the comment names its file");
        var created = Itop.Requests("core/create", "Attachment").Single();
        var fields = FakeItop.JsonData(created)["fields"]!;
        Assert.That((fields["item_class"]!.GetValue<string>(), fields["item_id"]!.GetValue<int>(), fields["contents"]!["filename"]!.GetValue<string>()),
            Is.EqualTo(("UserRequest", 15, "ecran.jpg")), "on the request, once");
        Assert.That(await _app.SentDocumentAsync(photo.Id), Is.EqualTo(new SentDocumentRow("sent", "41", 1, null)));
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

    private static TicketRouted WithFiles(TicketRouted routed, params AttachmentRef[] attachments) =>
        routed with { Ticket = routed.Ticket with { Attachments = attachments } };
}
