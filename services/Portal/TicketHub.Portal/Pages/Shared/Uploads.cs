using TicketHub.Portal.Display;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Shared;

/// <summary>
/// The files of a form (a new ticket, a comment): what the portal can check before sending them —
/// how many, how large, not empty. Intake checks their content; its refusals come back per file.
/// </summary>
public static class Uploads
{
    /// <summary>The files chosen, or none with the error added under <paramref name="field"/>.</summary>
    public static IReadOnlyList<UploadedFile> Check(IEnumerable<IFormFile> chosen, PortalOptions limits, FormErrors errors, string field)
    {
        var files = chosen.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList();
        if (files.Count > limits.MaxAttachments)
        {
            errors.Add(field, $"Joignez au plus {limits.MaxAttachments} fichiers : vous en avez choisi {files.Count}.");
        }
        else if (files.FirstOrDefault(f => f.Length > limits.MaxAttachmentBytes) is { } tooLarge)
        {
            errors.Add(field, $"Le fichier « {Path.GetFileName(tooLarge.FileName)} » pèse {FrenchFormat.Size(tooLarge.Length)} : chaque fichier doit peser au plus {FrenchFormat.Size(limits.MaxAttachmentBytes)}.");
        }
        else if (files.FirstOrDefault(f => f.Length == 0) is { } empty)
        {
            errors.Add(field, $"Le fichier « {Path.GetFileName(empty.FileName)} » est vide.");
        }
        else
        {
            return [.. files.Select(f => new UploadedFile(Path.GetFileName(f.FileName), f.ContentType, f.Length, f.OpenReadStream))];
        }

        return [];
    }

    /// <summary>Intake's refusal of a file (<c>attachments[N]</c>), or of the files as a whole, as one line for the form.</summary>
    public static string? Refusal(ApiProblem problem) =>
        problem.Errors.Where(e => e.Key.StartsWith("attachments", StringComparison.Ordinal)).SelectMany(e => e.Value).FirstOrDefault();
}
