using System.Text.Encodings.Web;
using System.Text.Json;

namespace TicketHub.Sandbox.Glpi;

/// <summary>
/// GLPI's answers: JSON with GLPI's own field names, and errors as <c>["ERROR_CODE", "message"]</c>
/// with the status GLPI uses. Some messages end with a link to the inline documentation, as GLPI's do.
/// </summary>
internal static class GlpiResults
{
    // Relaxed escaping keeps accents and markup readable; these answers are JSON, never inlined in a page.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Ok(object? body, int status = StatusCodes.Status200OK) =>
        Results.Json(body, Json, statusCode: status);

    public static IResult Error(int status, string code, object message) =>
        Results.Json(new[] { code, message }, Json, statusCode: status);

    /// <summary>An error whose message points at the documentation, like GLPI's <c>returnError(…, docmessage: true)</c>.</summary>
    public static IResult DocumentedError(HttpContext http, int status, string code, string message) =>
        Error(status, code, $"{message}; view documentation in your browser at {ApiUrl(http)}/#{code}");

    public static IResult ItemNotFound() => Error(StatusCodes.Status404NotFound, "ERROR_ITEM_NOT_FOUND", "Item not found");

    public static IResult BadArray(HttpContext http) =>
        DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR_BAD_ARRAY", "input parameter must be an array of objects");

    /// <summary>Base URL of the emulated API as the caller sees it.</summary>
    public static string ApiUrl(HttpContext http) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{GlpiApi.BasePath}";

    /// <summary>
    /// HTML as GLPI 10 returns it: its input sanitizer stored it encoded once more, with numeric
    /// entities (<c>&lt;p&gt;</c> → <c>&amp;#60;p&amp;#62;</c>, an apostrophe sent as <c>&amp;#39;</c> →
    /// <c>&amp;#38;#39;</c>). GLPI 11 stores it as sent.
    /// </summary>
    public static string? Encoded(string? text, GlpiSandboxOptions options)
    {
        if (text is null || options.Version >= 11)
        {
            return text;
        }

        var encoded = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => encoded.Append("&#38;"),
                '<' => encoded.Append("&#60;"),
                '>' => encoded.Append("&#62;"),
                '"' => encoded.Append("&#34;"),
                _ => encoded.Append(c),
            };
        }

        return encoded.ToString();
    }

    /// <summary>
    /// A ticket, follow-up or solution view as the API returns it: text fields encoded as the version
    /// stores them (<see cref="Encoded"/>), and no <c>externalid</c> before GLPI 11.
    /// </summary>
    public static Dictionary<string, object?> AsApi(Dictionary<string, object?> view, GlpiSandboxOptions options)
    {
        foreach (var field in new[] { "name", "content" })
        {
            if (view.TryGetValue(field, out var value) && value is string text)
            {
                view[field] = Encoded(text, options);
            }
        }

        if (!options.HasExternalId)
        {
            view.Remove("externalid");
        }

        return view;
    }

    /// <summary>A requester of a ticket as <c>Ticket/{id}/Ticket_User</c> shows it (type 1).</summary>
    public static Dictionary<string, object?> Requester(GlpiTicketRecord ticket) => new()
    {
        ["id"] = ticket.Id,
        ["tickets_id"] = ticket.Id,
        ["users_id"] = ticket.RequesterUserId,
        ["type"] = 1,
        ["use_notification"] = 1,
        ["alternative_email"] = ticket.RequesterUserId > 0 ? "" : ticket.RequesterEmail ?? "",
    };

    public static Dictionary<string, object?> Ticket(GlpiTicketRecord ticket, GlpiDates dates) => new()
    {
        ["id"] = ticket.Id,
        ["entities_id"] = ticket.EntityId,
        ["name"] = ticket.Name,
        ["date"] = dates.Format(ticket.Date),
        ["closedate"] = dates.Format(ticket.CloseDate),
        ["solvedate"] = dates.Format(ticket.SolveDate),
        ["date_mod"] = dates.Format(ticket.DateMod),
        ["users_id_lastupdater"] = ticket.LastUpdaterUserId,
        ["status"] = ticket.Status,
        ["users_id_recipient"] = ticket.RecipientUserId,
        ["requesttypes_id"] = 1,
        ["content"] = ticket.Content,
        ["urgency"] = ticket.Urgency,
        ["impact"] = ticket.Impact,
        ["priority"] = ticket.Priority,
        ["itilcategories_id"] = ticket.CategoryId,
        ["type"] = ticket.Type,
        ["global_validation"] = 1,
        ["externalid"] = ticket.ExternalId,
        ["is_deleted"] = ticket.IsDeleted ? 1 : 0,
        ["date_creation"] = dates.Format(ticket.Date),
    };

    public static Dictionary<string, object?> Followup(GlpiFollowupRecord followup, GlpiDates dates) => new()
    {
        ["id"] = followup.Id,
        ["itemtype"] = "Ticket",
        ["items_id"] = followup.TicketId,
        ["date"] = dates.Format(followup.Date),
        ["users_id"] = followup.UserId,
        ["users_id_editor"] = 0,
        ["content"] = followup.Content,
        ["is_private"] = followup.IsPrivate ? 1 : 0,
        ["requesttypes_id"] = 1,
        ["date_mod"] = dates.Format(followup.Date),
        ["date_creation"] = dates.Format(followup.Date),
    };

    public static Dictionary<string, object?> Solution(GlpiSolutionRecord solution, GlpiDates dates) => new()
    {
        ["id"] = solution.Id,
        ["itemtype"] = "Ticket",
        ["items_id"] = solution.TicketId,
        ["solutiontypes_id"] = 0,
        ["solutiontype_name"] = null,
        ["content"] = solution.Content,
        ["date_creation"] = dates.Format(solution.Date),
        ["date_mod"] = dates.Format(solution.Date),
        ["date_approval"] = null,
        ["users_id"] = solution.UserId,
        ["user_name"] = null,
        ["users_id_editor"] = 0,
        ["users_id_approval"] = 0,
        ["user_name_approval"] = null,
        ["status"] = solution.Status,
        ["itilfollowups_id"] = null,
    };

    public static Dictionary<string, object?> Document(GlpiDocumentRecord document, GlpiDates dates) => new()
    {
        ["id"] = document.Id,
        ["entities_id"] = document.EntityId,
        ["is_recursive"] = 0,
        ["name"] = document.Name,
        ["filename"] = document.FileName,
        ["filepath"] = document.FileName.Length == 0 ? "" : $"{Path.GetExtension(document.FileName).TrimStart('.').ToUpperInvariant()}/{document.Sha1[..2]}/{document.Sha1[2..]}{Path.GetExtension(document.FileName)}",
        ["documentcategories_id"] = 0,
        ["mime"] = document.Mime,
        ["date_mod"] = dates.Format(document.Date),
        ["comment"] = null,
        ["is_deleted"] = 0,
        ["link"] = "",
        ["users_id"] = document.UserId,
        ["tickets_id"] = 0,
        ["sha1sum"] = document.Sha1,
        ["is_blacklisted"] = 0,
        ["tag"] = $"{document.Id:x8}-0000-0000-0000-{document.Id:x12}",
        ["date_creation"] = dates.Format(document.Date),
    };

    public static Dictionary<string, object?> DocumentLink(GlpiDocumentLinkRecord link, GlpiDates dates) => new()
    {
        ["id"] = link.Id,
        ["documents_id"] = link.DocumentId,
        ["items_id"] = link.ItemId,
        ["itemtype"] = link.ItemType,
        ["entities_id"] = 0,
        ["is_recursive"] = 0,
        ["date_mod"] = dates.Format(link.Date),
        ["users_id"] = GlpiUsers.ApiAccount,
        ["timeline_position"] = 0,
        ["date_creation"] = dates.Format(link.Date),
        ["date"] = dates.Format(link.Date),
    };

    /// <summary>A user as <c>User/{id}</c> shows one (the password and tokens GLPI leaves out are left out).</summary>
    public static Dictionary<string, object?> User(int id, (string Login, string? FirstName, string? RealName) user) => new()
    {
        ["id"] = id,
        ["name"] = user.Login,
        ["realname"] = user.RealName,
        ["firstname"] = user.FirstName,
        ["is_active"] = 1,
        ["entities_id"] = 0,
    };
}
