using MassTransit;
using System.Text.Json;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// The connector, wired as it runs, against the sandbox's iTop emulator: what one writes the other
/// reads, so that a local run with the sandbox behaves as it will with iTop.
/// </summary>
public sealed class ConnectorAgainstSandboxTests
{
    private SandboxItop _itop = null!;
    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public void SetUp()
    {
        _itop = new SandboxItop();
        _app = new ConnectorApp(SandboxItop.ConnectorSettings(), services: _itop.Serve);
        _harness = _app.Services.GetTestHarness();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _itop.DisposeAsync();
    }

    [Test]
    public async Task Creates_the_request_reads_it_back_and_brings_status_replies_and_solution_back()
    {
        var routed = TestTickets.Routed(urgency: "critical", type: "request");

        await _harness.Bus.Publish(routed);

        var forwarded = await PublishedAsync<TicketForwarded>(_ => true);
        Assert.That(forwarded.ExternalId, Is.EqualTo("1"));
        Assert.That(forwarded.ExternalUrl, Is.EqualTo("http://localhost/itop/pages/UI.php?operation=details&class=UserRequest&id=1"));
        var request = (await _itop.RequestsAsync()).Single();
        Assert.That(Text(request, "ref"), Is.EqualTo("R-000001"));
        Assert.That((Text(request, "org_id"), Text(request, "caller_id"), Text(request, "service_id")), Is.EqualTo(("12", "34", "7")));
        Assert.That(Text(request, "title"), Is.EqualTo("Imprimante de la salle 12 en panne"));
        Assert.That(Text(request, "description"), Does.Contain("<strong>[TH-2026-000042]</strong>"));
        Assert.That((Text(request, "urgency"), Text(request, "request_type"), Text(request, "origin"), Text(request, "status")),
            Is.EqualTo(("1", "service_request", "portal", "new")));

        await _itop.StimulusAsync(1, "ev_assign");
        Assert.That((await PublishedAsync<ExternalTicketUpdated>(update => update.Status == HubStatuses.InProgress)).ExternalStatus, Is.EqualTo("assigned"));

        await _itop.ReplyAsync(1, "Je passe jeudi matin avec un toner.");
        var reply = await PublishedAsync<ExternalTicketUpdated>(update => update.ReplyText is not null);
        Assert.That((reply.ReplyText, reply.AuthorRole, reply.AuthorName, reply.ExternalEventId),
            Is.EqualTo(("Je passe jeudi matin avec un toner.", "technician", "Technicien Infogérant", "log:1:0")));

        await _itop.StimulusAsync(1, "ev_resolve", "Toner remplacé.");
        var resolved = await PublishedAsync<ExternalTicketUpdated>(update => update.Status == HubStatuses.Resolved);
        Assert.That(resolved.ReplyText, Is.EqualTo("Toner remplacé."));
        Assert.That(resolved.ExternalTimestamp, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(5)), "iTop's Paris time read back as the instant it was");
    }

    [Test]
    public async Task Sends_a_comment_to_the_public_log_and_does_not_bring_it_back()
    {
        var routed = TestTickets.Routed();
        await _harness.Bus.Publish(routed);
        await PublishedAsync<TicketForwarded>(_ => true);

        await _harness.Bus.Publish(TestTickets.Comment(routed, "Le photocopieur du CDI aussi.", externalId: "1"));
        await Eventually.TrueAsync(async () => (await _itop.RequestsAsync()).Single().GetProperty("public_log").GetProperty("entries").GetArrayLength() == 1,
            "the comment is in iTop");
        await _itop.ReplyAsync(1, "Bien noté.");
        await PublishedAsync<ExternalTicketUpdated>(update => update.ReplyText == "Bien noté.");

        var entry = (await _itop.RequestsAsync()).Single().GetProperty("public_log").GetProperty("entries")[0];
        Assert.That(entry.GetProperty("message").GetString(), Is.EqualTo("Message du collège (Claire Martin), via TicketHub :\nLe photocopieur du CDI aussi."));
        Assert.That(entry.GetProperty("user_login").GetString(), Is.EqualTo("Compte REST TicketHub"));
        var replies = _harness.Published.Select<ExternalTicketUpdated>().Select(message => message.Context.Message.ReplyText).Where(text => text is not null);
        Assert.That(replies, Is.EqualTo(new[] { "Bien noté." }), "the collège's own comment is not echoed back");
    }

    [Test]
    public async Task Finds_the_request_by_its_reference_after_a_crash_instead_of_creating_a_second_one()
    {
        var first = TestTickets.Routed(reference: "TH-2026-000042");
        await _harness.Bus.Publish(first);
        await PublishedAsync<TicketForwarded>(forwarded => forwarded.TicketId == first.TicketId);
        var crashed = TestTickets.Routed(reference: "TH-2026-000043");
        await _harness.Bus.Publish(crashed);
        await PublishedAsync<TicketForwarded>(forwarded => forwarded.TicketId == crashed.TicketId);
        // As if the connector had died after iTop created TH-2026-000043 and before it committed:
        // the same ticket comes again to a connector that only knows an attempt was started.
        await _app.ForgetCreationAsync(crashed.TicketId, crashed.Reference);
        var announced = _harness.Published.Select<TicketForwarded>().Count();

        await _harness.Bus.Publish(crashed);

        await Eventually.TrueAsync(() => _harness.Published.Select<TicketForwarded>().Count() > announced, "announced again");
        Assert.That(_harness.Published.Select<TicketForwarded>().Last().Context.Message.ExternalId, Is.EqualTo("2"));
        Assert.That(await _itop.RequestsAsync(), Has.Length.EqualTo(2), "no third request in iTop");
    }

    [Test]
    public async Task Reports_the_refusal_of_wrong_credentials_as_iTop_answers_it()
    {
        await using var wrong = new ConnectorApp(
            new(SandboxItop.ConnectorSettings()) { ["Itop:AuthPassword"] = "not-the-password" }, services: _itop.Serve);
        var harness = wrong.Services.GetTestHarness();
        var routed = TestTickets.Routed();

        await harness.Bus.Publish(routed);

        await Eventually.TrueAsync(() => harness.Published.Select<TicketForwardingFailed>().Any(), "the refusal");
        Assert.That(harness.Published.Select<TicketForwardingFailed>().Single().Context.Message.Reason, Is.EqualTo("iTop a refusé la demande (code 1) : Error: Invalid login"));
        Assert.That(wrong.Logs.Lines, Has.Some.Contains("check Itop:AuthUser, Itop:AuthPassword"));
        Assert.That(wrong.Logs.Lines, Has.None.Contains("not-the-password"));
    }

    [Test]
    public async Task Adds_each_file_to_the_emulated_request_as_an_Attachment_once()
    {
        var intake = ItopServers.Intake;
        intake.Reset();
        var routed = TestTickets.Routed();
        var photo = FakeIntake.Jpeg(5, length: 3000);
        var files = new[]
        {
            intake.Serves(routed.TicketId, "écran <salle 12>.jpg", "image/jpeg", photo),
            intake.Serves(routed.TicketId, "image.jpg", "image/jpeg", photo),
        };
        routed = routed with { Ticket = routed.Ticket with { Attachments = files } };
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await PublishedAsync<TicketForwarded>(_ => true);
        await Eventually.TrueAsync(async () => (await _app.SentDocumentAsync(files[1].Id))?.State == "sent", "both files sent", seconds: 30);
        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await Eventually.TrueAsync(() => _app.Logs.Lines.Any(line => line.Contains("already delivered to iTop as 1", StringComparison.Ordinal)), "second delivery handled", seconds: 15);

        using var client = _itop.CreateClient();
        var attachments = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement[]>(client, new Uri("/itop/_sandbox/attachments", UriKind.Relative));
        Assert.That(attachments!.Select(attachment => (Text(attachment, "item_class"), Text(attachment, "item_id"), Text(attachment, "item_org_id"))),
            Is.All.EqualTo(("UserRequest", "1", "12")));
        Assert.That(attachments!.Select(attachment => (Text(attachment, "filename"), Text(attachment, "mimetype"), attachment.GetProperty("size").GetInt64(), Text(attachment, "sha256"))),
            Is.EqualTo(files.Select(file => ((string?)file.FileName, (string?)file.ContentType, file.Size, (string?)file.Sha256))),
            "two files with the same content are two Attachments, each sent once");
        Assert.That((await _app.SentDocumentAsync(files[0].Id))?.DocumentId, Is.EqualTo("1"));
        Assert.That((await _app.SentDocumentAsync(files[1].Id))?.DocumentId, Is.EqualTo("2"));
    }

    private async Task<T> PublishedAsync<T>(Func<T, bool> match)
        where T : class
    {
        await Eventually.TrueAsync(() => _harness.Published.Select<T>(message => match(message.Context.Message)).Any(), $"a matching {typeof(T).Name}");
        return _harness.Published.Select<T>(message => match(message.Context.Message)).First().Context.Message;
    }

    private static string? Text(JsonElement request, string field) => request.GetProperty(field).GetString();
}
