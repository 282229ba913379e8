using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>A collège adds information: it reaches the iTop request's public log once, and never comes back as a reply.</summary>
public sealed class TicketCommentAddedConsumerTests
{
    private static FakeItop Itop => ItopServers.Itop;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;
    private ConsumedCounter<TicketCommentAdded> _consumed = null!;

    [SetUp]
    public async Task SetUp()
    {
        Itop.Reset();
        _app = new ConnectorApp();
        _harness = _app.Services.GetTestHarness();
        _consumed = new ConsumedCounter<TicketCommentAdded>();
        _harness.Bus.ConnectConsumeObserver(_consumed);
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Adds_the_comment_to_the_public_log_once_when_the_message_is_delivered_twice()
    {
        var technician = FakeItop.Entry("2024-11-20 11:00:00", "Technicien Infogérant", "5", "Je passe jeudi.");
        Itop.AcceptsLogEntries(technician);
        var routed = TestTickets.Routed();
        await _app.RecordCreatedAsync(routed.TicketId, routed.Reference, 15);
        var comment = TestTickets.Comment(routed, "Le photocopieur du CDI est touché aussi.\nMerci !");
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(comment, context => context.MessageId = messageId);
        await _harness.Bus.Publish(comment, context => context.MessageId = messageId);
        await Eventually.TrueAsync(() => _consumed.Count >= 2, "both deliveries handled");

        var update = Itop.Requests("core/update").Single();
        var expected = JsonNode.Parse("""
            {"operation":"core/update","class":"UserRequest","comment":"TicketHub TH-2026-000042","key":15,"output_fields":"id,last_update,public_log",
             "fields":{"public_log":{"add_item":{"message":"<p>Message du collège (Claire Martin), via TicketHub :<br>Le photocopieur du CDI est touché aussi.<br>Merci !</p>","format":"html"}}}}
            """);
        Assert.That(JsonNode.DeepEquals(FakeItop.JsonData(update), expected), Is.True, FakeItop.JsonData(update).ToJsonString());
        Assert.That(await _app.HubEntriesAsync(routed.TicketId), Is.EqualTo(new[] { (1, (string?)"3") }), "entry 1 is the hub's, written by the REST account");
    }

    [Test]
    public async Task Never_sends_the_comment_back_as_a_reply_while_the_technician_answer_comes_through()
    {
        var technician = FakeItop.Entry("2024-11-20 11:00:00", "Technicien Infogérant", "5", "Je passe jeudi.");
        Itop.AcceptsLogEntries(technician);
        var routed = TestTickets.Routed();
        var comment = TestTickets.Comment(routed);
        var text = $"Message du collège (Claire Martin), via TicketHub :\n{comment.Text}";
        Itop.AnswersSearchesWith(
            FakeItop.Found(),
            FakeItop.Found(),
            FakeItop.Found(FakeItop.UserRequest(15, "new", "2024-11-20 11:30:00",
                log: [technician, FakeItop.Entry("2024-11-20 11:30:00", "Compte REST TicketHub", "3", text)])));
        await _app.RecordCreatedAsync(routed.TicketId, routed.Reference, 15);

        await _harness.Bus.Publish(comment);
        await Eventually.TrueAsync(() => _consumed.Count >= 1, "the comment was handled");
        await Eventually.TrueAsync(() => _harness.Published.Select<ExternalTicketUpdated>().Any(), "the technician's reply");
        await Eventually.TrueAsync(() => Itop.Requests("core/get").Count >= 5, "a few more polls");

        var replies = _harness.Published.Select<ExternalTicketUpdated>().Select(message => message.Context.Message).ToList();
        Assert.That(replies.Select(reply => reply.ReplyText), Is.EqualTo(new[] { "Je passe jeudi." }));
    }

    [Test]
    public async Task Leaves_comments_on_tickets_of_other_tools_alone()
    {
        var routed = TestTickets.Routed();
        await _app.RecordCreatedAsync(routed.TicketId, routed.Reference, 15);

        await _harness.Bus.Publish(TestTickets.Comment(routed, tool: ExternalTools.Glpi, externalId: "15"));
        await _harness.Bus.Publish(TestTickets.Comment(routed, tool: null, externalId: null));

        await Eventually.TrueAsync(() => _consumed.Count >= 2, "both comments handled");
        Assert.That(Itop.Requests("core/update"), Is.Empty);
    }

    [Test]
    public async Task Keeps_a_comment_for_a_request_not_yet_in_iTop_for_a_later_try_rather_than_dropping_it()
    {
        var routed = TestTickets.Routed();

        await _harness.Bus.Publish(TestTickets.Comment(routed));

        await Eventually.TrueAsync(
            () => _app.Logs.Lines.Any(line => line.Contains("TicketCommentAdded", StringComparison.Ordinal) && line.Contains("delayed redelivery 1 of", StringComparison.Ordinal)),
            "the comment kept for a later try", seconds: 30);
        Assert.That(_app.Logs.Lines, Has.Some.Contains("TH-2026-000042 is not (or no longer) held by iTop"), "why, in the log");
        Assert.That(Itop.Requests("core/update"), Is.Empty, "nothing sent to iTop");
    }
}
