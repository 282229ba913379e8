using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Shared.Text;

namespace TicketHub.Connectors.Itop.Itop;

/// <summary>
/// The operations the hub performs in iTop, on top of <see cref="IItopApi"/>: builds
/// <c>json_data</c>, and turns a non-zero <c>code</c> (HTTP 200 all the same) into an
/// <see cref="ItopException"/>. Transport failures (HTTP errors, timeouts, an open circuit) come
/// out as they are: they are worth trying again, an <see cref="ItopException"/> is not.
/// </summary>
internal sealed class ItopClient(IItopApi api, IOptions<ItopOptions> options)
{
    /// <summary>What the connector reads back after creating a request.</summary>
    public const string CreatedFields = "id,ref,status,last_update";

    /// <summary>What a lookup by hub reference needs to tell the exact match, on class Ticket (which has no status).</summary>
    public const string LookupFields = "id,ref,finalclass,last_update,description";

    /// <summary>What the status and reply sync reads.</summary>
    public const string SyncFields = "id,ref,status,last_update,solution,public_log";

    /// <summary>What the connector reads back after writing in the public log.</summary>
    public const string LogFields = "id,last_update,public_log";

    /// <summary><c>core/create</c> of a ticket of class <paramref name="className"/>. Never retried by the HTTP pipeline.</summary>
    public async Task<ItopObject> CreateTicketAsync(string className, ItopTicketInput fields, string comment, CancellationToken cancellationToken)
    {
        var response = await CallAsync("core/create", new ItopCreateRequest(className, comment, CreatedFields, fields), ItopJsonContext.Default.ItopCreateRequest, readOnly: false, cancellationToken);
        return Single("core/create", response);
    }

    /// <summary>
    /// <c>core/get</c> on <paramref name="className"/> with an OQL key; an empty list when iTop answers
    /// <c>"objects": null</c> and says it found none. An answer that says it found some but holds
    /// none cannot be read, and throws: it is never taken for "nothing found".
    /// </summary>
    public async Task<IReadOnlyList<ItopObject>> GetTicketsAsync(string className, string oql, string outputFields, CancellationToken cancellationToken)
    {
        var response = await CallAsync("core/get", new ItopGetRequest(className, oql, outputFields), ItopJsonContext.Default.ItopGetRequest, readOnly: true, cancellationToken);
        var found = response.Objects is null ? [] : response.Objects.Values.OrderBy(ticket => ticket.Key).ToList();
        if (FoundCount(response.Message) is { } announced && announced != found.Count)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"iTop answered core/get on {className} with '{response.Message}' but {found.Count} object(s): the answer cannot be trusted."));
        }

        return found;
    }

    /// <summary>
    /// Whether iTop knows class <paramref name="className"/>: a <c>core/get</c> that matches nothing
    /// answers code 0 when it does, and code 100 "is not a valid class" when the module is not
    /// installed. Any other answer throws: it tells nothing about the class.
    /// </summary>
    public async Task<bool> HasClassAsync(string className, CancellationToken cancellationToken)
    {
        try
        {
            await GetTicketsAsync(className, $"SELECT {className} WHERE id = 0", "id", cancellationToken);
            return true;
        }
        catch (ItopException ex) when (ex.Error.IsUnknownClass)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>core/update</c> appending <paramref name="message"/> (plain text, sent as HTML through
    /// <see cref="ToolHtml.FromPlainText"/>) to the public log of <paramref name="ticket"/>; returns
    /// the ticket with its whole log.
    /// </summary>
    public async Task<ItopObject> AddPublicLogEntryAsync(ItopTicketRef ticket, string message, string comment, CancellationToken cancellationToken)
    {
        var update = new ItopUpdateRequest(ticket.Class, comment, ticket.Key, LogFields, ItopPublicLogUpdate.Html(ToolHtml.FromPlainText(message)));
        var response = await CallAsync("core/update", update, ItopJsonContext.Default.ItopUpdateRequest, readOnly: false, cancellationToken);
        return Single("core/update", response);
    }

    /// <summary>
    /// <c>core/apply_stimulus</c> <paramref name="stimulus"/> on <paramref name="ticket"/>, writing
    /// <paramref name="solution"/> (plain text, sent as HTML through <see cref="ToolHtml.FromPlainText"/>)
    /// as its solution; returns the ticket's status after it. A stimulus its state has no transition
    /// for is refused (code 100 "Invalid stimulus"). Never retried by the HTTP pipeline.
    /// </summary>
    public async Task<ItopObject> ResolveAsync(ItopTicketRef ticket, string stimulus, string solution, string comment, CancellationToken cancellationToken)
    {
        var request = new ItopStimulusRequest(ticket.Class, comment, ticket.Key, stimulus, "status", new ItopSolutionInput(ToolHtml.FromPlainText(solution)));
        var response = await CallAsync("core/apply_stimulus", request, ItopJsonContext.Default.ItopStimulusRequest, readOnly: false, cancellationToken);
        return Single("core/apply_stimulus", response);
    }

    /// <summary>
    /// <c>core/create</c> of an Attachment of UserRequest <see cref="ItopAttachmentInput.ItemId"/>;
    /// the answer names its key only (not the file back). Never retried by the HTTP pipeline.
    /// </summary>
    public async Task<ItopAttachmentObject> CreateAttachmentAsync(ItopAttachmentInput fields, string comment, CancellationToken cancellationToken)
    {
        var form = Form(new ItopAttachmentCreateRequest(comment, "id", fields), ItopJsonContext.Default.ItopAttachmentCreateRequest);
        var response = await api.CallOnAttachmentsAsync(options.Value.Version, form, readOnly: false, cancellationToken);
        Check("core/create", response.Code, response.Message);
        var result = response.Objects?.Values.SingleOrDefault()
            ?? throw new InvalidOperationException("iTop answered core/create with code 0 but no object.");
        return result.Code == 0 ? result : throw new ItopException("core/create", new ItopError(result.Code, result.Message ?? ""));
    }

    /// <summary><c>core/get</c> of Attachments with an OQL key, their file included; an empty list when none.</summary>
    public async Task<IReadOnlyList<ItopAttachmentObject>> GetAttachmentsAsync(string oql, CancellationToken cancellationToken)
    {
        var form = Form(new ItopAttachmentGetRequest(oql, "item_class,item_id,contents"), ItopJsonContext.Default.ItopAttachmentGetRequest);
        var response = await api.CallOnAttachmentsAsync(options.Value.Version, form, readOnly: true, cancellationToken);
        Check("core/get", response.Code, response.Message);
        return response.Objects is null ? [] : [.. response.Objects.Values.OrderBy(found => found.Key)];
    }

    /// <summary>N of iTop's "Found: N", or null when the message says something else.</summary>
    private static int? FoundCount(string? message) =>
        message is not null && message.StartsWith("Found: ", StringComparison.Ordinal)
            && int.TryParse(message.AsSpan("Found: ".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : null;

    private static Dictionary<string, string> Form<T>(T request, JsonTypeInfo<T> type) =>
        new() { ["json_data"] = JsonSerializer.Serialize(request, type) };

    private static void Check(string operation, int code, string? message)
    {
        if (code != 0)
        {
            throw new ItopException(operation, new ItopError(code, message ?? ""));
        }
    }

    private async Task<ItopResponse> CallAsync<T>(string operation, T request, JsonTypeInfo<T> type, bool readOnly, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["json_data"] = JsonSerializer.Serialize(request, type) };
        var response = await api.CallAsync(options.Value.Version, form, readOnly, cancellationToken);
        if (response.Code != 0)
        {
            throw new ItopException(operation, new ItopError(response.Code, response.Message ?? ""));
        }

        return response;
    }

    private static ItopObject Single(string operation, ItopResponse response)
    {
        var result = response.Objects?.Values.SingleOrDefault()
            ?? throw new InvalidOperationException($"iTop answered {operation} with code 0 but no object.");
        return result.Code == 0 ? result : throw new ItopException(operation, new ItopError(result.Code, result.Message ?? ""));
    }
}
