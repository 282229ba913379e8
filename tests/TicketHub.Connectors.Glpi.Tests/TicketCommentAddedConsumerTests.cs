using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>What the collège adds to its ticket reaches the GLPI ticket as a follow-up, once.</summary>
public sealed class TicketCommentAddedConsumerTests
{
    private static FakeGlpi Glpi => GlpiServers.Glpi;

    private ConnectorApp _app = null!;
    private ITestHarness _harness = null!;
    private ConsumedCounter<TicketCommentAdded> _deliveries = null!;

    [SetUp]
    public void SetUp()
    {
        Glpi.Reset();
        Glpi.AcceptsLogin("session-1");
        Glpi.AcceptsFollowups(firstId: 40);
        _app = new ConnectorApp();
        _harness = _app.Harness;
        _deliveries = new ConsumedCounter<TicketCommentAdded>();
        _harness.Bus.ConnectConsumeObserver(_deliveries);
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    private static TicketCommentAdded Comment(Guid ticketId, string? tool = ExternalTools.Glpi, Guid? commentId = null) => new(
        ticketId, "TH-2026-000042", commentId ?? Guid.NewGuid(),
        "Le vidéoprojecteur de la <salle 4> & du CDI.\nMerci de passer avant 16 h.", "Claire Martin",
        new DateTimeOffset(2026, 11, 20, 13, 0, 0, TimeSpan.Zero), tool, "15");

    /// <summary>Waits until <paramref name="count"/> deliveries of TicketCommentAdded were consumed, redeliveries included.</summary>
    private async Task ConsumedAsync(int count)
    {
        for (var waited = TimeSpan.Zero; _deliveries.Count < count; waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.That(waited, Is.LessThan(TimeSpan.FromSeconds(30)), $"only {_deliveries.Count} of {count} deliveries were consumed");
            await Task.Delay(50);
        }
    }

    [Test]
    public async Task Posts_the_comment_once_as_an_escaped_follow_up_signed_by_the_college_even_when_delivered_twice()
    {
        var ticket = Guid.NewGuid();
        await _app.HoldsTicketAsync(ticket, "TH-2026-000042", 15, new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
        var comment = Comment(ticket);
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(comment, context => context.MessageId = messageId);
        await _harness.Bus.Publish(comment, context => context.MessageId = messageId);
        await _harness.Bus.Publish(comment);
        await ConsumedAsync(3);

        var posts = Glpi.Requests("POST", "/Ticket/15/ITILFollowup");
        Assert.That(posts, Has.Count.EqualTo(1), "a redelivery and the same comment sent anew post nothing more");
        var input = JsonNode.Parse(posts[0].RequestMessage.Body!)!["input"]!;
        Assert.That(input["items_id"]!.GetValue<int>(), Is.EqualTo(15));
        Assert.That(input["itemtype"]!.GetValue<string>(), Is.EqualTo("Ticket"));
        Assert.That(input["is_private"]!.GetValue<int>(), Is.Zero);
        Assert.That(input["content"]!.GetValue<string>(), Is.EqualTo(
            "<p><strong>Message du collège (Claire Martin)</strong> :</p><p>Le vidéoprojecteur de la &lt;salle 4&gt; &amp; du CDI.<br>Merci de passer avant 16 h.</p>"));
        Assert.That(_app.Logs.Lines, Has.Some.Contains($"Comment {comment.CommentId} of ticket TH-2026-000042 is already follow-up 40 in GLPI"));
    }

    [Test]
    public async Task Leaves_comments_for_other_tools_alone()
    {
        await _harness.Bus.Publish(Comment(Guid.NewGuid(), tool: ExternalTools.Itop));
        await ConsumedAsync(1);

        Assert.That(Glpi.Server.LogEntries, Is.Empty);
    }

    [Test]
    public async Task Keeps_a_comment_for_a_ticket_not_yet_in_GLPI_for_a_later_try_rather_than_dropping_it()
    {
        var comment = Comment(Guid.NewGuid());

        await _harness.Bus.Publish(comment);

        await Eventually.TrueAsync(
            () => _app.Logs.Lines.Any(line => line.Contains("TicketCommentAdded", StringComparison.Ordinal) && line.Contains("delayed redelivery 1 of", StringComparison.Ordinal)),
            "the comment kept for a later try", seconds: 30);
        Assert.That(_app.Logs.Lines, Has.Some.Contains("TH-2026-000042 is not (or no longer) held by GLPI"), "why, in the log");
        Assert.That(Glpi.Server.LogEntries, Is.Empty, "nothing sent to GLPI");
    }
}
