using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Demandes;

/// <summary>
/// An attachment, fetched from intake with the user's token and passed on. Always downloaded
/// (<c>Content-Disposition: attachment</c>), never shown inline: a file a collège sent must not run
/// as a page of the portal. Only a few harmless types keep their content type.
/// </summary>
public sealed class PieceJointeModel(IntakeClient intake) : PortalPageModel
{
    private static readonly HashSet<string> KeptTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "text/plain",
    };

    public async Task<IActionResult> OnGetAsync(Guid id, Guid attachmentId, CancellationToken cancellationToken)
    {
        var (response, problem) = await intake.OpenAttachmentAsync(id, attachmentId, cancellationToken);
        if (response is null)
        {
            return Refusal(problem!) ?? StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        HttpContext.Response.RegisterForDispose(response);
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var fileName = response.Content.Headers.ContentDisposition?.FileNameStar
            ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
            ?? "piece-jointe";
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new FileStreamResult(stream, contentType is not null && KeptTypes.Contains(contentType) ? contentType : "application/octet-stream")
        {
            FileDownloadName = Path.GetFileName(fileName),
            EnableRangeProcessing = false,
            LastModified = null,
            EntityTag = null as EntityTagHeaderValue,
        };
    }
}
