using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.Itop;

/// <summary>
/// Pages to play the infogérant's technician in iTop: the requests received, a page per request with
/// its public log, forms to move it along its lifecycle and to answer in the public log; iTop's
/// <c>pages/UI.php</c> links land there. JSON under <c>/itop/_sandbox</c> for scripts and tests.
/// </summary>
internal static class ItopPages
{
    public static IEndpointRouteBuilder MapItopPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/itop");
        pages.MapGet("/", RequestList);
        pages.MapGet("/tickets/{id:int}", RequestPage);
        pages.MapGet("/pages/UI.php", (string? operation, string? @class, int? id) =>
            Results.Redirect(operation == "details" && @class is null or ItopClassNames.UserRequest or ItopClassNames.Incident && id is { } key ? $"/itop/tickets/{key}" : "/itop"));
        pages.MapPost("/tickets/{id:int}/stimulus", (HttpContext http, ItopStore store, int id, [FromForm] string stimulus, [FromForm] string? text, [FromForm] string? back) =>
            Outcome(http, id, back, () => ApplyStimulus(store, id, stimulus, text)));
        pages.MapPost("/tickets/{id:int}/log", (HttpContext http, ItopStore store, int id, [FromForm] string? message, [FromForm] string? back) =>
            Outcome(http, id, back, () => AddReply(store, id, message)));

        var sandbox = pages.MapGroup("/_sandbox");
        sandbox.MapFaults(ItopRestApi.Tool);
        sandbox.MapGet("/tickets", (ItopStore store, ItopDates dates) =>
            Results.Json(store.All().Select(request =>
            {
                var fields = ItopObjects.Fields(request, dates, ["id", .. ItopObjects.Attributes]);
                fields["attachments"] = store.AttachmentsOf(request).Select(attachment => AttachmentView(attachment, dates)).ToList();
                return fields;
            })));
        // Every Attachment, its file described (name, type, size, SHA-256) rather than sent back.
        sandbox.MapGet("/attachments", (ItopStore store, ItopDates dates) =>
            Results.Json(store.Attachments().Select(attachment => AttachmentView(attachment, dates))));
        sandbox.MapDelete("/tickets", (ItopStore store) =>
        {
            store.Reset();
            return Results.NoContent();
        });
        sandbox.MapPost("/tickets/{id:int}/stimulus", (ItopStore store, int id, TechnicianAction action) =>
            ScriptOutcome(() => ApplyStimulus(store, id, action.Stimulus ?? "", action.Text)));
        sandbox.MapPost("/tickets/{id:int}/log", (ItopStore store, int id, TechnicianAction action) =>
            ScriptOutcome(() => AddReply(store, id, action.Message)));
        return app;
    }

    private static Dictionary<string, object?> AttachmentView(ItopAttachmentRecord attachment, ItopDates dates) => new()
    {
        ["id"] = ItopObjects.Key(attachment.Id),
        ["item_class"] = attachment.ItemClass,
        ["item_id"] = ItopObjects.Key(attachment.ItemId),
        ["item_org_id"] = ItopObjects.Key(attachment.ItemOrgId),
        ["creation_date"] = dates.Format(attachment.CreationDate),
        ["filename"] = attachment.FileName,
        ["mimetype"] = attachment.MimeType,
        ["size"] = attachment.Data.LongLength,
        ["sha256"] = attachment.Sha256,
    };

    /// <summary>What a script asks the technician to do: a stimulus (with its solution or reason) or a reply.</summary>
    internal sealed record TechnicianAction(string? Stimulus, string? Text, string? Message);

    /// <summary>The sandbox home page's row for iTop.</summary>
    public static string IndexRow(HttpContext http)
    {
        var api = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{ItopRestApi.Path}";
        var count = http.RequestServices.GetRequiredService<ItopStore>().All().Count;
        return $"""
            <tr><td><a href="/itop">iTop</a></td><td>API REST/JSON (rest.php, version 1.3) : core/create, core/get (OQL), core/update, core/apply_stimulus ; pièces jointes (Attachment)</td>
                <td><code>{Html.Escape(api)}</code></td><td>{count}</td></tr>
            """;
    }

    /// <summary>Applies a stimulus as the technician; the solution or pending reason comes in <paramref name="text"/>.</summary>
    private static ItopRequestRecord? ApplyStimulus(ItopStore store, int id, string stimulus, string? text) =>
        store.Update(id, (request, now) =>
        {
            var withText = stimulus switch
            {
                "ev_resolve" when !string.IsNullOrWhiteSpace(text) => request with { Solution = ItopRequests.SolutionHtml(text.Trim()) },
                "ev_pending" when !string.IsNullOrWhiteSpace(text) => request with { PendingReason = text.Trim() },
                _ => request,
            };
            return ItopRequests.ApplyStimulus(withText, stimulus, now, ItopUsers.Technician);
        });

    /// <summary>Writes the technician's answer in the public log (plain text); an empty one changes nothing.</summary>
    private static ItopRequestRecord? AddReply(ItopStore store, int id, string? message) =>
        string.IsNullOrWhiteSpace(message)
            ? store.Find(id)
            : store.Update(id, (request, now) => ItopRequests.AddPublicLogEntry(request, message.Trim(), "text", now, ItopUsers.Technician));

    private static IResult Outcome(HttpContext http, int id, string? back, Func<ItopRequestRecord?> action)
    {
        try
        {
            return action() is null
                ? Results.NotFound()
                : Results.Redirect(back == "ticket" ? $"/itop/tickets/{id}" : "/itop");
        }
        catch (ItopFailure failure)
        {
            http.Response.StatusCode = StatusCodes.Status409Conflict;
            return Html.Page(http, "Action impossible", $"""
                <p><a href="/itop">iTop</a> › <a href="/itop/tickets/{id}">demande {id}</a></p>
                <h1>Action impossible</h1><p>iTop refuse : {Html.Escape(failure.Message)}</p>
                """);
        }
    }

    private static IResult ScriptOutcome(Func<ItopRequestRecord?> action)
    {
        try
        {
            return action() is { } request
                ? Results.Json(new { id = request.Id, status = request.Status, entries = request.PublicLog.Count })
                : Results.NotFound();
        }
        catch (ItopFailure failure)
        {
            return Results.Conflict(new { code = failure.Code, message = failure.Message });
        }
    }

    private static IResult RequestList(HttpContext http, ItopStore store, ItopDates dates, IAntiforgery antiforgery)
    {
        var requests = store.All();
        var body = new StringBuilder()
            .Append("<p><a href=\"/\">Bac à sable</a> › iTop</p><h1>iTop (émulé) : incidents et demandes reçus</h1>");
        if (requests.Count == 0)
        {
            body.Append("<p class=\"muted\">Aucune demande reçue pour l'instant.</p>");
            return Html.Page(http, "iTop émulé", body.ToString());
        }

        var token = AntiforgeryField(http, antiforgery);
        body.Append("<table><tr><th>Référence</th><th>Classe</th><th>Titre</th><th>Organisation</th><th>Urgence</th><th>Statut</th>")
            .Append("<th>Ouverture</th><th>Dernière mise à jour</th><th>Journal public</th><th>Agir en technicien</th></tr>");
        foreach (var request in requests)
        {
            body.Append("<tr><td><a href=\"/itop/tickets/").Append(request.Id).Append("\">").Append(Html.Escape(request.Ref)).Append("</a></td>")
                .Append("<td>").Append(ClassLabel(request)).Append("</td>")
                .Append("<td>").Append(Html.Escape(request.Title)).Append("</td>")
                .Append("<td>").Append(Html.Escape(ItopObjects.Value(request, dates, "org_name") as string)).Append("</td>")
                .Append("<td>").Append(Html.Escape(ItopLifecycle.UrgencyLabel(request.Urgency))).Append("</td>")
                .Append("<td>").Append(Html.Escape(ItopLifecycle.StatusLabel(request.Status))).Append("</td>")
                .Append("<td>").Append(dates.Format(request.StartDate)).Append("</td>")
                .Append("<td>").Append(dates.Format(request.LastUpdate)).Append("</td>")
                .Append("<td>").Append(request.PublicLog.Count.ToString(CultureInfo.InvariantCulture)).Append(" entrée(s)</td>")
                .Append("<td>").Append(Forms(request, token, "list")).Append("</td></tr>");
        }

        return Html.Page(http, "iTop émulé", body.Append("</table>").ToString());
    }

    private static string ClassLabel(ItopRequestRecord request) =>
        request.Class == ItopClassNames.Incident ? "Incident" : "Demande utilisateur";

    private static IResult RequestPage(HttpContext http, ItopStore store, ItopDates dates, IAntiforgery antiforgery, int id)
    {
        if (store.Find(id) is not { } request)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Html.Page(http, "Demande introuvable", $"<p><a href=\"/itop\">iTop</a></p><h1>Demande {id} introuvable</h1>");
        }

        var body = new StringBuilder()
            .Append("<p><a href=\"/\">Bac à sable</a> › <a href=\"/itop\">iTop</a> › ").Append(Html.Escape(request.Ref)).Append("</p>")
            .Append("<h1>").Append(Html.Escape(request.Title)).Append("</h1><table>");
        foreach (var (label, code) in new[]
        {
            ("Référence", "ref"), ("Organisation", "org_name"), ("Demandeur", "caller_name"), ("Agent", "agent_name"),
            ("Type", request.Class == ItopClassNames.Incident ? "" : "request_type"), ("Origine", "origin"), ("Service", "service_name"), ("Ouverture", "start_date"),
            ("Dernière mise à jour", "last_update"), ("Solution", "solution"), ("Raison de l'attente", "pending_reason"),
        })
        {
            Row(body, label, ItopObjects.Value(request, dates, code) as string);
        }

        Row(body, "Classe", ClassLabel(request));
        Row(body, "Urgence", ItopLifecycle.UrgencyLabel(request.Urgency));
        Row(body, "Statut", ItopLifecycle.StatusLabel(request.Status));
        body.Append("</table><h2>Description</h2>")
            // The HTML the connector sent, shown as iTop would, in a frame that can run nothing.
            .Append("<iframe sandbox=\"\" title=\"Description\" srcdoc=\"").Append(Html.Escape(request.Description)).Append("\"></iframe>")
            .Append("<details><summary>HTML reçu</summary><pre>").Append(Html.Escape(request.Description)).Append("</pre></details>")
            .Append("<h2>Pièces jointes</h2>");
        var attachments = store.AttachmentsOf(request);
        if (attachments.Count == 0)
        {
            body.Append("<p class=\"muted\">Aucune pièce jointe.</p>");
        }
        else
        {
            body.Append("<table><tr><th>Fichier</th><th>Taille</th><th>Type</th><th>Ajoutée le</th></tr>");
            foreach (var attachment in attachments)
            {
                body.Append("<tr><td>").Append(Html.Escape(attachment.FileName)).Append("</td>")
                    .Append("<td>").Append(Html.Escape(Html.FileSize(attachment.Data.LongLength))).Append("</td>")
                    .Append("<td>").Append(Html.Escape(attachment.MimeType)).Append("</td>")
                    .Append("<td>").Append(dates.Format(attachment.CreationDate)).Append("</td></tr>");
            }

            body.Append("</table>");
        }

        body.Append("<h2>Journal public</h2>");
        if (request.PublicLog.Count == 0)
        {
            body.Append("<p class=\"muted\">Aucune entrée.</p>");
        }

        foreach (var entry in request.PublicLog)
        {
            var text = entry.Format == "html" ? ItopObjects.HtmlToText(entry.Message) : entry.Message;
            body.Append("<p><strong>").Append(Html.Escape(entry.UserName)).Append("</strong>, ").Append(dates.Format(entry.Date)).Append(" :<br>")
                .Append(Html.Escape(text).ReplaceLineEndings("<br>")).Append("</p>");
        }

        body.Append("<h2>Agir en technicien</h2>").Append(Forms(request, AntiforgeryField(http, antiforgery), "ticket"));
        return Html.Page(http, request.Ref, body.ToString());
    }

    /// <summary>One form per stimulus the request's state allows (with its solution or reason), and one to answer.</summary>
    private static string Forms(ItopRequestRecord request, string antiforgeryField, string back)
    {
        var html = new StringBuilder();
        foreach (var stimulus in ItopLifecycle.Available(request.Status))
        {
            var (label, needs) = ItopLifecycle.Stimuli[stimulus];
            html.Append("<form method=\"post\" action=\"/itop/tickets/").Append(request.Id).Append("/stimulus\">").Append(antiforgeryField)
                .Append("<input type=\"hidden\" name=\"back\" value=\"").Append(back).Append("\">")
                .Append("<input type=\"hidden\" name=\"stimulus\" value=\"").Append(stimulus).Append("\">");
            if (needs is not null)
            {
                var placeholder = needs == "solution" ? "Solution" : "Raison de l'attente";
                html.Append("<input name=\"text\" required placeholder=\"").Append(placeholder).Append("\" aria-label=\"").Append(placeholder).Append("\">");
            }

            html.Append("<button>").Append(Html.Escape(label)).Append("</button></form> ");
        }

        return html.Append("<br><form method=\"post\" action=\"/itop/tickets/").Append(request.Id).Append("/log\">").Append(antiforgeryField)
            .Append("<input type=\"hidden\" name=\"back\" value=\"").Append(back).Append("\">")
            .Append("<input name=\"message\" required placeholder=\"Réponse du technicien\" aria-label=\"Réponse\">")
            .Append("<button>Répondre dans le journal public</button></form>")
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
