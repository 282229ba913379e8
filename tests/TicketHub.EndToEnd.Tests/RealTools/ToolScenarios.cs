using System.Text.Json.Nodes;
using TicketHub.EndToEnd.Tests.Infrastructure;
using static TicketHub.RealTools.ScenarioSupport;

namespace TicketHub.RealTools;

/// <summary>
/// The connectors' promises, written once and kept by every tool (<see cref="IToolUnderTest"/>): the
/// real GLPI and iTop, and PASS and Omère as the sandbox plays their contract; through the real
/// broker, classifier, intake, gateway and connector processes (issue 11): one ticket whatever the
/// crashes and the duplicate messages; the technician's work back to the collège as readable text,
/// across several pages of the tool's answers; the collège's comment out once and never echoed; a
/// note when the Pôle TIE sends the request elsewhere, and another when it comes back. Files are
/// <see cref="FileScenarios"/> (the tools that take them); what only one tool has (GLPI's session,
/// iTop's classes) is in <see cref="GlpiScenarios"/> and <see cref="ItopScenarios"/>.
/// </summary>
[TestFixtureSource(nameof(Tools))]
[NonParallelizable]
public sealed class ToolScenarios(IToolUnderTest tool)
{
    public static IEnumerable<TestFixtureData> Tools() =>
    [
        new TestFixtureData(new RealGlpiUnderTest()).SetArgDisplayNames("GLPI 10"),
        new TestFixtureData(new RealItopUnderTest()).SetArgDisplayNames("iTop 3.2 ITIL"),
        new TestFixtureData(new SandboxToolUnderTest(ToolKind.Pass)).SetArgDisplayNames("PASS (sandbox)"),
        new TestFixtureData(new SandboxToolUnderTest(ToolKind.Omere)).SetArgDisplayNames("Omère (sandbox)"),
    ];

    private RealToolHub _hub = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _hub = await RealHubs.ForAsync(tool.Tool);

    [Test]
    public async Task A_ticket_the_tool_created_while_the_connector_was_killed_is_found_again_and_not_created_twice()
    {
        // ASCII: the connectors' JSON escapes accented letters, and the rule matches the raw body.
        var marker = Marker("crash");
        var held = _hub.Proxy.Hold(request => tool.IsTicketCreation(request) && request.Body.Contains(marker, StringComparison.Ordinal));

        var (id, _) = await _hub.SubmitAsync(tool.NewTicket($"Vidéoprojecteur éteint {marker}"));
        await held.Reached.WaitAsync(Settle);
        var created = tool.CreatedId(held.ToolBody);
        _hub.KillConnector();
        held.Drop();
        Assert.That(await tool.TicketsTitledAsync(marker), Is.EqualTo(new[] { created }), "the tool holds the ticket; the connector never heard of it");
        await _hub.StartConnectorAsync();

        Assert.That(await _hub.WaitForwardedAsync(id), Is.EqualTo(created), "the restarted connector found the ticket by its reference");
        Assert.That(await tool.TicketsTitledAsync(marker), Is.EqualTo(new[] { created }), "one ticket in the tool");
    }

    [Test]
    public async Task The_same_routed_ticket_delivered_twice_and_again_under_a_new_message_id_stays_one_ticket_in_the_tool()
    {
        var marker = Marker("twice");
        await using var routed = await RoutedMessages.StartAsync(_hub.VirtualHost);
        var (id, reference) = await _hub.SubmitAsync(tool.NewTicket($"Tableau blanc interactif {marker}"));
        var published = await routed.OfAsync(id);
        var externalId = await _hub.WaitForwardedAsync(id);

        // The very message again (a redelivery, an outbox that sent it twice), then the same ticket
        // under a message id never seen (the inbox cannot recognise it: only the ledger can).
        await routed.SendAsync(_hub.RoutedQueue, published.Message, published.MessageId);
        await routed.SendAsync(_hub.RoutedQueue, published.Message, Guid.NewGuid());
        // The connectors keep no inbox for routed tickets: the ledger, keyed by the ticket, recognises both.
        await _hub.EventuallyAsync(() => Task.FromResult(_hub.ConnectorLogLines($"Ticket {reference} already delivered").Count), count => count >= 2, "the connector saying twice it had delivered it already");
        await _hub.EventuallyAsync(() => Task.FromResult(Broker.Messages(_hub.VirtualHost).GetValueOrDefault(_hub.RoutedQueue)), count => count == 0, "the connector's queue empty");

        Assert.That(await tool.TicketsTitledAsync(marker), Is.EqualTo(new[] { externalId }), "one ticket in the tool");
        Assert.That(_hub.Proxy.Seen.Count(request => tool.IsTicketCreation(request) && request.Body.Contains(marker, StringComparison.Ordinal)), Is.EqualTo(1), "created once");
        var ticket = await _hub.WaitForTicketAsync(id, t => Status(t) == "forwarded");
        Assert.That(ticket["external"]!["id"]!.GetValue<string>(), Is.EqualTo(externalId), "the hub still points at that ticket");
        Assert.That(Broker.ErrorQueueMessages(_hub.VirtualHost).Values.Sum(), Is.Zero, "nothing in an error queue");
    }

    [Test]
    public async Task A_technicians_status_reply_and_solution_reach_the_collège_as_readable_text()
    {
        var marker = Marker("work");
        var (id, _) = await _hub.SubmitAsync(tool.NewTicket($"Écran noir {marker}"));
        var externalId = await _hub.WaitForwardedAsync(id);

        await tool.TakeInHandAsync(externalId);
        await _hub.WaitForTicketAsync(id, t => Status(t) == "in-progress", Settle);
        await tool.ReplyAsync(externalId, new TechnicianText(
            $"<p>Bonjour,</p><p>Je passe <strong>jeudi</strong> &amp; j'apporte le câble :</p><ul><li>salle 12</li><li>salle 14 &amp; CDI</li></ul><p>{marker}</p>",
            $"Bonjour,\n\nJe passe jeudi & j'apporte le câble :\n\n- salle 12\n- salle 14 & CDI\n\n{marker}"));
        await _hub.WaitForTicketAsync(id, t => Replies(t).Any(reply => reply.Contains(marker, StringComparison.Ordinal)), Settle);
        await tool.ResolveAsync(externalId, new TechnicianText(
            $"<p>Câble &lt;HDMI&gt; remplacé.</p><p>Merci de vérifier l'image ({marker}).</p>",
            $"Câble <HDMI> remplacé.\n\nMerci de vérifier l'image ({marker})."));

        var resolved = await _hub.WaitForTicketAsync(id, t => Status(t) == "resolved" && Replies(t).Count >= 2, Settle);
        var replies = Replies(resolved);
        Assert.That(replies, Does.Contain($"Bonjour,\n\nJe passe jeudi & j'apporte le câble :\n\n- salle 12\n- salle 14 & CDI\n\n{marker}"), "the reply as the collège reads it, its list kept");
        Assert.That(replies, Does.Contain($"Câble <HDMI> remplacé.\n\nMerci de vérifier l'image ({marker})."), "the solution as the collège reads it");
        Assert.That(replies.Count(reply => reply.StartsWith("Bonjour,", StringComparison.Ordinal)), Is.EqualTo(1), "the reply once");
        Assert.That(string.Join("\n", replies), Does.Not.Contain("<p>").And.Not.Contain("&amp;").And.Not.Contain("&#"), "no markup left");
    }

    [Test]
    public async Task A_collèges_comment_reaches_the_tool_once_and_never_comes_back_as_a_reply()
    {
        var marker = Marker("comment");
        var (id, _) = await _hub.SubmitAsync(tool.NewTicket($"Imprimante bloquée {marker}"));
        var externalId = await _hub.WaitForwardedAsync(id);

        var comment = $"Le voyant clignote « orange » <depuis hier> & le bac 2 est vide ({marker}).";
        await _hub.PostAsAsync("college", $"/api/v1/tickets/{id}/comments", new { text = comment });
        await _hub.EventuallyAsync(() => tool.MessagesAsync(externalId), messages => messages.Any(m => m.Contains(marker, StringComparison.Ordinal)), "the comment in the tool");

        // A technician's later reply that reaches the hub proves the sync has read past the comment.
        var later = $"Bac rechargé ({marker}).";
        await tool.ReplyAsync(externalId, new TechnicianText($"<p>{later}</p>", later));
        var ticket = await _hub.WaitForTicketAsync(id, t => Replies(t).Contains(later), Settle);
        Assert.That((await tool.MessagesAsync(externalId)).Count(m => m.Contains(comment, StringComparison.Ordinal)), Is.EqualTo(1), "the comment once in the tool, as written");
        var about = Timeline(ticket).Where(e => e["text"]?.GetValue<string>() == comment).ToList();
        Assert.That(about.Select(e => e["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "comment" }), "once in the hub, never echoed back as a reply: " + ticket["timeline"]!.ToJsonString());
    }

    [Test]
    public async Task A_reply_by_mail_to_a_notification_reaches_the_tool_once_and_its_echo_is_no_mail()
    {
        var marker = Marker("mailreply");
        var (id, _) = await _hub.SubmitAsync(tool.NewTicket($"Écran noir {marker}"));
        var externalId = await _hub.WaitForwardedAsync(id);
        var first = await _hub.EventuallyAsync(() => Task.FromResult(MailsAbout(id).FirstOrDefault()), mail => mail is not null, "the ticket's first mail");

        var written = $"Le câble HDMI est bien branché, rien ne change ({marker}).";
        var reply = new MimeKit.MimeMessage { Subject = "Re: " + first!.Subject, InReplyTo = first.MessageId,
            Body = new MimeKit.TextPart("plain") { Text = $"{written}\n\nLe 6 déc. 2026 à 10:15, TicketHub a écrit :\n> Votre demande est enregistrée" } };
        reply.From.Add(first.To.Mailboxes.Single());
        reply.To.Add(first.ReplyTo.Mailboxes.Single());
        await new TicketHub.ServiceDefaults.Mail.SmtpSettings { Host = "127.0.0.1", Port = _hub.Mail.Port, Security = MailKit.Security.SecureSocketOptions.None }
            .SendAsync(reply, CancellationToken.None);
        await _hub.EventuallyAsync(() => tool.MessagesAsync(externalId), messages => messages.Any(m => m.Contains(marker, StringComparison.Ordinal)), "the reply in the tool");

        // A technician's later reply that reaches the hub (and its mail) proves the sync has read past it.
        var later = $"Je passe demain matin ({marker}).";
        await tool.ReplyAsync(externalId, new TechnicianText($"<p>{later}</p>", later));
        var ticket = await _hub.WaitForTicketAsync(id, t => Replies(t).Contains(later), Settle);
        await _hub.EventuallyAsync(() => Task.FromResult(MailsAbout(id)), mails => mails.Any(m => (m.TextBody ?? "").Contains(later, StringComparison.Ordinal)), "the technician's reply by mail");

        Assert.That((await tool.MessagesAsync(externalId)).Count(m => m.Contains(written, StringComparison.Ordinal)), Is.EqualTo(1), "the reply once in the tool");
        Assert.That(Timeline(ticket).Where(e => e["text"]?.GetValue<string>() == written).Select(e => e["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "comment" }),
            "once in the hub, the collège's, quote removed");
        Assert.That(MailsAbout(id).Where(m => (m.TextBody ?? "").Contains(written, StringComparison.Ordinal)), Is.Empty, "the collège's own words never come back by mail");
    }

    private List<MimeKit.MimeMessage> MailsAbout(string ticketId) =>
        [.. _hub.Mail.Messages().Where(m => m.Headers["X-TicketHub-Ticket-Id"] == ticketId)];

    [Test]
    public async Task A_ticket_the_Pôle_TIE_sends_elsewhere_gets_one_note_in_the_tool_with_the_reason()
    {
        var marker = Marker("moved");
        var (id, reference) = await _hub.SubmitAsync(tool.NewTicket($"Poste de la vie scolaire {marker}"));
        var externalId = await _hub.WaitForwardedAsync(id);
        var reason = $"Application Op@le : c'est le Rectorat <PASS> & non l'infogérant ({marker}).";

        await _hub.PostAsAsync("dispatcher", $"/api/v1/tickets/{id}/reroute", tool.MoveAway(reason));

        var messages = await _hub.EventuallyAsync(() => tool.MessagesAsync(externalId), found => found.Any(m => m.Contains(marker, StringComparison.Ordinal)), "the note in the tool");
        var notes = messages.Where(m => m.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.That(notes, Has.Count.EqualTo(1), "one note");
        Assert.That(notes[0], Does.StartWith("Demande réorientée par le Pôle TIE le ").And.Contain($" vers {tool.MovedTo}.").And.Contain($"Motif : {reason}")
            .And.Contain($"(référence TicketHub {reference}) ; il peut être clos."));
    }

    [Test]
    public async Task A_ticket_sent_back_to_the_tool_after_a_reroute_stays_one_ticket_told_both_times()
    {
        var marker = Marker("back");
        var (id, _) = await _hub.SubmitAsync(tool.NewTicket($"Aller-retour {marker}"));
        var externalId = await _hub.WaitForwardedAsync(id);

        await _hub.PostAsAsync("dispatcher", $"/api/v1/tickets/{id}/reroute", tool.MoveAway("Ce n'est pas pour cette équipe."));
        await _hub.EventuallyAsync(() => tool.MessagesAsync(externalId), found => found.Any(m => m.Contains("Demande réorientée", StringComparison.Ordinal)), "the note that it went away");
        // Sent back: the classifier publishes a second TicketRouted for the same ticket, a manual one.
        await _hub.PostAsAsync("dispatcher", $"/api/v1/tickets/{id}/reroute", tool.SendBack("Erreur : c'est bien cette équipe."));
        var messages = await _hub.EventuallyAsync(() => tool.MessagesAsync(externalId), found => found.Any(m => m.Contains("Demande de nouveau orientée", StringComparison.Ordinal)), "the note that it came back");
        var back = await _hub.WaitForTicketAsync(id, t => t["route"]?["rule"]?.GetValue<string>() == "MANUAL" && Status(t) == "forwarded"
            && t["external"]?["tool"]?.GetValue<string>() == _hub.ToolName, Settle);

        Assert.That(back["external"]!["id"]!.GetValue<string>(), Is.EqualTo(externalId), "the same ticket");
        Assert.That(await tool.TicketsTitledAsync(marker), Is.EqualTo(new[] { externalId }), "one ticket in the tool");
        Assert.That(messages.Count(m => m.Contains("Demande de nouveau orientée", StringComparison.Ordinal)), Is.EqualTo(1), "told once that it came back");
    }

    [Test]
    public async Task Tickets_a_technician_takes_in_hand_together_all_reach_the_collège_across_several_pages_of_the_tools_answers()
    {
        // The scenarios' connector reads RealToolHub.SmallSyncPage tickets per page or query; seven need three at least.
        var marker = Marker("pages");
        var submitted = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            submitted.Add((await _hub.SubmitAsync(tool.NewTicket($"Poste {i + 1} de la salle 21 {marker}"))).Id);
        }

        var externalIds = new List<string>();
        foreach (var id in submitted)
        {
            externalIds.Add(await _hub.WaitForwardedAsync(id));
        }

        foreach (var externalId in externalIds)
        {
            await tool.TakeInHandAsync(externalId);
        }

        foreach (var id in submitted)
        {
            await _hub.WaitForTicketAsync(id, t => Status(t) == "in-progress", Settle);
        }

        Assert.That(externalIds.Distinct().Count(), Is.EqualTo(7), "seven tickets in the tool");
    }

    private static string Status(JsonObject ticket) => ticket["status"]!.GetValue<string>();

    private static IEnumerable<JsonObject> Timeline(JsonObject ticket) => ticket["timeline"]!.AsArray().Select(e => e!.AsObject());

    private static List<string> Replies(JsonObject ticket) =>
        [.. Timeline(ticket).Where(e => e["kind"]!.GetValue<string>() == "reply").Select(e => e["text"]!.GetValue<string>())];
}
