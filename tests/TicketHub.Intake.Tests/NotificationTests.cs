using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using TicketHub.Contracts;
using TicketHub.Intake.Tests.Support;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tests;

/// <summary>
/// The requester and the followers are told by e-mail of each step of their ticket (issue 15), through
/// the real SMTP server the project runs (<c>deploy/smtp.sh</c>): one mail per event, threaded on the
/// ticket, with RFC 8058's one-click unsubscribe, as each person chose; at least once when the server
/// was down.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class NotificationTests(DatabaseProvider provider)
{
    private const string SigningKey = "une-clé-de-test-assez-longue-pour-signer-les-liens";
    private static readonly DateTimeOffset T0 = TicketScenarios.T0;

    private SmtpMailbox _mailbox = null!;
    private IntakeFactory _factory = null!;
    private HttpClient _client = null!;
    private TicketScenarios _tickets = null!;

    [OneTimeSetUp]
    public void StartMailServer() => _mailbox = SmtpMailbox.Start();

    [OneTimeTearDown]
    public void StopMailServer() => _mailbox.Dispose();

    [SetUp]
    public void StartIntake()
    {
        _factory = new IntakeFactory(new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = _mailbox.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:Timeout"] = "00:00:05",
            ["Notifications:From"] = "TicketHub <tickethub@departement.example>",
            ["Notifications:PortalUrl"] = "https://tickethub.example",
            ["Notifications:MessageIdDomain"] = "tickethub.example",
            ["Notifications:SigningKey"] = SigningKey,
            ["Notifications:ReplyAddress"] = "reponses@tickethub.example",
            ["Notifications:ReplyMaildir"] = _mailbox.Maildir,
            ["Notifications:ReplyPollInterval"] = "00:00:00.300",
            ["Messaging:Retry:Immediate:0"] = "00:00:00.200",
            ["Messaging:Retry:Immediate:1"] = "00:00:00.500",
            ["Messaging:Retry:Immediate:2"] = "00:00:01",
            ["Messaging:Retry:Delayed:0"] = "00:00:02",
            ["Messaging:Retry:Delayed:1"] = "00:00:03",
            ["Messaging:Retry:Delayed:2"] = "00:00:05",
            ["Messaging:Retry:Delayed:3"] = "00:00:10",
            ["Messaging:Retry:PollInterval"] = "00:00:00.500",
        }, provider);
        _client = _factory.ClientFor(TestIdentity.Admin);
        _tickets = new TicketScenarios(_factory, _client);
    }

    [TearDown]
    public void StopIntake()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task Each_step_of_a_ticket_gives_one_mail_threaded_on_the_ticket_with_its_reference_a_link_and_one_click_unsubscribe()
    {
        var (id, reference) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        await _tickets.DeliverAsync(Update(id, reference, null, T0.AddMinutes(5), "followup:1", "Je passe jeudi."));
        await _tickets.DeliverAsync(Update(id, reference, HubStatuses.Waiting, T0.AddMinutes(10), "status:4", "Quel est le numéro du VPI ?"));
        await _tickets.DeliverAsync(Update(id, reference, HubStatuses.Resolved, T0.AddMinutes(20), "status:5", "Lampe changée."));

        var mails = await MailsAsync(id, 5);

        // The five mails are sent in parallel: their order of arrival is not the events' order.
        var title = (await _tickets.GetAsync(id))["title"]!.GetValue<string>();
        MimeMessage Titled(string headline) => mails.Single(m => m.Subject == $"[{reference}] {headline} : {title}");
        var received = Titled("Demande enregistrée");
        var others = new[] { "Demande transmise", "Réponse de l'équipe", "Une information vous est demandée", "Demande résolue" }.Select(Titled).ToList();
        var thread = $"{reference}@tickethub.example";
        Assert.That(received.MessageId, Is.EqualTo(thread), "the first mail heads the ticket's thread");
        Assert.That(others.Select(m => (m.InReplyTo, m.References.Single())), Is.All.EqualTo((thread, thread)));
        Assert.That(mails.Select(m => m.MessageId).Distinct().Count(), Is.EqualTo(5));
        var resolved = Titled("Demande résolue");
        Assert.That(resolved.To.Mailboxes.Single().Address, Is.EqualTo("claire.martin@ac-creteil.fr"), "the requester's address");
        Assert.That(resolved.TextBody, Does.Contain("> Lampe changée.").And.Contain($"https://tickethub.example/demandes/{id}"));
        Assert.That(resolved.HtmlBody, Does.Contain("<blockquote><p>Lampe changée.</p></blockquote>"));
        Assert.That(resolved.Headers["List-Unsubscribe-Post"], Is.EqualTo("List-Unsubscribe=One-Click"));
        Assert.That(resolved.Headers["List-Unsubscribe"]!, Does.StartWith("<https://tickethub.example/api/v1/notifications/unsubscribe?adresse=claire.martin%40ac-creteil.fr&jeton="));
        Assert.That(Titled("Une information vous est demandée").TextBody, Does.Contain("> Quel est le numéro du VPI ?"), "the team's question comes with its status, in one mail");
    }

    [Test]
    public async Task What_the_technician_did_on_site_reaches_the_requester_as_the_visits_mail()
    {
        var (id, reference) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using (var visit = await _client.PutAsJsonAsync($"/api/v1/visits/{Guid.NewGuid()}",
            new { collegeUai = "0931234X", visitedOn = day, technician = "Karim Benali", notes = new[] { new { ticket = id, text = "Lampe du VPI changée." } } }))
        {
            Assert.That(visit.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Created), await visit.Content.ReadAsStringAsync());
        }

        var mails = await MailsAsync(id, 3);

        var title = (await _tickets.GetAsync(id))["title"]!.GetValue<string>();
        var visited = mails.Single(m => m.Subject == $"[{reference}] Passage du technicien : {title}");
        Assert.That(visited.TextBody, Does.Contain("Le technicien de l'infogérant est passé dans votre collège").And.Contain("> Lampe du VPI changée."));
        Assert.That(visited.To.Mailboxes.Single().Address, Is.EqualTo("claire.martin@ac-creteil.fr"));
    }

    [Test]
    public async Task A_follower_is_told_too_and_the_collèges_own_comment_is_no_mail()
    {
        var (id, reference) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var teacher = new HubUser("prof", "Paul Durand", HubRoles.College, "0931234X", false);
        using (var follow = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{id}/followers")
        {
            Content = JsonContent.Create(new { email = "paul.durand@ac-creteil.fr", text = "Chez moi aussi." }),
        }.As(teacher)))
        {
            Assert.That(follow.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        await _tickets.DeliverAsync(Update(id, reference, HubStatuses.Resolved, T0.AddMinutes(20), "status:5", "Réparé."));

        var resolved = (await MailsAsync(id, 4)).Where(m => (m.Subject ?? "").Contains("résolue", StringComparison.Ordinal)).ToList();
        Assert.That(resolved.Select(m => m.To.Mailboxes.Single().Address), Is.EquivalentTo(new[] { "claire.martin@ac-creteil.fr", "paul.durand@ac-creteil.fr" }));
        Assert.That(resolved.Single(m => m.To.Mailboxes.Single().Address == "paul.durand@ac-creteil.fr").TextBody,
            Does.Contain("parce que vous suivez cette demande"));
        Assert.That(Mails(id).Count(m => (m.Subject ?? "").Contains("Réponse", StringComparison.Ordinal)), Is.Zero, "the follower's own words are not sent back to anyone");
    }

    [Test]
    public async Task Only_what_needs_an_answer_or_nothing_as_each_person_chose_and_a_GET_never_unsubscribes()
    {
        using var get = await _client.GetAsync($"/api/v1/notifications/preferences?email=claire.martin@ac-creteil.fr&token=faux");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a forged link");
        var (id, reference) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var unsubscribe = (await MailsAsync(id, 2))[0].Headers["List-Unsubscribe"]!.Trim('<', '>');
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(unsubscribe).Query)["jeton"]!;
        using (var choose = await _client.PutAsJsonAsync("/api/v1/notifications/preferences", new { email = "Claire.Martin@ac-creteil.fr", token, mode = "needs-answer" }))
        {
            Assert.That(choose.StatusCode, Is.EqualTo(HttpStatusCode.OK), await choose.Content.ReadAsStringAsync());
        }

        await _tickets.DeliverAsync(Update(id, reference, null, T0.AddMinutes(5), "followup:1", "Je passe jeudi."));
        await _tickets.DeliverAsync(Update(id, reference, HubStatuses.Waiting, T0.AddMinutes(10), "status:4", "Quel numéro ?"));
        var three = await MailsAsync(id, 3);
        Assert.That(three.Count(m => (m.Subject ?? "").Contains("Une information vous est demandée", StringComparison.Ordinal)), Is.EqualTo(1), "the question was sent");
        Assert.That(three.Count(m => (m.Subject ?? "").Contains("Réponse de l'équipe", StringComparison.Ordinal)), Is.Zero, "the reply was not");

        using (var clicked = await _client.GetAsync(new Uri(unsubscribe).PathAndQuery))
        {
            Assert.That(clicked.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "a link scanner following the link unsubscribes nobody");
        }

        using (var oneClick = await _client.PostAsync(new Uri(unsubscribe).PathAndQuery,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
        {
            Assert.That(oneClick.StatusCode, Is.EqualTo(HttpStatusCode.OK), await oneClick.Content.ReadAsStringAsync());
        }

        await _tickets.DeliverAsync(Update(id, reference, HubStatuses.Resolved, T0.AddMinutes(20), "status:5", "Réparé."));
        await Task.Delay(2000);
        Assert.That(Mails(id), Has.Count.EqualTo(3), "unsubscribed: not even the resolution");
    }

    [Test]
    public async Task A_mail_due_while_the_mail_server_is_stopped_is_delivered_once_when_it_starts_again()
    {
        _mailbox.Stop();
        (Guid Id, string Reference) ticket;
        try
        {
            ticket = await _tickets.RoutedAsync(ExternalTools.Glpi);
            await Task.Delay(TimeSpan.FromSeconds(4));
        }
        finally
        {
            _mailbox.Restart();
        }

        var mails = await MailsAsync(ticket.Id, 1, TimeSpan.FromSeconds(40));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(Mails(ticket.Id), Has.Count.EqualTo(1), "once, not once per attempt");
        Assert.That(mails[0].Subject, Does.Contain("Demande enregistrée"));
    }

    [Test]
    public async Task A_reply_to_a_notification_becomes_the_requesters_comment_without_its_quote_and_reaches_the_tool_once()
    {
        var (id, reference) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var first = (await MailsAsync(id, 1))[0];
        var replyTo = first.ReplyTo.Mailboxes.Single().Address;
        Assert.That(replyTo, Does.Match($"^reponses\\+{id:N}\\.[a-z0-9_-]{{22}}@tickethub\\.example$"));

        await SendAsync(Reply(first, "Claire Martin", "claire.martin@ac-creteil.fr",
            "Le numéro inscrit sous le VPI est 12-B.\n\nLe 6 déc. 2026 à 10:15, TicketHub a écrit :\n> Votre demande est enregistrée"));

        var timeline = await WaitForCommentAsync(id);
        Assert.That((timeline["text"]!.GetValue<string>(), timeline["author"]!.GetValue<string>()), Is.EqualTo(("Le numéro inscrit sous le VPI est 12-B.", "Claire Martin")));
        var sent = await _tickets.PublishedAsync<TicketCommentAdded>(c => c.TicketId == id);
        Assert.That((sent.Tool, sent.ExternalId), Is.EqualTo(("glpi", "15")), "to the team's tool");
        await Task.Delay(1500);
        Assert.That((await _tickets.GetAsync(id))["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "comment"), Is.EqualTo(1), "taken once");
        Assert.That(Directory.GetFiles(Path.Combine(_mailbox.Maildir, "new")).Any(f => System.IO.File.ReadAllText(f).Contains("12-B", StringComparison.Ordinal)), Is.False,
            "filed as read");
    }

    [Test]
    public async Task A_replys_files_pass_the_portals_checks_those_refused_are_named_in_an_answer_and_a_signatures_logo_is_no_file()
    {
        var (id, _) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var first = (await MailsAsync(id, 1))[0];
        var reply = Reply(first, "Claire Martin", "claire.martin@ac-creteil.fr", "");
        var html = new TextPart("html") { Text = "<p>Voici la photo de l'écran.</p><p><img src=\"cid:logo@college\"></p>" };
        var logo = new MimePart("image", "png") { Content = new MimeContent(new MemoryStream(SampleFiles.Png)), ContentId = "logo@college", FileName = "logo.png",
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) };
        reply.Body = new Multipart("mixed")
        {
            new Multipart("related") { html, logo },
            Attachment("ecran.png", "image", "png", SampleFiles.Png),
            Attachment("outil.exe", "application", "octet-stream", SampleFiles.Exe),
        };

        await SendAsync(reply);

        var comment = await WaitForCommentAsync(id);
        Assert.That(comment["text"]!.GetValue<string>(), Is.EqualTo("Voici la photo de l'écran."));
        Assert.That(comment["attachments"]!.AsArray().Select(a => a!["fileName"]!.GetValue<string>()), Is.EqualTo(new[] { "ecran.png" }), "the photo, not the logo nor the program");
        var sent = await _tickets.PublishedAsync<TicketCommentAdded>(c => c.TicketId == id);
        Assert.That(sent.Attachments!.Select(a => (a.FileName, a.ContentType)), Is.EqualTo(new[] { ("ecran.png", "image/png") }), "to the team's tool with the comment");

        var answer = await AnswerToAsync("claire.martin@ac-creteil.fr");
        Assert.That(answer.TextBody, Does.Contain("a été ajouté à la demande, mais sans les fichiers suivants").And.Contain("« outil.exe »").And.Contain("pas d'un type accepté"));
        Assert.That(answer.InReplyTo, Is.EqualTo(reply.MessageId));
    }

    [Test]
    public async Task A_reply_with_a_file_and_no_text_adds_the_file_with_a_line_saying_so()
    {
        var (id, _) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var first = (await MailsAsync(id, 1))[0];
        var reply = Reply(first, "Claire Martin", "claire.martin@ac-creteil.fr", "");
        reply.Body = new Multipart("mixed") { new TextPart("plain") { Text = "\n\nLe 6 déc. 2026 à 10:15, TicketHub a écrit :\n> Votre demande" }, Attachment("releve.pdf", "application", "pdf", SampleFiles.Pdf) };

        await SendAsync(reply);

        var comment = await WaitForCommentAsync(id);
        Assert.That(comment["text"]!.GetValue<string>(), Is.EqualTo("Pièce jointe envoyée par courriel."));
        Assert.That(comment["attachments"]!.AsArray().Single()!["contentType"]!.GetValue<string>(), Is.EqualTo("application/pdf"));
    }

    [Test]
    public async Task A_delivery_report_arriving_later_records_the_bounce_on_its_address_and_a_forged_one_changes_nothing()
    {
        var (id, reference) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var first = (await MailsAsync(id, 1))[0];
        var envelope = first.Headers["X-MailFrom"];
        Assert.That(envelope, Does.Match(@"^reponses\+rebond\.[a-z0-9_-]{22}@tickethub\.example$"), "the envelope sender is the address's own bounce address");
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(first.Headers["List-Unsubscribe"]!.Trim('<', '>')).Query)["jeton"]!;
        var preferences = $"/api/v1/notifications/preferences?email=claire.martin@ac-creteil.fr&token={Uri.EscapeDataString(token)}";

        // Someone else's bounce address, reporting Claire's address: believed for nobody.
        var forged = Report(_factory.Services.GetRequiredService<TicketHub.Intake.Notifications.NotificationLinks>().BounceAddress("quelqu.un@exemple.fr")!,
            "claire.martin@ac-creteil.fr");
        await SendAsync(forged);
        await FiledAsync(forged);
        Assert.That((await _client.GetFromJsonAsync<JsonObject>(preferences))!["bounced"]!.GetValue<bool>(), Is.False, "a forged report stops nothing");

        var report = Report(envelope!, "claire.martin@ac-creteil.fr");
        await SendAsync(report);
        await FiledAsync(report);
        Assert.That((await _client.GetFromJsonAsync<JsonObject>(preferences))!["bounced"]!.GetValue<bool>(), Is.True, "the report's failure recorded on the address");

        var before = Mails(id).Count;
        await _tickets.DeliverAsync(Update(id, reference, HubStatuses.Waiting, T0.AddMinutes(10), "status:4", "Quel numéro ?"));
        await Task.Delay(1500);
        Assert.That(Mails(id), Has.Count.EqualTo(before), "nothing more is sent to a bounced address");
        Assert.That(_mailbox.Messages().Count(m => m.InReplyTo == report.MessageId || m.InReplyTo == forged.MessageId), Is.Zero, "a report is never answered");
    }

    /// <summary>A mail server's report (RFC 3464) that <paramref name="failed"/> refused a message for good, sent to <paramref name="to"/>.</summary>
    private static MimeMessage Report(string to, string failed)
    {
        var report = new MimeMessage { Subject = "Undelivered Mail Returned to Sender", MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("mx.ac-creteil.fr") };
        report.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.ac-creteil.fr"));
        report.To.Add(MailboxAddress.Parse(to));
        report.Headers.Add("Auto-Submitted", "auto-replied");
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList { new Header("Reporting-MTA", "dns; mx.ac-creteil.fr") });
        status.StatusGroups.Add(new HeaderList
        {
            new Header("Final-Recipient", $"rfc822; {failed}"),
            new Header("Action", "failed"),
            new Header("Status", "5.1.1"),
            new Header("Diagnostic-Code", $"smtp; 550 5.1.1 <{failed}>: Recipient address rejected: User unknown"),
        });
        report.Body = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Your message could not be delivered." }, status };
        return report;
    }

    /// <summary>Waits until the mailbox reader has filed <paramref name="mail"/> as read (after its unit of work committed).</summary>
    private async Task FiledAsync(MimeMessage mail)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var newFolder = Path.Combine(_mailbox.Maildir, "new");
        while (!Directory.Exists(newFolder) || Directory.GetFiles(newFolder).Any(f => System.IO.File.ReadAllText(f).Contains(mail.MessageId!, StringComparison.Ordinal))
            || !_mailbox.Messages().Any(m => m.MessageId == mail.MessageId))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the report was not read");
            await Task.Delay(200);
        }
    }

    [Test]
    public async Task A_reply_from_another_address_is_refused_with_an_answer_and_nothing_is_stored()
    {
        var (id, _) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var first = (await MailsAsync(id, 1))[0];

        await SendAsync(Reply(first, "Quelqu'un", "quelqu.un@exemple.fr", "Fermez ce ticket."));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_mailbox.Messages().Any(m => m.To.Mailboxes.Any(to => to.Address == "quelqu.un@exemple.fr")))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "no answer to the forged reply");
            await Task.Delay(200);
        }

        var answer = _mailbox.Messages().Single(m => m.To.Mailboxes.Any(to => to.Address == "quelqu.un@exemple.fr"));
        Assert.That(answer.TextBody, Does.Contain("n'a pas été ajouté"));
        Assert.That(answer.Headers["Auto-Submitted"], Is.EqualTo("auto-replied"), "an answer nobody should answer");
        Assert.That((await _tickets.GetAsync(id))["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "comment"), Is.Zero);
    }

    [Test]
    public async Task A_person_who_chose_a_daily_digest_gets_one_mail_listing_the_days_events_after_the_digest_hour()
    {
        var (id, reference) = await _tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        var first = (await MailsAsync(id, 2))[0];
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(first.Headers["List-Unsubscribe"]!.Trim('<', '>')).Query)["jeton"]!;
        using (var choose = await _client.PutAsJsonAsync("/api/v1/notifications/preferences", new { email = "claire.martin@ac-creteil.fr", token, mode = "digest" }))
        {
            Assert.That(choose.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await _tickets.DeliverAsync(Update(id, reference, HubStatuses.Waiting, T0.AddMinutes(10), "status:4", "Quel numéro ?"));
        await _tickets.DeliverAsync(Update(id, reference, HubStatuses.Resolved, T0.AddMinutes(20), "status:5", "Lampe changée."));
        var digests = _factory.Services.GetRequiredService<TicketHub.Intake.Notifications.DigestSender>();
        Assert.That(await digests.SendDueAsync(DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None), Is.Zero, "nothing before the digest hour");
        await Task.Delay(1000);
        Assert.That(Mails(id), Has.Count.EqualTo(2), "no mail per event any more");

        Assert.That(await digests.SendDueAsync(DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None), Is.EqualTo(1));
        Assert.That(await digests.SendDueAsync(DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None), Is.Zero, "sent once");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        MimeMessage? digest = null;
        while ((digest = _mailbox.Messages().FirstOrDefault(m => (m.TextBody ?? "").Contains(reference, StringComparison.Ordinal)
            && (m.Subject ?? "").StartsWith("[TicketHub] Vos demandes", StringComparison.Ordinal) && m.Date > DateTimeOffset.UtcNow.AddMinutes(-1))) is null)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "no digest");
            await Task.Delay(200);
        }

        Assert.That(digest.Subject, Is.EqualTo("[TicketHub] Vos demandes aujourd'hui : 2 nouvelles"));
        Assert.That(digest.TextBody, Does.Contain("- Une information vous est demandée : « Quel numéro ? »").And.Contain("- Demande résolue : « Lampe changée. »"));
        Assert.That(digest.Headers["List-Unsubscribe-Post"], Is.EqualTo("List-Unsubscribe=One-Click"));
    }

    private static MimeMessage Reply(MimeMessage notification, string name, string address, string text)
    {
        var reply = new MimeMessage { Subject = "Re: " + notification.Subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("ac-creteil.fr"),
            InReplyTo = notification.MessageId, Body = new TextPart("plain") { Text = text } };
        reply.References.Add(notification.MessageId!);
        reply.From.Add(new MailboxAddress(name, address));
        reply.To.Add(notification.ReplyTo.Mailboxes.Single());
        return reply;
    }

    private static MimePart Attachment(string fileName, string mediaType, string subtype, byte[] content) =>
        new(mediaType, subtype)
        {
            Content = new MimeContent(new MemoryStream(content)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = fileName,
        };

    private async Task<MimeMessage> AnswerToAsync(string address)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_mailbox.Messages().FirstOrDefault(m => m.To.Mailboxes.Any(to => to.Address == address) && m.Headers["Auto-Submitted"] == "auto-replied") is { } answer)
            {
                return answer;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "no answer to " + address);
            await Task.Delay(200);
        }
    }

    private Task SendAsync(MimeMessage message) =>
        new TicketHub.ServiceDefaults.Mail.SmtpSettings { Host = "127.0.0.1", Port = _mailbox.Port, Security = MailKit.Security.SecureSocketOptions.None }
            .SendAsync(message, CancellationToken.None);

    private async Task<JsonNode> WaitForCommentAsync(Guid id)
    {
        var ticket = await _tickets.WaitForAsync(id, t => t["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "comment"));
        return ticket["timeline"]!.AsArray().First(e => e!["kind"]!.GetValue<string>() == "comment")!;
    }

    private static ExternalTicketUpdated Update(Guid id, string reference, string? status, DateTimeOffset at, string eventId, string? reply = null) =>
        new(id, reference, ExternalTools.Glpi, "15", status, status, reply, reply is null ? null : "technician", reply is null ? null : "Karim (infogérant)", at, eventId);

    /// <summary>The mails of this test's ticket: references start again with each test's database, ticket ids do not.</summary>
    private List<MimeMessage> Mails(Guid ticketId) =>
        [.. _mailbox.Messages().Where(m => m.Headers["X-TicketHub-Ticket-Id"] == ticketId.ToString("D"))];

    /// <summary>The ticket's mails once there are <paramref name="count"/> (20 seconds at most), in no particular order: they are sent in parallel.</summary>
    private async Task<List<MimeMessage>> MailsAsync(Guid ticketId, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var mails = Mails(ticketId);
            if (mails.Count >= count)
            {
                return mails;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{mails.Count} mails of {count}: {string.Join(" | ", mails.Select(m => m.Subject))}");
            await Task.Delay(100);
        }
    }
}
