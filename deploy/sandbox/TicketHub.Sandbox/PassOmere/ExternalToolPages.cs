using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.PassOmere;

/// <summary>
/// Pages to play the tool's technician (PASS, Omère): the tickets received, a page per ticket with all
/// the hub sent and its messages, forms to change the status and to answer the collège or write a
/// private note. JSON under <c>/{tool}/_sandbox</c> for scripts and tests.
/// </summary>
internal static class ExternalToolPages
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Web)
    {
        WriteIndented = true,
        // Shown escaped in a page, never inlined as script.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEndpointRouteBuilder MapExternalToolPages(this IEndpointRouteBuilder app, ExternalTool tool)
    {
        var pages = app.MapGroup(tool.PagesPath);
        pages.MapGet("/", (HttpContext http, IAntiforgery antiforgery) => TicketList(http, Store(http, tool), antiforgery));
        pages.MapGet("/tickets/{id}", (HttpContext http, IAntiforgery antiforgery, string id) => TicketPage(http, Store(http, tool), antiforgery, id));
        pages.MapPost("/tickets/{id}/status", (HttpContext http, string id, [FromForm] string status, [FromForm] string? back) =>
            ChangeStatus(Store(http, tool), id, status, back));
        pages.MapPost("/tickets/{id}/messages", (HttpContext http, string id, [FromForm] string? body, [FromForm] string? visibility, [FromForm] string? back) =>
            AddMessage(Store(http, tool), id, body, visibility, back));

        var sandbox = pages.MapGroup("/_sandbox");
        sandbox.MapFaults(tool.Key);
        sandbox.MapGet("/tickets", (HttpContext http) => Results.Json(Store(http, tool).All().Select(ticket => new
        {
            id = ticket.Id,
            status = ticket.Status,
            receivedAt = ticket.ReceivedAt,
            updatedAt = ticket.UpdatedAt,
            received = ticket.Received,
            messages = ticket.Messages,
        })));
        sandbox.MapDelete("/tickets", (HttpContext http) =>
        {
            Store(http, tool).Reset();
            return Results.NoContent();
        });
        sandbox.MapPost("/tickets/{id}/status", (HttpContext http, string id, TechnicianAction action) =>
            !ToolStatus.Labels.ContainsKey(action.Status ?? "") ? Results.BadRequest(new { error = $"status: {string.Join(", ", ToolStatus.Labels.Keys)}" })
            : Store(http, tool).ChangeStatus(id, action.Status!) is { } ticket ? Results.Json(new { id = ticket.Id, status = ticket.Status, updatedAt = ticket.UpdatedAt })
            : Results.NotFound());
        sandbox.MapPost("/tickets/{id}/messages", (HttpContext http, string id, TechnicianAction action) =>
            string.IsNullOrWhiteSpace(action.Body) ? Results.BadRequest(new { error = "body is required" })
            : Store(http, tool).AddTechnicianMessage(id, action.Body.Trim(), action.Public ?? true) is { } message ? Results.Json(message)
            : Results.NotFound());
        return app;
    }

    /// <summary>What a script asks the technician to do: change the status, or write (public by default).</summary>
    internal sealed record TechnicianAction(string? Status, string? Body, bool? Public);

    /// <summary>The sandbox home page's rows for the tools.</summary>
    public static string IndexRows(HttpContext http)
    {
        var rows = new StringBuilder();
        foreach (var tool in ExternalTool.All)
        {
            var api = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{tool.ApiPath}";
            rows.Append("<tr><td><a href=\"").Append(tool.PagesPath).Append("\">").Append(Html.Escape(tool.Name)).Append("</a></td>")
                .Append("<td>Contrat d'échange du hub (outil-externe.openapi.yaml) : tickets, messages, changements depuis un instant. ")
                .Append(Html.Escape(tool.Owner)).Append("</td>")
                .Append("<td><code>").Append(Html.Escape(api)).Append("</code></td>")
                .Append("<td>").Append(Store(http, tool).All().Count.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        return rows.ToString();
    }

    private static ExternalToolStore Store(HttpContext http, ExternalTool tool) =>
        http.RequestServices.GetRequiredKeyedService<ExternalToolStore>(tool.Key);

    private static IResult ChangeStatus(ExternalToolStore store, string id, string status, string? back)
    {
        if (!ToolStatus.Labels.ContainsKey(status))
        {
            return Results.BadRequest();
        }

        return store.ChangeStatus(id, status) is null ? Results.NotFound() : Results.Redirect(Back(store.Tool, id, back));
    }

    private static IResult AddMessage(ExternalToolStore store, string id, string? body, string? visibility, string? back)
    {
        if (store.Find(id) is null)
        {
            return Results.NotFound();
        }

        if (!string.IsNullOrWhiteSpace(body))
        {
            store.AddTechnicianMessage(id, body.Trim(), isPublic: visibility != "private");
        }

        return Results.Redirect(Back(store.Tool, id, back));
    }

    private static string Back(ExternalTool tool, string id, string? back) =>
        back == "ticket" ? TicketPath(tool, id) : tool.PagesPath;

    private static IResult TicketList(HttpContext http, ExternalToolStore store, IAntiforgery antiforgery)
    {
        var tool = store.Tool;
        var tickets = store.All();
        var body = new StringBuilder()
            .Append("<p><a href=\"/\">Bac à sable</a> › ").Append(Html.Escape(tool.Name)).Append("</p>")
            .Append("<h1>").Append(Html.Escape(tool.Name)).Append(" (émulé) : tickets reçus</h1>")
            .Append("<p class=\"muted\">").Append(Html.Escape(tool.Owner)).Append(". Heures en UTC.</p>");
        if (tickets.Count == 0)
        {
            body.Append("<p class=\"muted\">Aucun ticket reçu pour l'instant.</p>");
            return Html.Page(http, $"{tool.Name} émulé", body.ToString());
        }

        var token = AntiforgeryField(http, antiforgery);
        body.Append("<table><tr><th>Numéro</th><th>Référence TicketHub</th><th>Collège</th><th>").Append(Html.Escape(tool.QueueLabel))
            .Append("</th><th>Titre</th><th>Urgence</th><th>Statut</th><th>Mise à jour</th><th>Messages</th><th>Agir en technicien</th></tr>");
        foreach (var ticket in tickets.Reverse())
        {
            var received = ticket.Received;
            body.Append("<tr><td><a href=\"").Append(Html.Escape(TicketPath(tool, ticket.Id))).Append("\">").Append(Html.Escape(ticket.Id)).Append("</a></td>")
                .Append("<td>").Append(Html.Escape(ticket.Reference)).Append("</td>")
                .Append("<td>").Append(Html.Escape(received.College.Name)).Append(" <span class=\"muted\">").Append(Html.Escape(received.College.Uai)).Append("</span></td>")
                .Append("<td>").Append(Html.Escape(received.Queue)).Append("</td>")
                .Append("<td>").Append(Html.Escape(received.Title)).Append("</td>")
                .Append("<td>").Append(Html.Escape(TicketLabels.Urgency(received.Urgency))).Append("</td>")
                .Append("<td>").Append(Html.Escape(ToolStatus.Label(ticket.Status))).Append("</td>")
                .Append("<td>").Append(Format(ticket.UpdatedAt)).Append("</td>")
                .Append("<td>").Append(ticket.Messages.Count.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td>").Append(StatusForm(tool, ticket, token, "list")).Append("</td></tr>");
        }

        return Html.Page(http, $"{tool.Name} émulé", body.Append("</table>").ToString());
    }

    private static IResult TicketPage(HttpContext http, ExternalToolStore store, IAntiforgery antiforgery, string id)
    {
        var tool = store.Tool;
        if (store.Find(id) is not { } ticket)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Html.Page(http, "Ticket introuvable", $"""
                <p><a href="{tool.PagesPath}">{Html.Escape(tool.Name)}</a></p><h1>Ticket {Html.Escape(id)} introuvable</h1>
                """);
        }

        var received = ticket.Received;
        var body = new StringBuilder()
            .Append("<p><a href=\"/\">Bac à sable</a> › <a href=\"").Append(tool.PagesPath).Append("\">").Append(Html.Escape(tool.Name)).Append("</a> › ")
            .Append(Html.Escape(ticket.Id)).Append("</p>")
            .Append("<h1>").Append(Html.Escape(received.Title)).Append("</h1><table>");
        Row(body, "Numéro", ticket.Id);
        Row(body, "Référence TicketHub", ticket.Reference);
        Row(body, "Statut", ToolStatus.Label(ticket.Status));
        Row(body, "Type", TicketLabels.Type(received.Type));
        Row(body, "Catégorie", received.Category);
        Row(body, "Urgence", TicketLabels.Urgency(received.Urgency));
        Row(body, tool.QueueLabel, received.Queue);
        Row(body, "Collège", $"{received.College.Name} ({received.College.Uai})");
        Row(body, "Commune", received.College.Commune);
        Row(body, "UT du collège", received.College.Ut);
        Row(body, "Demandeur", $"{received.Requester.Name} <{received.Requester.Email}>");
        Row(body, "Téléphone", received.Requester.Phone);
        Row(body, "Lieu", received.Location);
        Row(body, "Équipement", received.Equipment);
        body.Append("<tr><th>Signalements</th><td>");
        if (received.Flags.Count == 0)
        {
            body.Append("<span class=\"muted\">aucun</span>");
        }

        foreach (var flag in received.Flags)
        {
            body.Append("<strong>").Append(Html.Escape(TicketLabels.Flag(flag))).Append("</strong><br>");
        }

        body.Append("</td></tr>");
        Row(body, "Aiguillage (règle)", received.Routing?.Rule);
        Row(body, "Pourquoi cet outil", received.Routing?.Explanation);
        Row(body, "Déposé par le collège (UTC)", Format(received.CreatedAt));
        Row(body, "Reçu (UTC)", Format(ticket.ReceivedAt));
        Row(body, "Mise à jour (UTC)", Format(ticket.UpdatedAt));
        body.Append("</table><h2>Description</h2><p>").Append(Text(received.Description)).Append("</p>")
            .Append("<details><summary>JSON reçu</summary><pre>").Append(Html.Escape(PrettyJson(ticket.ReceivedJson))).Append("</pre></details>")
            .Append("<h2>Messages</h2>");
        if (ticket.Messages.Count == 0)
        {
            body.Append("<p class=\"muted\">Aucun message.</p>");
        }

        foreach (var message in ticket.Messages)
        {
            body.Append("<p><strong>").Append(Html.Escape(message.AuthorName ?? "?")).Append("</strong> (")
                .Append(Html.Escape(AuthorRoles.Label(message.AuthorRole))).Append(message.Public ? ", public" : ", note privée").Append("), ")
                .Append(Format(message.CreatedAt));
            if (message.HubMessageId is not null)
            {
                body.Append(" <span class=\"muted\">hubMessageId ").Append(Html.Escape(message.HubMessageId)).Append("</span>");
            }

            body.Append(" :<br>").Append(Text(message.Body)).Append("</p>");
        }

        var token = AntiforgeryField(http, antiforgery);
        body.Append("<h2>Agir en technicien</h2>").Append(StatusForm(tool, ticket, token, "ticket")).Append("<br>")
            .Append("<form method=\"post\" action=\"").Append(Html.Escape(TicketPath(tool, ticket.Id))).Append("/messages\">").Append(token)
            .Append("<input type=\"hidden\" name=\"back\" value=\"ticket\">")
            .Append("<textarea name=\"body\" required rows=\"3\" cols=\"60\" placeholder=\"Réponse du technicien\" aria-label=\"Message\"></textarea>")
            .Append("<select name=\"visibility\" aria-label=\"Visibilité\"><option value=\"public\">Réponse au collège (publique)</option>")
            .Append("<option value=\"private\">Note privée</option></select>")
            .Append("<button>Écrire</button></form>");
        return Html.Page(http, $"{tool.Name} {ticket.Id}", body.ToString());
    }

    private static string StatusForm(ExternalTool tool, ToolTicketRecord ticket, string antiforgeryField, string back)
    {
        var html = new StringBuilder()
            .Append("<form method=\"post\" action=\"").Append(Html.Escape(TicketPath(tool, ticket.Id))).Append("/status\">").Append(antiforgeryField)
            .Append("<input type=\"hidden\" name=\"back\" value=\"").Append(back).Append("\">")
            .Append("<select name=\"status\" aria-label=\"Statut\">");
        foreach (var (value, label) in ToolStatus.Labels)
        {
            html.Append("<option value=\"").Append(value).Append('"').Append(value == ticket.Status ? " selected" : "").Append('>')
                .Append(Html.Escape(label)).Append("</option>");
        }

        return html.Append("</select><button>Changer le statut</button></form>").ToString();
    }

    /// <summary>The ticket's page, also the contract's <c>url</c>.</summary>
    public static string TicketPath(ExternalTool tool, string id) => $"{tool.PagesPath}/tickets/{Uri.EscapeDataString(id)}";

    private static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Plain text, escaped, line breaks kept.</summary>
    private static string Text(string text) => Html.Escape(text).ReplaceLineEndings("<br>");

    private static string PrettyJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, Indented);
    }

    private static string AntiforgeryField(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{Html.Escape(tokens.FormFieldName)}\" value=\"{Html.Escape(tokens.RequestToken)}\">";
    }

    private static void Row(StringBuilder body, string label, string? value) =>
        body.Append("<tr><th>").Append(Html.Escape(label)).Append("</th><td>").Append(Html.Escape(value)).Append("</td></tr>");
}
