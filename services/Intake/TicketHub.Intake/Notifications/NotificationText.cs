using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// The words of a notification, in French, as plain text and as HTML (every character of the
/// ticket's and the team's text encoded): the hub's reference heads the subject, the ticket's page
/// is linked, and the end says why the person gets it and how to choose what they get.
/// </summary>
public static class NotificationText
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>A rendered mail: its subject, plain text and HTML.</summary>
    public sealed record Rendered(string Subject, string Text, string Html);

    /// <param name="detail">What the event says beyond its kind (the route's explanation, the team's text, the kept ticket…), or null.</param>
    /// <param name="follower">True for someone following the ticket, false for its requester.</param>
    /// <param name="preferencesUrl">The signed link to the person's choices, or null.</param>
    public static Rendered Render(string kind, string reference, string title, string recipientName, string? detail, bool follower,
        string ticketUrl, string? preferencesUrl)
    {
        var (headline, lead, after) = Words(kind, reference, detail);
        var subject = $"[{reference}] {headline} : {Shorten(title, 120)}";
        var why = follower ? "Vous recevez ce courriel parce que vous suivez cette demande." : "Vous recevez ce courriel parce que vous avez fait cette demande.";
        var choose = preferencesUrl is null ? null : $"Pour choisir ce que vous recevez, ou ne plus rien recevoir : {preferencesUrl}";

        var text = new StringBuilder()
            .Append("Bonjour ").Append(recipientName).Append(",\n\n")
            .Append(lead).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(detail) && kind is not NotificationKinds.Duplicate)
        {
            text.Append(Quote(detail)).Append("\n\n");
        }

        if (after is not null)
        {
            text.Append(after).Append("\n\n");
        }

        text.Append("Votre demande « ").Append(title).Append(" » (").Append(reference).Append(") : ").Append(ticketUrl).Append("\n\n")
            .Append("-- \nTicketHub, le guichet numérique des collèges\n").Append(why).Append('\n');
        if (choose is not null)
        {
            text.Append(choose).Append('\n');
        }

        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>").Append(Encode(subject)).Append("</title></head><body>")
            .Append("<p>Bonjour ").Append(Encode(recipientName)).Append(",</p>")
            .Append("<p>").Append(Encode(lead)).Append("</p>");
        if (!string.IsNullOrWhiteSpace(detail) && kind is not NotificationKinds.Duplicate)
        {
            html.Append("<blockquote>").Append(Paragraphs(detail)).Append("</blockquote>");
        }

        if (after is not null)
        {
            html.Append("<p>").Append(Encode(after)).Append("</p>");
        }

        html.Append("<p>Votre demande <a href=\"").Append(Encode(ticketUrl)).Append("\">« ").Append(Encode(title)).Append(" » (").Append(Encode(reference)).Append(")</a></p>")
            .Append("<hr><p><small>TicketHub, le guichet numérique des collèges. ").Append(Encode(why));
        if (preferencesUrl is not null)
        {
            html.Append(" <a href=\"").Append(Encode(preferencesUrl)).Append("\">Choisir ce que vous recevez, ou ne plus rien recevoir</a>.");
        }

        html.Append("</small></p></body></html>");
        return new Rendered(subject, text.ToString(), html.ToString());
    }

    /// <summary>The line an event makes in a daily digest: what happened, and the team's words, shortened.</summary>
    public static string Line(string kind, string reference, string? detail)
    {
        var (headline, _, _) = Words(kind, reference, detail);
        return kind is NotificationKinds.Duplicate || string.IsNullOrWhiteSpace(detail)
            ? headline + (kind is NotificationKinds.Duplicate ? $" ({detail})" : "")
            : $"{headline} : « {Shorten(detail.Trim().ReplaceLineEndings(" "), 300)} »";
    }

    /// <summary>The day's digest for one person: each ticket with its events, then the links.</summary>
    public static Rendered Digest(string recipientName, IReadOnlyList<(string Reference, string Title, string TicketUrl, IReadOnlyList<string> Lines)> tickets,
        string? preferencesUrl)
    {
        var count = tickets.Sum(t => t.Lines.Count);
        var subject = $"[TicketHub] Vos demandes aujourd'hui : {count} nouvelle{(count > 1 ? "s" : "")}";
        var text = new StringBuilder().Append("Bonjour ").Append(recipientName).Append(",\n\nVoici ce qui s'est passé sur vos demandes depuis le dernier résumé.\n\n");
        var html = new StringBuilder().Append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>").Append(Encode(subject)).Append("</title></head><body>")
            .Append("<p>Bonjour ").Append(Encode(recipientName)).Append(",</p><p>Voici ce qui s'est passé sur vos demandes depuis le dernier résumé.</p>");
        foreach (var (reference, title, url, lines) in tickets)
        {
            text.Append("« ").Append(title).Append(" » (").Append(reference).Append(") : ").Append(url).Append('\n');
            html.Append("<h2><a href=\"").Append(Encode(url)).Append("\">« ").Append(Encode(title)).Append(" » (").Append(Encode(reference)).Append(")</a></h2><ul>");
            foreach (var line in lines)
            {
                text.Append("- ").Append(line).Append('\n');
                html.Append("<li>").Append(Encode(line)).Append("</li>");
            }

            text.Append('\n');
            html.Append("</ul>");
        }

        text.Append("-- \nTicketHub, le guichet numérique des collèges\nVous recevez ce résumé parce que vous l'avez choisi.\n");
        html.Append("<hr><p><small>TicketHub, le guichet numérique des collèges. Vous recevez ce résumé parce que vous l'avez choisi.");
        if (preferencesUrl is not null)
        {
            text.Append("Pour choisir ce que vous recevez, ou ne plus rien recevoir : ").Append(preferencesUrl).Append('\n');
            html.Append(" <a href=\"").Append(Encode(preferencesUrl)).Append("\">Choisir ce que vous recevez, ou ne plus rien recevoir</a>.");
        }

        html.Append("</small></p></body></html>");
        return new Rendered(subject, text.ToString(), html.ToString());
    }

    /// <summary>
    /// The answer to a reply by e-mail: why it was not added (<paramref name="added"/> false), or that it
    /// was but some of its files were not (each <paramref name="refusedFiles"/> says which and why).
    /// </summary>
    /// <param name="subject">The reply's subject, answered as « Re: … ».</param>
    public static Rendered ReplyAnswer(string? subject, bool added, string? why, IReadOnlyList<string> refusedFiles)
    {
        var answered = subject is { } s && !s.StartsWith("Re", StringComparison.OrdinalIgnoreCase) ? "Re: " + s : subject ?? "Votre réponse à TicketHub";
        var lead = added
            ? "Votre message a été ajouté à la demande, mais sans les fichiers suivants :"
            : $"Votre message n'a pas été ajouté à une demande : {why}";
        var after = added ? "Envoyez-les autrement (un autre format, moins de fichiers, ou plus tard) en ajoutant une information sur la page de la demande." : null;

        var text = new StringBuilder().Append("Bonjour,\n\n").Append(lead).Append('\n');
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>").Append(Encode(answered)).Append("</title></head><body>")
            .Append("<p>Bonjour,</p><p>").Append(Encode(lead)).Append("</p>");
        if (refusedFiles.Count > 0)
        {
            html.Append("<ul>");
            foreach (var file in refusedFiles)
            {
                text.Append("- ").Append(file).Append('\n');
                html.Append("<li>").Append(Encode(file)).Append("</li>");
            }

            html.Append("</ul>");
        }

        if (after is not null)
        {
            text.Append('\n').Append(after).Append('\n');
            html.Append("<p>").Append(Encode(after)).Append("</p>");
        }

        text.Append("\n-- \nTicketHub, le guichet numérique des collèges\n");
        html.Append("<hr><p><small>TicketHub, le guichet numérique des collèges.</small></p></body></html>");
        return new Rendered(answered, text.ToString(), html.ToString());
    }

    private static (string Headline, string Lead, string? After) Words(string kind, string reference, string? detail) => kind switch
    {
        NotificationKinds.Received => ("Demande enregistrée", $"Votre demande est enregistrée sous la référence {reference}. Voici où elle va :", null),
        NotificationKinds.Forwarded => ("Demande transmise", "Votre demande est arrivée chez l'équipe qui doit la traiter :", null),
        NotificationKinds.Reply => ("Réponse de l'équipe", "L'équipe qui traite votre demande a écrit :", null),
        NotificationKinds.Visit => ("Passage du technicien", "Le technicien de l'infogérant est passé dans votre collège et a noté pour cette demande :", null),
        NotificationKinds.Waiting => ("Une information vous est demandée", "L'équipe qui traite votre demande attend une information de votre part.",
            "Répondez-lui en ajoutant une information sur la page de la demande."),
        NotificationKinds.Resolved => ("Demande résolue", "L'équipe qui traitait votre demande l'a résolue.",
            "Si le problème n'est pas réglé, dites-le en ajoutant une information sur la page de la demande : l'équipe en sera avertie."),
        NotificationKinds.Closed => ("Demande close", "Votre demande est close.", null),
        NotificationKinds.Rerouted => ("Demande réorientée", "Le Pôle TIE a envoyé votre demande à une autre équipe :", null),
        NotificationKinds.Duplicate => ("Demande rattachée à une autre",
            $"Votre demande signalait le même problème que la demande {detail} : elle y a été rattachée, et vous suivez désormais celle-ci.", null),
        NotificationKinds.AttachmentRefused => ("Pièce jointe non transmise", "Un fichier de votre demande n'a pas pu être transmis à l'équipe qui la traite :",
            "Envoyez-le autrement, par exemple dans un autre format, en ajoutant une information sur la page de la demande."),
        _ => ("Demande mise à jour", "Votre demande a changé.", null),
    };

    private static string Quote(string text) => string.Join('\n', text.Trim().ReplaceLineEndings("\n").Split('\n').Select(line => "> " + line));

    private static string Paragraphs(string text) =>
        string.Join("", text.Trim().ReplaceLineEndings("\n").Split("\n\n").Select(p => "<p>" + Encode(p).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>"));

    /// <summary>Markup characters encoded, French letters kept as they are (the mail is UTF-8).</summary>
    private static string Encode(string text) => Html.Encode(text);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
