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
