using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using TicketHub.Intake.Http;
using TicketHub.ServiceDefaults;

namespace TicketHub.Intake.Attachments;

/// <summary>
/// Reads a <c>multipart/form-data</c> request: one part of JSON (<c>ticket</c> for a new ticket,
/// <c>comment</c> for a comment, checked afterwards by the same parser as a JSON body) and up to
/// <see cref="MaxFiles"/> parts named <c>attachments</c>, each checked by <see cref="Check"/>.
/// Every refused file is named in the answer. The same checks serve the files of a reply by e-mail.
/// </summary>
public static class TicketForm
{
    public const int MaxFiles = 5;

    public const long MaxFileSize = 10 * 1024 * 1024;

    public const string TicketPart = "ticket";

    public const string CommentPart = "comment";

    public const string FilesPart = "attachments";

    /// <summary>The form's JSON and its files, or the problem that refuses the form.</summary>
    private sealed record Result(byte[]? Json, IReadOnlyList<NewAttachment> Attachments, IDictionary<string, string[]>? FileErrors, ProblemHttpResult? Problem);

    /// <summary>
    /// A request's JSON as <see cref="JsonRequest"/> reads it (the document and its bytes), with the
    /// form's accepted files and the refused ones by field (null when none); or the problem that
    /// refuses the request (its content type, the form, or the JSON).
    /// </summary>
    public sealed record JsonAndFiles(
        JsonDocument? Document, byte[] Json, IReadOnlyList<NewAttachment> Attachments, IDictionary<string, string[]>? FileErrors, ProblemHttpResult? Problem);

    public static bool IsForm(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>The largest form: every file at its largest, the ticket's JSON, and room for the parts' headers.</summary>
    public static long BodyLimit(HttpRequest request) => (MaxFiles * MaxFileSize) + JsonRequest.BodyLimit(request) + (64 * 1024);

    /// <summary>One file as sent: accepted (its cleaned name and the type recognised from its content), or refused with why, in French.</summary>
    public sealed record FileCheck(NewAttachment? Accepted, string? Refusal);

    /// <summary>
    /// The checks every file goes through, from a form or a mail: not empty, at most
    /// <see cref="MaxFileSize"/> bytes, of a type recognised from its content (<see cref="AttachmentContent"/>),
    /// under a cleaned name (<see cref="AttachmentFileName"/>).
    /// </summary>
    /// <param name="position">The file's rank among those sent, for a name left empty.</param>
    public static FileCheck Check(string? sentName, byte[] content, int position)
    {
        var fileName = AttachmentFileName.Clean(sentName, position);
        if (content.LongLength > MaxFileSize)
        {
            return new FileCheck(null, $"La pièce jointe « {fileName} » dépasse {MaxFileSize / (1024 * 1024)} Mo.");
        }

        if (content.Length == 0)
        {
            return new FileCheck(null, $"La pièce jointe « {fileName} » est vide.");
        }

        return AttachmentContent.Recognise(content) is { } contentType
            ? new FileCheck(new NewAttachment(Guid.CreateVersion7(), fileName, contentType, content), null)
            : new FileCheck(null, $"La pièce jointe « {fileName} » n'est pas d'un type accepté ({AttachmentContent.AcceptedInFrench}) : le type est reconnu d'après le contenu du fichier, pas d'après son nom.");
    }

    /// <summary>
    /// Reads a JSON body, or a <c>multipart/form-data</c> one whose <paramref name="jsonPart"/> holds
    /// the same JSON, with files (<see cref="ReadAsync"/>).
    /// </summary>
    /// <param name="jsonPart"><see cref="TicketPart"/> or <see cref="CommentPart"/>: the name of the form's JSON part.</param>
    /// <param name="notJsonDetail">The 415's words for a body neither JSON nor a form; null for <see cref="JsonRequest"/>'s own.</param>
    public static async Task<JsonAndFiles> ReadJsonOrFormAsync(HttpRequest request, string jsonPart, string? notJsonDetail, CancellationToken cancellationToken)
    {
        if (IsForm(request))
        {
            var form = await ReadAsync(request, jsonPart, cancellationToken);
            if (form.Problem is not null)
            {
                return new JsonAndFiles(null, [], [], null, form.Problem);
            }

            var (formDocument, formJson, formProblem) = JsonRequest.Parse(form.Json!);
            return new JsonAndFiles(formDocument, formJson, form.Attachments, form.FileErrors, formProblem);
        }

        if (notJsonDetail is not null && !request.HasJsonContentType())
        {
            return new JsonAndFiles(null, [], [], null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, notJsonDetail));
        }

        var (document, json, problem) = await JsonRequest.ReadAsync(request, cancellationToken);
        return new JsonAndFiles(document, json, [], null, problem);
    }

    /// <param name="jsonPart"><see cref="TicketPart"/> or <see cref="CommentPart"/>: the name of the form's JSON part.</param>
    private static async Task<Result> ReadAsync(HttpRequest request, string jsonPart, CancellationToken cancellationToken)
    {
        var limit = BodyLimit(request);
        // Kestrel's own limit (Intake:MaxRequestBodySize) is for JSON bodies: this route raises it for
        // this request only, before anything is read.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (request.ContentLength > limit)
        {
            return Refused(Problems.Of(StatusCodes.Status413PayloadTooLarge,
                $"Le formulaire dépasse {limit / (1024 * 1024)} Mo : au plus {MaxFiles} pièces jointes de {MaxFileSize / (1024 * 1024)} Mo chacune."));
        }

        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
        {
            return Refused(Problems.Of(StatusCodes.Status400BadRequest, "Le formulaire multipart n'indique pas de délimiteur (boundary) valide."));
        }

        byte[]? json = null;
        var attachments = new List<NewAttachment>();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var files = 0;
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                var name = disposition is null ? "" : HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                switch (name)
                {
                    case var part when part == jsonPart && json is not null:
                        return Refused(Problems.Of(StatusCodes.Status400BadRequest, $"Le formulaire contient deux parties « {jsonPart} » : envoyez-la une seule fois."));
                    case var part when part == jsonPart:
                        json = await JsonRequest.ReadBytesAsync(section.Body, JsonRequest.BodyLimit(request), cancellationToken);
                        if (json is null)
                        {
                            return Refused(Problems.Of(StatusCodes.Status413PayloadTooLarge,
                                $"La partie « {jsonPart} » dépasse {JsonRequest.BodyLimit(request) / 1024} Ko."));
                        }

                        break;
                    case FilesPart:
                        var sentName = disposition!.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                        var content = await JsonRequest.ReadBytesAsync(section.Body, MaxFileSize, cancellationToken);
                        var fileName = AttachmentFileName.Clean(sentName, files);
                        if (content is null)
                        {
                            return Refused(Problems.Of(StatusCodes.Status413PayloadTooLarge,
                                $"La pièce jointe « {fileName} » dépasse {MaxFileSize / (1024 * 1024)} Mo."));
                        }

                        if (content.Length == 0 && string.IsNullOrEmpty(sentName))
                        {
                            // A form's file field left empty: no file chosen.
                            continue;
                        }

                        if (++files > MaxFiles)
                        {
                            return Refused(Problems.Validation(
                                new Dictionary<string, string[]> { [FilesPart] = [$"Au plus {MaxFiles} pièces jointes par demande."] },
                                "La demande contient des erreurs : corrigez les champs indiqués puis renvoyez-la."));
                        }

                        var check = Check(sentName, content, files - 1);
                        if (check.Accepted is { } accepted)
                        {
                            attachments.Add(accepted);
                        }
                        else
                        {
                            errors[$"{FilesPart}[{files - 1}]"] = [check.Refusal!];
                        }

                        break;
                    default:
                        return Refused(Problems.Validation(
                            new Dictionary<string, string[]> { [name.Length == 0 ? "$" : name] = [$"Partie inconnue : le formulaire contient « {jsonPart} » et, si besoin, des fichiers « {FilesPart} »."] },
                            "La demande contient des erreurs : corrigez les champs indiqués puis renvoyez-la."));
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException || (ex is IOException && ex is not BadHttpRequestException))
        {
            return Refused(Problems.Of(StatusCodes.Status400BadRequest, "Le formulaire multipart est mal formé : vérifiez ses délimiteurs et les en-têtes de ses parties."));
        }

        if (json is null)
        {
            return Refused(Problems.Of(StatusCodes.Status400BadRequest,
                $"Le formulaire ne contient pas de partie « {jsonPart} » : mettez-y {(jsonPart == TicketPart ? "la demande" : "le message")} en JSON, et les fichiers dans des parties « {FilesPart} »."));
        }

        return new Result(json, attachments, errors.Count == 0 ? null : errors, null);
    }

    private static Result Refused(ProblemHttpResult problem) => new(null, [], null, problem);
}
