using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.Glpi;

/// <summary>
/// Pages to play the infogérant's technician: the tickets GLPI received, forms per ticket to move
/// its status, write a follow-up or solve it; and JSON under <c>/glpi/_sandbox</c> for scripts and tests.
/// </summary>
internal static class GlpiPages
{
    public static IEndpointRouteBuilder MapGlpiPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/glpi");
        pages.MapGet("/", TicketList);
        pages.MapGet("/tickets/{id:int}", TicketPage);
        pages.MapGet("/front/ticket.form.php", (int id) => Results.Redirect($"/glpi/tickets/{id}"));
        pages.MapPost("/tickets/{id:int}/status", ChangeStatus);
        pages.MapPost("/tickets/{id:int}/followups", AddFollowup);
        pages.MapPost("/tickets/{id:int}/solution", Solve);

        var sandbox = pages.MapGroup("/_sandbox");
        sandbox.MapGet("/tickets", (GlpiStore store, GlpiDates dates) => Results.Json(store.Tickets().Select(ticket =>
        {
            var view = GlpiResults.Ticket(ticket, dates);
            view["followups"] = store.Followups(ticket.Id).Select(followup => GlpiResults.Followup(followup, dates)).ToList();
            view["solutions"] = store.Solutions(ticket.Id).Select(solution => GlpiResults.Solution(solution, dates)).ToList();
            view["documents"] = store.TicketDocuments(ticket.Id).Select(document => DocumentView(document, dates)).ToList();
            return view;
        })));
        // Per hub reference (externalid in GLPI 11, the "[TH-…]" starting the title in GLPI 10), the GLPI
        // tickets carrying it: exactly once is a count of 1 everywhere.
        sandbox.MapGet("/references", (GlpiStore store, bool? duplicates) => Results.Json(store.Tickets()
            .Where(ticket => ticket.HubReference is not null)
            .GroupBy(ticket => ticket.HubReference!, StringComparer.Ordinal)
            .Where(group => duplicates != true || group.Count() > 1)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new { reference = group.Key, count = group.Count(), ids = group.Select(ticket => ticket.Id).ToList() })));
        // Every document, linked or not, with the tickets it is linked to and its file's SHA-256.
        sandbox.MapGet("/documents", (GlpiStore store, GlpiDates dates) => Results.Json(store.Documents().Select(document =>
        {
            var view = DocumentView(document, dates);
            view["tickets"] = store.DocumentLinks(documentId: document.Id).Where(link => link.ItemType == "Ticket").Select(link => link.ItemId).ToList();
            return view;
        })));
        sandbox.MapFaults(GlpiApi.Tool);
        sandbox.MapDelete("/sessions", (GlpiStore store) => Results.Json(new { expired = store.ExpireAllSessions() }));
        sandbox.MapDelete("/tickets", (GlpiStore store) =>
        {
            store.Reset();
            return Results.NoContent();
        });
        return app;
    }

    private static IResult TicketList(HttpContext http, GlpiStore store, GlpiDates dates, IAntiforgery antiforgery)
    {
        var tickets = store.Tickets();
        var body = new StringBuilder()
            .Append("<p><a href=\"/\">Bac à sable</a> › GLPI</p><h1>GLPI (émulé) : tickets reçus</h1>");
        if (tickets.Count == 0)
        {
            body.Append("<p class=\"muted\">Aucun ticket reçu pour l'instant.</p>");
            return Html.Page(http, "GLPI émulé", body.ToString());
        }

        var token = AntiforgeryField(http, antiforgery);
        body.Append("<table><tr><th>ID</th><th>Référence TicketHub</th><th>Titre</th><th>Entité</th><th>Catégorie</th>")
            .Append("<th>Urgence</th><th>Statut</th><th>Ouverture</th><th>Dernière modification</th><th>Technicien</th></tr>");
        foreach (var ticket in tickets.OrderByDescending(ticket => ticket.Id))
        {
            body.Append("<tr><td><a href=\"/glpi/tickets/").Append(ticket.Id).Append("\">").Append(ticket.Id).Append("</a></td>")
                .Append("<td>").Append(Html.Escape(ticket.HubReference)).Append("</td>")
                .Append("<td>").Append(Html.Escape(ticket.Name)).Append("</td>")
                .Append("<td>").Append(ticket.EntityId).Append("</td>")
                .Append("<td>").Append(ticket.CategoryId == 0 ? "<span class=\"muted\">aucune</span>" : ticket.CategoryId).Append("</td>")
                .Append("<td>").Append(Html.Escape(GlpiStatus.UrgencyLabel(ticket.Urgency))).Append("</td>")
                .Append("<td>").Append(Html.Escape(GlpiStatus.Label(ticket.Status))).Append("</td>")
                .Append("<td>").Append(dates.Format(ticket.Date)).Append("</td>")
                .Append("<td>").Append(dates.Format(ticket.DateMod)).Append("</td>")
                .Append("<td>").Append(Forms(ticket, token, "list")).Append("</td></tr>");
        }

        body.Append("</table>");
        return Html.Page(http, "GLPI émulé", body.ToString());
    }

    private static IResult TicketPage(HttpContext http, GlpiStore store, GlpiDates dates, IAntiforgery antiforgery, int id)
    {
        if (store.FindTicket(id) is not { } ticket)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Html.Page(http, "Ticket introuvable", $"<p><a href=\"/glpi\">GLPI</a></p><h1>Ticket {id} introuvable</h1>");
        }

        var body = new StringBuilder()
            .Append("<p><a href=\"/\">Bac à sable</a> › <a href=\"/glpi\">GLPI</a> › ticket ").Append(ticket.Id).Append("</p>")
            .Append("<h1>").Append(Html.Escape(ticket.Name)).Append("</h1><table>");
        Row(body, "ID", ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row(body, "Référence TicketHub", ticket.HubReference);
        Row(body, "Demandeur", ticket.RequesterUserId > 0 ? GlpiUsers.Name(ticket.RequesterUserId) : ticket.RequesterEmail is { } email ? $"{email} (courriel notifié)" : "aucun");
        Row(body, "Type", GlpiStatus.TypeLabel(ticket.Type));
        Row(body, "Entité", ticket.EntityId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row(body, "Catégorie", ticket.CategoryId == 0 ? "aucune" : ticket.CategoryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row(body, "Urgence", GlpiStatus.UrgencyLabel(ticket.Urgency));
        Row(body, "Statut", GlpiStatus.Label(ticket.Status));
        Row(body, "Ouverture", dates.Format(ticket.Date));
        Row(body, "Dernière modification", dates.Format(ticket.DateMod));
        body.Append("</table>")
            .Append("<h2>Description</h2>")
            // The HTML the connector sent, shown as GLPI would, in a frame that can run nothing.
            .Append("<iframe sandbox=\"\" title=\"Description\" srcdoc=\"").Append(Html.Escape(ticket.Content)).Append("\"></iframe>")
            .Append("<details><summary>HTML reçu</summary><pre>").Append(Html.Escape(ticket.Content)).Append("</pre></details>")
            .Append("<h2>Documents</h2>");
        var documents = store.TicketDocuments(ticket.Id);
        if (documents.Count == 0)
        {
            body.Append("<p class=\"muted\">Aucun document.</p>");
        }
        else
        {
            body.Append("<table><tr><th>Nom</th><th>Fichier</th><th>Taille</th><th>Type</th><th>Ajouté le</th></tr>");
            foreach (var document in documents)
            {
                body.Append("<tr><td>").Append(Html.Escape(document.Name)).Append("</td>")
                    .Append("<td>").Append(Html.Escape(document.FileName)).Append("</td>")
                    .Append("<td>").Append(Html.Escape(Html.FileSize(document.Size))).Append("</td>")
                    .Append("<td>").Append(Html.Escape(document.Mime)).Append("</td>")
                    .Append("<td>").Append(dates.Format(document.Date)).Append("</td></tr>");
            }

            body.Append("</table>");
        }

        body.Append("<h2>Suivis</h2>");

        var followups = store.Followups(ticket.Id);
        if (followups.Count == 0)
        {
            body.Append("<p class=\"muted\">Aucun suivi.</p>");
        }

        foreach (var followup in followups)
        {
            body.Append("<p><strong>").Append(Html.Escape(GlpiUsers.Name(followup.UserId))).Append("</strong>, ")
                .Append(dates.Format(followup.Date)).Append(followup.IsPrivate ? " (privé)" : "").Append(" :<br>")
                .Append(Html.Escape(Readable(followup.Content)).ReplaceLineEndings("<br>")).Append("</p>");
        }

        foreach (var solution in store.Solutions(ticket.Id))
        {
            body.Append("<h2>Solution</h2><p><strong>").Append(Html.Escape(GlpiUsers.Name(solution.UserId))).Append("</strong>, ")
                .Append(dates.Format(solution.Date)).Append(" :<br>")
                .Append(Html.Escape(Readable(solution.Content)).ReplaceLineEndings("<br>")).Append("</p>");
        }

        body.Append("<h2>Agir en technicien</h2>").Append(Forms(ticket, AntiforgeryField(http, antiforgery), "ticket"));
        return Html.Page(http, $"Ticket {ticket.Id}", body.ToString());
    }

    private static IResult ChangeStatus(GlpiStore store, int id, [FromForm] int status, [FromForm] string? back)
    {
        if (status is < GlpiStatus.New or > GlpiStatus.Closed)
        {
            return Results.BadRequest();
        }

        return store.UpdateTicket(id, GlpiUsers.Technician, ticket => ticket with { Status = status }) is null
            ? Results.NotFound()
            : Results.Redirect(Back(id, back));
    }

    private static IResult AddFollowup(GlpiStore store, int id, [FromForm] string? content, [FromForm] string? back)
    {
        if (store.FindTicket(id) is null)
        {
            return Results.NotFound();
        }

        if (!string.IsNullOrWhiteSpace(content))
        {
            store.AddFollowup(id, GlpiUsers.Technician, EditorHtml(content), isPrivate: false);
        }

        return Results.Redirect(Back(id, back));
    }

    /// <summary>Rich text as a technician reads it on the page: tags dropped, entities decoded (then escaped again by the caller).</summary>
    private static string Readable(string html) =>
        System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(
            html.Replace("</p>", "\n", StringComparison.OrdinalIgnoreCase).Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase), "<[^>]*>", "")).Trim();

    /// <summary>What GLPI's rich-text editor makes of typed text: a paragraph per line, every character escaped.</summary>
    private static string EditorHtml(string content) =>
        string.Concat(content.Trim().ReplaceLineEndings("\n").Split('\n').Select(line => $"<p>{Html.Escape(line.TrimEnd())}</p>"));

    private static IResult Solve(GlpiStore store, int id, [FromForm] string? content, [FromForm] string? back)
    {
        if (store.FindTicket(id) is null)
        {
            return Results.NotFound();
        }

        if (!string.IsNullOrWhiteSpace(content))
        {
            store.Solve(id, GlpiUsers.Technician, EditorHtml(content));
        }

        return Results.Redirect(Back(id, back));
    }

    /// <summary>A document as the script endpoints show it: GLPI's fields and the SHA-256 of its file.</summary>
    private static Dictionary<string, object?> DocumentView(GlpiDocumentRecord document, GlpiDates dates)
    {
        var view = GlpiResults.Document(document, dates);
        view["filesize"] = document.Size;
        view["sha256"] = document.Sha256;
        return view;
    }

    private static string Back(int id, string? back) => back == "ticket" ? $"/glpi/tickets/{id}" : "/glpi";

    private static string Forms(GlpiTicketRecord ticket, string antiforgeryField, string back)
    {
        var html = new StringBuilder()
            .Append("<form method=\"post\" action=\"/glpi/tickets/").Append(ticket.Id).Append("/status\">").Append(antiforgeryField)
            .Append("<input type=\"hidden\" name=\"back\" value=\"").Append(back).Append("\">")
            .Append("<select name=\"status\" aria-label=\"Statut\">");
        foreach (var (value, label) in GlpiStatus.Labels)
        {
            html.Append("<option value=\"").Append(value).Append('"').Append(value == ticket.Status ? " selected" : "").Append('>')
                .Append(Html.Escape(label)).Append("</option>");
        }

        return html.Append("</select><button>Changer le statut</button></form><br>")
            .Append("<form method=\"post\" action=\"/glpi/tickets/").Append(ticket.Id).Append("/followups\">").Append(antiforgeryField)
            .Append("<input type=\"hidden\" name=\"back\" value=\"").Append(back).Append("\">")
            .Append("<input name=\"content\" required placeholder=\"Réponse du technicien\" aria-label=\"Suivi\">")
            .Append("<button>Ajouter un suivi</button></form><br>")
            .Append("<form method=\"post\" action=\"/glpi/tickets/").Append(ticket.Id).Append("/solution\">").Append(antiforgeryField)
            .Append("<input type=\"hidden\" name=\"back\" value=\"").Append(back).Append("\">")
            .Append("<input name=\"content\" required placeholder=\"Solution apportée\" aria-label=\"Solution\">")
            .Append("<button>Résoudre</button></form>")
            .ToString();
    }

    private static string AntiforgeryField(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{Html.Escape(tokens.FormFieldName)}\" value=\"{Html.Escape(tokens.RequestToken)}\">";
    }

    private static void Row(StringBuilder body, string label, string? value) =>
        body.Append("<tr><th>").Append(Html.Escape(label)).Append("</th><td>").Append(Html.Escape(value)).Append("</td></tr>");
}
