using System.Globalization;
using System.Text;
using MimeKit;

namespace TicketHub.Sandbox.Mail;

/// <summary>
/// <c>/courriels</c>: the messages the sandbox's SMTP server received (the PASS and Omère intake
/// mailboxes when their connector delivers by e-mail), newest first, and a page per message. The
/// connector gives each ticket a stable Message-Id, so a message received twice is a re-send: flagged.
/// </summary>
internal static class MailPages
{
    private const string BasePath = "/courriels";

    public static IEndpointRouteBuilder MapMailPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(BasePath, MessageList);
        app.MapGet(BasePath + "/{key}", MessagePage);
        return app;
    }

    /// <summary>The sandbox home page's row for the mailbox.</summary>
    public static string IndexRow(HttpContext http)
    {
        var maildir = http.RequestServices.GetRequiredService<Maildir>();
        var where = maildir.Path is null ? "<span class=\"muted\">aucune boîte configurée</span>" : $"<code>{Html.Escape(maildir.Path)}</code>";
        var count = maildir.Exists ? maildir.List().Count.ToString(CultureInfo.InvariantCulture) : "–";
        return $"""
            <tr><td><a href="{BasePath}">Courriels</a></td><td>Boîte de réception SMTP (deploy/smtp.sh → Maildir) : PASS et Omère en mode de livraison e-mail</td>
                <td>{where}</td><td>{count}</td></tr>
            """;
    }

    private static IResult MessageList(HttpContext http, Maildir maildir)
    {
        var body = new StringBuilder()
            .Append("<p><a href=\"/\">Bac à sable</a> › Courriels</p><h1>Courriels reçus</h1>");
        if (Missing(maildir) is { } missing)
        {
            return Html.Page(http, "Courriels", body.Append(missing).ToString());
        }

        var messages = maildir.List();
        body.Append("<p class=\"muted\">Maildir <code>").Append(Html.Escape(maildir.Path)).Append("</code>, le plus récent en premier.</p>");
        if (messages.Count == 0)
        {
            body.Append("<p class=\"muted\">Aucun courriel reçu pour l'instant.</p>");
            return Html.Page(http, "Courriels", body.ToString());
        }

        body.Append("<table><tr><th>Reçu (UTC)</th><th>Date</th><th>De</th><th>À</th><th>Objet</th><th>Message-Id</th></tr>");
        foreach (var message in messages)
        {
            body.Append("<tr><td>").Append(Format(message.DeliveredAt)).Append("</td>")
                .Append("<td>").Append(Format(message.Date)).Append("</td>")
                .Append("<td>").Append(Html.Escape(message.From)).Append("</td>")
                .Append("<td>").Append(Html.Escape(message.To)).Append("</td>")
                .Append("<td><a href=\"").Append(Html.Escape(PagePath(message.Key))).Append("\">")
                .Append(message.Subject.Length == 0 ? "<span class=\"muted\">(sans objet)</span>" : Html.Escape(message.Subject)).Append("</a></td>")
                .Append("<td><code>").Append(Html.Escape(message.MessageId)).Append("</code>").Append(Copies(message)).Append("</td></tr>");
        }

        return Html.Page(http, "Courriels", body.Append("</table>").ToString());
    }

    private static IResult MessagePage(HttpContext http, Maildir maildir, string key)
    {
        if (maildir.Open(key) is not { } opened)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Html.Page(http, "Courriel introuvable", $"<p><a href=\"{BasePath}\">Courriels</a></p><h1>Courriel {Html.Escape(key)} introuvable</h1>");
        }

        var (entry, message) = opened;
        var body = new StringBuilder()
            .Append("<p><a href=\"/\">Bac à sable</a> › <a href=\"").Append(BasePath).Append("\">Courriels</a> › ").Append(Html.Escape(key)).Append("</p>")
            .Append("<h1>").Append(entry.Subject.Length == 0 ? "(sans objet)" : Html.Escape(entry.Subject)).Append("</h1><table>");
        Row(body, "Message-Id", entry.MessageId);
        Row(body, "Objet", entry.Subject);
        Row(body, "De", entry.From);
        Row(body, "À", entry.To);
        Row(body, "Cc", string.Join(", ", message.Cc.Select(address => address.ToString())));
        Row(body, "Date", Format(entry.Date));
        Row(body, "Reçu (UTC)", Format(entry.DeliveredAt));
        // Written by aiosmtpd's handler: the SMTP envelope, which may differ from To/Cc.
        Row(body, "Enveloppe : expéditeur", message.Headers["X-MailFrom"]);
        Row(body, "Enveloppe : destinataires", message.Headers["X-RcptTo"]);
        body.Append("</table>");

        var copies = entry.MessageId is null ? [] : maildir.List().Where(other => other.MessageId == entry.MessageId).ToList();
        if (copies.Count > 1)
        {
            body.Append("<p><strong>Reçu ").Append(copies.Count.ToString(CultureInfo.InvariantCulture)).Append(" fois</strong> avec ce Message-Id :");
            foreach (var copy in copies)
            {
                body.Append(' ').Append(copy.Key == entry.Key ? "<strong>" : $"<a href=\"{Html.Escape(PagePath(copy.Key))}\">")
                    .Append(Format(copy.DeliveredAt)).Append(copy.Key == entry.Key ? "</strong>" : "</a>");
            }

            body.Append("</p>");
        }

        body.Append("<h2>Texte</h2>");
        if (message.TextBody is { } text)
        {
            body.Append("<pre style=\"white-space: pre-wrap\">").Append(Html.Escape(text)).Append("</pre>");
        }
        else
        {
            body.Append("<p class=\"muted\">Pas de partie texte.</p>");
            if (message.HtmlBody is { } html)
            {
                body.Append("<details><summary>HTML reçu</summary><pre>").Append(Html.Escape(html)).Append("</pre></details>");
            }
        }

        var attachments = message.Attachments.OfType<MimePart>().ToList();
        if (attachments.Count > 0)
        {
            body.Append("<h2>Pièces jointes</h2><ul>");
            foreach (var attachment in attachments)
            {
                body.Append("<li>").Append(Html.Escape(attachment.FileName ?? "(sans nom)")).Append(" <span class=\"muted\">")
                    .Append(Html.Escape(attachment.ContentType.MimeType)).Append("</span></li>");
            }

            body.Append("</ul>");
        }

        using var source = new MemoryStream();
        message.WriteTo(source);
        body.Append("<details><summary>Source du message</summary><pre>")
            .Append(Html.Escape(Encoding.UTF8.GetString(source.GetBuffer(), 0, (int)source.Length))).Append("</pre></details>");
        return Html.Page(http, entry.Subject.Length == 0 ? "Courriel" : entry.Subject, body.ToString());
    }

    private static string? Missing(Maildir maildir) =>
        maildir.Path is null
            ? "<p>Aucune boîte aux lettres n'est configurée : réglez <code>Sandbox:Mail:Maildir</code> sur le Maildir où "
                + "<code>deploy/smtp.sh</code> dépose les courriels.</p>"
            : !maildir.Exists
                ? $"<p>Le Maildir <code>{Html.Escape(maildir.Path)}</code> n'existe pas encore : lancez <code>deploy/smtp.sh</code>.</p>"
                : null;

    private static string Copies(MaildirEntry message) =>
        message.Copies > 1 ? $" <strong>reçu {message.Copies.ToString(CultureInfo.InvariantCulture)} fois</strong>" : "";

    private static string PagePath(string key) => $"{BasePath}/{Uri.EscapeDataString(key)}";

    private static string Format(DateTimeOffset? instant) =>
        instant is { } value ? value.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) : "";

    private static void Row(StringBuilder body, string label, string? value) =>
        body.Append("<tr><th>").Append(Html.Escape(label)).Append("</th><td>").Append(Html.Escape(value)).Append("</td></tr>");
}
