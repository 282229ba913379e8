using Refit;

namespace TicketHub.Connectors.Itop.Itop;

/// <summary>
/// iTop's REST entry point (<c>webservices/rest.php?version=1.3</c>): every operation is one form
/// POST whose <c>json_data</c> names it. <see cref="ItopCredentialsHandler"/> adds
/// <c>auth_user</c> and <c>auth_pwd</c> to the form; <see cref="ItopClient"/> builds the calls.
/// </summary>
internal interface IItopApi
{
    /// <param name="form"><c>json_data</c>, url-encoded.</param>
    /// <param name="readOnly">True for <c>core/get</c>: only such calls may be retried by the HTTP pipeline.</param>
    [Post("")]
    Task<ItopResponse> CallAsync(
        [Query] string version,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Property(ItopRequestOptions.ReadOnly)] bool readOnly,
        CancellationToken cancellationToken);

    /// <summary>The same entry point, for operations on Attachments (their answer holds Attachment fields).</summary>
    [Post("")]
    Task<ItopAttachmentResponse> CallOnAttachmentsAsync(
        [Query] string version,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Property(ItopRequestOptions.ReadOnly)] bool readOnly,
        CancellationToken cancellationToken);
}

internal static class ItopRequestOptions
{
    /// <summary>Request option set on calls that change nothing in iTop.</summary>
    public const string ReadOnly = "itop-read-only";

    public static bool IsReadOnly(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(new HttpRequestOptionsKey<bool>(ReadOnly), out var readOnly) && readOnly;
}
