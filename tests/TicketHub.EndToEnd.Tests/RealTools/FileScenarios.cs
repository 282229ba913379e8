using System.Text;
using static TicketHub.RealTools.ScenarioSupport;

namespace TicketHub.RealTools;

/// <summary>
/// The collège's files, for the tools that take them as documents of their ticket (the real GLPI and
/// iTop; ADR 11): each stored once, even when the connector dies after the tool stored it and before
/// it recorded it. PASS and Omère take no file: their tickets name the files the hub keeps.
/// </summary>
[TestFixtureSource(nameof(Tools))]
[NonParallelizable]
public sealed class FileScenarios(IToolTakingFiles tool)
{
    public static IEnumerable<TestFixtureData> Tools() =>
    [
        new TestFixtureData(new RealGlpiUnderTest()).SetArgDisplayNames("GLPI 10"),
        new TestFixtureData(new RealItopUnderTest()).SetArgDisplayNames("iTop 3.2 ITIL"),
    ];

    private RealToolHub _hub = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _hub = await RealHubs.ForAsync(tool.Tool);

    [Test]
    public async Task A_file_the_tool_stored_while_the_connector_was_killed_is_stored_once()
    {
        var marker = Marker("file");
        var fileName = $"journal-{marker}.txt";
        var held = _hub.Proxy.Hold(request => tool.IsDocumentUpload(request) && request.Body.Contains(marker, StringComparison.Ordinal));

        var (id, reference) = await _hub.SubmitWithFileAsync(tool.NewTicket($"VPI et journal {marker}"), fileName,
            Encoding.UTF8.GetBytes($"Journal du VPI {marker}\n" + new string('x', 2048)), "text/plain");
        await held.Reached.WaitAsync(Settle);
        _hub.KillConnector();
        held.Drop();
        await _hub.StartConnectorAsync();
        // TicketForwarded may have been in the killed connector's outbox still: the restarted one sends it.
        var externalId = await _hub.WaitForwardedAsync(id);

        // The redelivered message finds the ticket delivered, then sends the files still missing.
        await _hub.EventuallyAsync(() => Task.FromResult(_hub.ConnectorLogLines($"Ticket {reference} already delivered").Count), count => count > 0, "the message handled again after the restart");
        await Task.Delay(TimeSpan.FromSeconds(5)); // a second upload, if any, lands meanwhile
        var documents = await tool.DocumentsAsync(externalId);
        Assert.That(documents.Select(document => document.FileName), Is.EqualTo(new[] { fileName }), "the file once on the ticket");
        Assert.That(_hub.Proxy.Seen.Count(request => tool.IsDocumentUpload(request) && request.Body.Contains(marker, StringComparison.Ordinal)),
            Is.EqualTo(1), "uploaded once: the restarted connector found the first upload");
        Assert.That(await tool.TicketsTitledAsync(marker), Is.EqualTo(new[] { externalId }), "and the ticket once");
    }

    [Test]
    public async Task A_file_sent_with_a_reply_by_mail_is_stored_once_on_the_tools_ticket_and_a_refused_one_is_named_in_an_answer()
    {
        var marker = Marker("mailfile");
        var (id, _) = await _hub.SubmitAsync(tool.NewTicket($"Écran noir et relevé {marker}"));
        var externalId = await _hub.WaitForwardedAsync(id);
        var first = await _hub.EventuallyAsync(() => Task.FromResult(_hub.Mail.Messages().FirstOrDefault(m => m.Headers["X-TicketHub-Ticket-Id"] == id)),
            mail => mail is not null, "the ticket's first mail");

        var fileName = $"releve-{marker}.txt";
        var written = $"Voici le relevé de l'erreur ({marker}).";
        var reply = new MimeKit.MimeMessage { Subject = "Re: " + first!.Subject, InReplyTo = first.MessageId, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("college.example") };
        reply.From.Add(first.To.Mailboxes.Single());
        reply.To.Add(first.ReplyTo.Mailboxes.Single());
        reply.Body = new MimeKit.Multipart("mixed")
        {
            new MimeKit.TextPart("plain") { Text = written },
            MailFile(fileName, "text", "plain", Encoding.UTF8.GetBytes($"Relevé {marker}\nCode 0x80070005\n")),
            MailFile("outil.exe", "application", "octet-stream", [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0]),
        };
        await new TicketHub.ServiceDefaults.Mail.SmtpSettings { Host = "127.0.0.1", Port = _hub.Mail.Port, Security = MailKit.Security.SecureSocketOptions.None }
            .SendAsync(reply, CancellationToken.None);

        await _hub.EventuallyAsync(() => tool.DocumentsAsync(externalId), documents => documents.Any(d => d.FileName == fileName), "the reply's file on the tool's ticket");
        var answer = await _hub.EventuallyAsync(() => Task.FromResult(_hub.Mail.Messages().FirstOrDefault(m => m.InReplyTo == reply.MessageId)),
            mail => mail is not null, "the answer naming the refused file");
        await Task.Delay(TimeSpan.FromSeconds(5)); // a second upload, if any, lands meanwhile

        Assert.That((await tool.DocumentsAsync(externalId)).Select(d => d.FileName), Is.EqualTo(new[] { fileName }), "the accepted file once, the program never");
        Assert.That((await tool.MessagesAsync(externalId)).Where(m => m.Contains(written, StringComparison.Ordinal)).ToList(),
            Has.Count.EqualTo(1).And.All.Contain(fileName), "the reply once in the tool, naming its file");
        Assert.That(answer!.TextBody, Does.Contain("sans les fichiers suivants").And.Contain("« outil.exe »"));
        Assert.That(answer.To.Mailboxes.Single().Address, Is.EqualTo(first.To.Mailboxes.Single().Address));
    }

    private static MimeKit.MimePart MailFile(string fileName, string mediaType, string subtype, byte[] content) =>
        new(mediaType, subtype)
        {
            Content = new MimeKit.MimeContent(new MemoryStream(content)),
            ContentDisposition = new MimeKit.ContentDisposition(MimeKit.ContentDisposition.Attachment),
            ContentTransferEncoding = MimeKit.ContentEncoding.Base64,
            FileName = fileName,
        };
}
