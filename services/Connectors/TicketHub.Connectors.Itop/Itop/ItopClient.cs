using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

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

    /// <summary>What a lookup by hub reference needs to tell the exact match.</summary>
    public const string LookupFields = "id,ref,status,last_update,description";

    /// <summary>What the status and reply sync reads.</summary>
    public const string SyncFields = "id,ref,status,last_update,solution,public_log";

    /// <summary>What the connector reads back after writing in the public log.</summary>
    public const string LogFields = "id,last_update,public_log";

    /// <summary><c>core/create</c> of a UserRequest. Never retried by the HTTP pipeline.</summary>
    public async Task<ItopObject> CreateUserRequestAsync(ItopUserRequestInput fields, string comment, CancellationToken cancellationToken)
    {
        var response = await CallAsync("core/create", new ItopCreateRequest(comment, CreatedFields, fields), ItopJsonContext.Default.ItopCreateRequest, readOnly: false, cancellationToken);
        return Single("core/create", response);
    }

    /// <summary><c>core/get</c> with an OQL key; an empty list when iTop answers <c>"objects": null</c>.</summary>
    public async Task<IReadOnlyList<ItopObject>> GetUserRequestsAsync(string oql, string outputFields, CancellationToken cancellationToken)
    {
        var response = await CallAsync("core/get", new ItopGetRequest(oql, outputFields), ItopJsonContext.Default.ItopGetRequest, readOnly: true, cancellationToken);
        return response.Objects is null ? [] : [.. response.Objects.Values.OrderBy(found => found.Key)];
    }

    /// <summary>
    /// <c>core/update</c> appending <paramref name="message"/> (plain text) to the public log of
    /// UserRequest <paramref name="key"/>; returns the request with its whole log.
    /// </summary>
    public async Task<ItopObject> AddPublicLogEntryAsync(int key, string message, string comment, CancellationToken cancellationToken)
    {
        var update = new ItopUpdateRequest(comment, key, LogFields, ItopPublicLogUpdate.Text(message));
        var response = await CallAsync("core/update", update, ItopJsonContext.Default.ItopUpdateRequest, readOnly: false, cancellationToken);
        return Single("core/update", response);
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
