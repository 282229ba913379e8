using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace TicketHub.Sandbox.Itop;

/// <summary>
/// A UserRequest or an Incident as iTop's REST API writes it: attribute code → value, numbers and keys as strings
/// (PHP writes database values that way), dates in local time, case logs as
/// <c>{"entries": [...]}</c> oldest first, an empty external key as <c>"0"</c>.
/// </summary>
internal static partial class ItopObjects
{
    /// <summary>The attribute codes of UserRequest that the sandbox knows, in the order iTop lists them for <c>output_fields: "*"</c>.</summary>
    public static readonly IReadOnlyList<string> Attributes =
    [
        "ref", "org_id", "org_name", "caller_id", "caller_name", "team_id", "agent_id", "agent_name", "title", "description",
        "start_date", "end_date", "last_update", "close_date", "private_log", "status", "request_type", "impact", "priority",
        "urgency", "origin", "service_id", "service_name", "servicesubcategory_id", "escalation_flag", "assignment_date",
        "resolution_date", "last_pending_date", "solution", "pending_reason", "public_log", "finalclass", "friendlyname",
    ];

    /// <summary>Ticket's own attributes: all that a search on the parent class can return.</summary>
    private static readonly HashSet<string> TicketAttributes =
    [
        "id", "ref", "org_id", "org_name", "caller_id", "caller_name", "team_id", "agent_id", "agent_name", "title", "description",
        "start_date", "end_date", "last_update", "close_date", "private_log", "finalclass", "friendlyname",
    ];

    private static readonly HashSet<string> Known = [.. Attributes, "id"];

    /// <summary>Incident has UserRequest's attributes but request_type.</summary>
    private static readonly HashSet<string> IncidentAttributes = [.. Known.Where(code => code != "request_type")];

    /// <summary>Whether any ticket class knows <paramref name="code"/>.</summary>
    public static bool IsAttribute(string code) => Known.Contains(code);

    /// <summary>Whether class <paramref name="className"/> (UserRequest, Incident or Ticket) has attribute <paramref name="code"/>.</summary>
    public static bool IsAttribute(string className, string code) => className switch
    {
        ItopClassNames.Incident => IncidentAttributes.Contains(code),
        ItopClassNames.Ticket => TicketAttributes.Contains(code),
        _ => Known.Contains(code),
    };

    /// <summary>The attributes <c>output_fields: "*"</c> gives for <paramref name="className"/>.</summary>
    public static IReadOnlyList<string> AttributesOf(string className) => [.. Attributes.Where(code => IsAttribute(className, code))];

    /// <summary>
    /// As iTop 3.2 escapes text (PHP's htmlspecialchars, HTML5 entities): the five special characters
    /// only, the apostrophe as <c>&amp;apos;</c>, accents kept.
    /// </summary>
    public static string EscapeHtml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&apos;", StringComparison.Ordinal);

    public static Dictionary<string, object?> Fields(ItopRequestRecord request, ItopDates dates, IEnumerable<string> codes) =>
        codes.ToDictionary(code => code, code => Value(request, dates, code));

    /// <summary>The value of one attribute, as the REST API writes it.</summary>
    public static object? Value(ItopRequestRecord request, ItopDates dates, string code) => code switch
    {
        "id" => Key(request.Id),
        "ref" or "friendlyname" => request.Ref,
        "org_id" => Key(request.OrgId),
        "org_name" => $"Organisation {request.OrgId}",
        "caller_id" => Key(request.CallerId),
        "caller_name" => $"Personne {request.CallerId}",
        "team_id" => "0",
        "agent_id" => Key(request.AgentId),
        "agent_name" => request.AgentId == 0 ? "" : ItopUsers.Name(request.AgentId),
        "title" => request.Title,
        "description" => request.Description,
        "start_date" => dates.Format(request.StartDate),
        "end_date" or "close_date" => dates.Format(request.CloseDate),
        "last_update" => dates.Format(request.LastUpdate),
        "private_log" => CaseLog(request.PrivateLog, dates),
        "public_log" => CaseLog(request.PublicLog, dates),
        "status" => request.Status,
        "request_type" => request.RequestType,
        "impact" => request.Impact,
        "priority" => request.Priority,
        "urgency" => request.Urgency,
        "origin" => request.Origin,
        "service_id" => Key(request.ServiceId),
        "service_name" => request.ServiceId == 0 ? "" : $"Service {request.ServiceId}",
        "servicesubcategory_id" => Key(request.ServiceSubcategoryId),
        "escalation_flag" => "no",
        "assignment_date" => dates.Format(request.AssignmentDate),
        "resolution_date" => dates.Format(request.ResolutionDate),
        "last_pending_date" => dates.Format(request.LastPendingDate),
        "solution" => request.Solution,
        "pending_reason" => request.PendingReason,
        "finalclass" => request.Class,
        _ => null,
    };

    public static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Entries oldest first, each with its text both ways: <c>message</c> plain, <c>message_html</c>
    /// HTML, whatever the format it was written in.
    /// </summary>
    private static Dictionary<string, object> CaseLog(IReadOnlyList<ItopLogEntryRecord> entries, ItopDates dates) => new()
    {
        ["entries"] = entries.Select(entry => new Dictionary<string, object?>
        {
            ["date"] = dates.Format(entry.Date),
            ["user_login"] = entry.UserName,
            ["user_id"] = Key(entry.UserId),
            ["message"] = entry.Format == "html" ? HtmlToText(entry.Message) : entry.Message,
            ["message_html"] = entry.Format == "html" ? entry.Message : TextToHtml(entry.Message),
        }).ToList(),
    };

    /// <summary>As PHP's htmlspecialchars then nl2br: the five special characters only, accents kept.</summary>
    public static string TextToHtml(string text) =>
        EscapeHtml(text).ReplaceLineEndings("\n").Replace("\n", "<br/>", StringComparison.Ordinal);

    public static string HtmlToText(string html) =>
        WebUtility.HtmlDecode(Tag().Replace(LineBreak().Replace(html, "\n"), "")).Trim();

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"<br\s*/?>|</p>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();
}
