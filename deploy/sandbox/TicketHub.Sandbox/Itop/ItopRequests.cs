using System.Globalization;
using System.Text.Json;

namespace TicketHub.Sandbox.Itop;

/// <summary>
/// What iTop does to a UserRequest or an Incident when it is written: attribute values read from
/// REST's JSON, entries appended to case logs, stimuli applied along the lifecycle. Refusals throw
/// <see cref="ItopFailure"/> with iTop's codes and messages, and leave the ticket unchanged.
/// </summary>
internal static class ItopRequests
{
    /// <summary>Label of request_type in the REST account's language (French), as iTop 3.2 writes it in its refusal.</summary>
    private const string RequestTypeLabel = "Type de Requête";

    private static readonly HashSet<string> ReadOnly =
    [
        "id", "ref", "friendlyname", "status", "start_date", "end_date", "last_update", "close_date", "assignment_date",
        "resolution_date", "last_pending_date", "priority", "escalation_flag", "finalclass", "org_name", "caller_name",
        "agent_name", "service_name",
    ];

    /// <summary>A new ticket of <paramref name="className"/> from the <c>fields</c> of a core/create.</summary>
    public static ItopRequestRecord Create(string className, int id, int refNumber, DateTimeOffset now, JsonElement fields, int userId, ItopSandboxOptions options)
    {
        var request = Apply(
            new ItopRequestRecord
            {
                Id = -1, Class = className, RefNumber = refNumber, OrgId = 0, CallerId = 0, Title = "", Description = "", StartDate = now, LastUpdate = now,
                RequestType = options.IsItil ? "service_request" : "incident",
            },
            fields, now, userId, options);
        // iTop writes -1 as the key of an object not yet inserted, in its messages too.
        request = request with { Id = id };
        var missing = new (string Code, bool Empty)[]
        {
            ("org_id", request.OrgId == 0),
            ("caller_id", request.CallerId == 0),
            ("title", string.IsNullOrWhiteSpace(request.Title)),
            ("description", string.IsNullOrWhiteSpace(request.Description)),
        }.Where(attribute => attribute.Empty).Select(attribute => attribute.Code).ToList();
        return missing.Count == 0
            ? request
            : throw ItopFailure.Thrown($"{className}: missing mandatory value(s): {string.Join(", ", missing)}");
    }

    /// <summary>Sets the attributes of <paramref name="fields"/>, as core/create, core/update and core/apply_stimulus do.</summary>
    public static ItopRequestRecord Apply(ItopRequestRecord request, JsonElement fields, DateTimeOffset now, int userId, ItopSandboxOptions options)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            throw ItopFailure.Thrown("fields: a structure of attribute codes and values is expected");
        }

        foreach (var field in fields.EnumerateObject())
        {
            request = Set(request, field.Name, field.Value, now, userId, options);
        }

        return request;
    }

    private static ItopRequestRecord Set(ItopRequestRecord request, string code, JsonElement value, DateTimeOffset now, int userId, ItopSandboxOptions options)
    {
        if (ReadOnly.Contains(code))
        {
            throw ItopFailure.Thrown($"{code}: Attempting to set the value on the read-only attribute {request.Class}::{code}");
        }

        if (!ItopObjects.IsAttribute(request.Class, code))
        {
            throw ItopFailure.Thrown($"{code}: Unknown attribute");
        }

        var organizations = options.Organizations;
        return code switch
        {
            "org_id" => request with { OrgId = Organization(ExternalKey(code, value), organizations) },
            "caller_id" => request with { CallerId = ExternalKey(code, value) },
            "agent_id" => request with { AgentId = ExternalKey(code, value) },
            "service_id" => request with { ServiceId = ExternalKey(code, value) },
            "servicesubcategory_id" => request with { ServiceSubcategoryId = ExternalKey(code, value) },
            "team_id" => request,
            "title" => request with { Title = Text(code, value) },
            "description" => request with { Description = Text(code, value) },
            "solution" => request with { Solution = SolutionHtml(Text(code, value)) },
            "pending_reason" => request with { PendingReason = Text(code, value) },
            "urgency" => request with { Urgency = Enum(code, value, "1", "2", "3", "4") },
            "impact" => request with { Impact = Enum(code, value, "1", "2", "3") },
            "request_type" => request with { RequestType = RequestType(request, value, options) },
            "origin" => request with { Origin = Enum(code, value, "mail", "monitoring", "phone", "portal") },
            "public_log" => request with { PublicLog = [.. request.PublicLog, LogEntry(code, value, now, userId)] },
            "private_log" => request with { PrivateLog = [.. request.PrivateLog, LogEntry(code, value, now, userId)] },
            _ => throw ItopFailure.Thrown($"{code}: Unknown attribute"),
        };
    }

    /// <summary>
    /// The solution as iTop 3 keeps it (an HTML field): HTML stays as given; text without markup is
    /// put in one paragraph, its line breaks left as they are (iTop does not turn them into &lt;br&gt;).
    /// </summary>
    public static string SolutionHtml(string text) =>
        string.IsNullOrWhiteSpace(text) || text.TrimStart().StartsWith('<') ? text : $"<p>{ItopObjects.EscapeHtml(text)}</p>";

    /// <summary>
    /// request_type as iTop checks it when the ticket is written: with the ITIL modules only
    /// <c>service_request</c> (incidents are the class Incident), else incident or service_request.
    /// The refusal is iTop 3.2's, in French, as the REST account reads it.
    /// </summary>
    private static string RequestType(ItopRequestRecord request, JsonElement value, ItopSandboxOptions options)
    {
        var text = value.ValueKind is JsonValueKind.String ? value.GetString()! : value.GetRawText();
        string[] allowed = options.IsItil ? ["service_request"] : ["incident", "service_request"];
        if (allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        var issue = $"Valeur de l'attribut incorrecte '{RequestTypeLabel}' (request_type) : Value not allowed [{text}]";
        throw ItopFailure.Thrown($"{issue}: issues = {{0=>{issue}}}, class = {request.Class}, id = {request.Id.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Appends a log entry written by <paramref name="userId"/>.</summary>
    public static ItopRequestRecord AddPublicLogEntry(ItopRequestRecord request, string message, string format, DateTimeOffset now, int userId) =>
        request with { PublicLog = [.. request.PublicLog, new ItopLogEntryRecord(now, userId, ItopUsers.Name(userId), message, format)] };

    /// <summary>
    /// Applies <paramref name="stimulus"/>: the transition must exist from the current state, and
    /// the target state's mandatory attributes must be filled.
    /// </summary>
    public static ItopRequestRecord ApplyStimulus(ItopRequestRecord request, string stimulus, DateTimeOffset now, int userId)
    {
        var target = ItopLifecycle.Target(request.Status, stimulus)
            ?? throw ItopFailure.Reported(ItopFailure.InternalError, $"Invalid stimulus: '{stimulus}' on the object {request.Ref} in state '{request.Status}'");
        var missing = target switch
        {
            ItopLifecycle.Resolved when string.IsNullOrWhiteSpace(request.Solution) => "solution",
            ItopLifecycle.Pending when string.IsNullOrWhiteSpace(request.PendingReason) => "pending_reason",
            _ => null,
        };
        if (missing is not null)
        {
            throw ItopFailure.Reported(ItopFailure.InternalError, $"Missing mandatory attribute(s) for applying the stimulus: {missing}.");
        }

        return (request with { Status = target }) switch
        {
            { Status: ItopLifecycle.Assigned } assigned => assigned with
            {
                AssignmentDate = now,
                AgentId = assigned.AgentId == 0 ? (userId == ItopUsers.RestAccount ? ItopUsers.Technician : userId) : assigned.AgentId,
            },
            { Status: ItopLifecycle.Pending } pending => pending with { LastPendingDate = now },
            { Status: ItopLifecycle.Resolved } resolved => resolved with { ResolutionDate = now },
            { Status: ItopLifecycle.Closed } closed => closed with { CloseDate = now },
            var other => other,
        };
    }

    /// <summary>An external key given as an id (number or numeric string); 0 empties it.</summary>
    private static int ExternalKey(string code, JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => "0",
            _ => null,
        };
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw ItopFailure.Thrown($"{code}: the sandbox finds external keys by id only (got {value.GetRawText()})");
    }

    private static int Organization(int id, IReadOnlyCollection<int> organizations) =>
        id == 0 || organizations.Count == 0 || organizations.Contains(id)
            ? id
            : throw ItopFailure.Thrown($"org_id: Invalid object Organization::{id}");

    private static string Text(string code, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Null => "",
        _ => throw ItopFailure.Thrown($"{code}: a text is expected"),
    };

    private static string Enum(string code, JsonElement value, params string[] allowed)
    {
        var text = value.ValueKind is JsonValueKind.Number ? value.GetRawText() : value.ValueKind is JsonValueKind.String ? value.GetString()! : "";
        return allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw ItopFailure.Thrown($"{code}: Value not allowed [{text}] (allowed: {string.Join(", ", allowed)})");
    }

    /// <summary>
    /// A case log value: a string appends an HTML entry; <c>{"add_item": {"message", "format"}}</c>
    /// appends one in the given format (HTML by default); anything else would replace the log, which
    /// the sandbox does not do.
    /// </summary>
    private static ItopLogEntryRecord LogEntry(string code, JsonElement value, DateTimeOffset now, int userId)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return new ItopLogEntryRecord(now, userId, ItopUsers.Name(userId), value.GetString()!, "html");
        }

        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("add_item", out var item))
        {
            throw ItopFailure.Thrown($"{code}: Missing 'items' elements");
        }

        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            throw ItopFailure.Thrown($"{code}: Missing mandatory entry: 'message'");
        }

        var format = item.TryGetProperty("format", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString()! : "html";
        if (format is not ("html" or "text"))
        {
            throw ItopFailure.Thrown($"{code}: unknown format '{format}' (html or text)");
        }

        if (item.TryGetProperty("user_id", out _))
        {
            throw ItopFailure.Thrown($"{code}: Only administrators can set the user id", ItopFailure.Unauthorized);
        }

        return new ItopLogEntryRecord(now, userId, ItopUsers.Name(userId), message.GetString()!, format);
    }
}
