using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Attachments;

public static class AttachmentsApi
{
    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/tickets/{id}/attachments/{attachmentId}", DownloadAsync)
            .WithTags("Tickets")
            .RequireHubRoles([.. HubRoles.All]);
        return app;
    }

    /// <summary>
    /// The file's bytes, with the type recognised when it was received, always as a download
    /// (<c>Content-Disposition: attachment</c>) and never sniffed by the browser: a text file holding
    /// HTML stays text. Who may read the ticket may read its files (<see cref="TicketAccess"/>).
    /// </summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(
        string id, string attachmentId, HttpContext context, AttachmentStore store, CancellationToken cancellationToken)
    {
        var ticket = await store.FindTicketAsync(id, cancellationToken);
        if (TicketAccess.Refusal(context.HubUser(), ticket?.Scope) is { } refusal)
        {
            return refusal;
        }

        var attachment = Guid.TryParse(attachmentId, out var parsed) ? await store.FindAsync(ticket!.Value.Id, parsed, cancellationToken) : null;
        if (attachment is null)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "Cette demande n'a pas de pièce jointe portant cet identifiant.");
        }

        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(attachment.FileName);
        context.Response.Headers.ContentDisposition = disposition.ToString();
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(attachment.Content, attachment.ContentType);
    }
}
