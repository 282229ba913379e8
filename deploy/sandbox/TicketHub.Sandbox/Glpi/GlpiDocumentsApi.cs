using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TicketHub.Sandbox.Glpi;

/// <summary>
/// GLPI's documents (apirest.md, "Upload a document file"): <c>POST /Document</c> as
/// <c>multipart/form-data</c> with a JSON <c>uploadManifest</c> and the file part(s); given
/// <c>itemtype</c> and <c>items_id</c>, GLPI links the new document to that item in the same call
/// (Document::post_addItem), and names the document after it ("Document : Ticket - &lt;title&gt;"),
/// as GLPI 10 does. Also the reads a client needs: documents by name, their links, a ticket's links.
/// </summary>
internal static partial class GlpiApi
{
    private static void MapDocuments(RouteGroupBuilder session)
    {
        session.MapPost("/Document", CreateDocumentAsync).DisableAntiforgery();
        session.MapGet("/Document", ListDocuments);
        session.MapGet("/Document/{id:int}", GetDocument);
        session.MapGet("/Document/{id:int}/Document_Item", (HttpContext http, GlpiStore store, GlpiDates dates, int id) =>
            store.FindDocument(id) is null ? GlpiResults.ItemNotFound() : Links(http, store.DocumentLinks(documentId: id), dates));
        session.MapGet("/Ticket/{id:int}/Document_Item", (HttpContext http, GlpiStore store, GlpiDates dates, int id) =>
            store.FindTicket(id) is null ? GlpiResults.ItemNotFound() : Links(http, store.DocumentLinks(itemType: "Ticket", itemId: id), dates));
        session.MapPost("/Document_Item", CreateDocumentLinkAsync);
    }

    private static async Task<IResult> CreateDocumentAsync(HttpContext http, GlpiStore store, IOptions<GlpiSandboxOptions> options)
    {
        JsonElement input;
        IFormFile? file = null;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (!form.TryGetValue("uploadManifest", out var manifest))
            {
                return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_JSON_PAYLOAD_INVALID", "JSON payload seems not valid");
            }

            try
            {
                using var document = JsonDocument.Parse(manifest.ToString());
                if (!document.RootElement.TryGetProperty("input", out var manifestInput) || manifestInput.ValueKind != JsonValueKind.Object)
                {
                    return GlpiResults.BadArray(http);
                }

                input = manifestInput.Clone();
            }
            catch (JsonException)
            {
                return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_JSON_PAYLOAD_INVALID", "JSON payload seems not valid");
            }

            file = form.Files.Count > 0 ? form.Files[0] : null;
        }
        else
        {
            var (json, error) = await ReadInputAsync(http);
            if (error is not null)
            {
                return error;
            }

            if (json.ValueKind != JsonValueKind.Object)
            {
                return GlpiResults.BadArray(http);
            }

            input = json;
        }

        var settings = options.Value;
        var entityId = Integer(input, "entities_id") ?? 0;
        if (settings.ForbiddenEntities.Contains(entityId))
        {
            return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_GLPI_ADD", "You don't have permission to perform this action.");
        }

        var itemType = Text(input, "itemtype");
        var itemId = Integer(input, "items_id") ?? 0;
        (string, int)? linkTo = !string.IsNullOrEmpty(itemType) && itemId > 0 ? (itemType, itemId) : null;
        byte[] content = [];
        if (file is not null)
        {
            if (file.Length > settings.DocumentMaxSize)
            {
                return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_GLPI_ADD", "File too large to be added.");
            }

            var extension = Path.GetExtension(file.FileName).TrimStart('.');
            if (settings.RefusedExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
            {
                return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_GLPI_ADD", $"Fichier {file.FileName} : type de fichier non autorisé.");
            }

            using var bytes = new MemoryStream();
            await file.CopyToAsync(bytes, http.RequestAborted);
            content = bytes.ToArray();
        }
        else if (linkTo is not null)
        {
            // A document made from an item's form must come with its file (Document::prepareInputForAdd).
            return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_GLPI_ADD", "Unable to add the document: no file was uploaded.");
        }

        var fileName = file?.FileName ?? "";
        var (created, _) = store.AddDocument((id, now) => new GlpiDocumentRecord
        {
            Id = id,
            EntityId = entityId,
            // Document::prepareInputForAdd names a document made from an item's form after that item,
            // whatever name the input gave: "Document : Ticket - <title>".
            Name = linkTo is ("Ticket", var ticketId) && store.FindTicket(ticketId) is { } ticket ? $"Document : Ticket - {ticket.Name}"
                : Text(input, "name") is { Length: > 0 } name ? name
                : fileName,
            FileName = fileName,
            Mime = file?.ContentType ?? "",
            Size = content.LongLength,
            Sha1 = file is null ? "" : Convert.ToHexStringLower(SHA1.HashData(content)),
            Sha256 = file is null ? "" : Convert.ToHexStringLower(SHA256.HashData(content)),
            UserId = GlpiUsers.ApiAccount,
            Date = now,
        }, linkTo);
        http.Response.Headers.Location = $"{GlpiResults.ApiUrl(http)}/Document/{created.Id}";
        return GlpiResults.Ok(new Dictionary<string, object?>
        {
            ["id"] = created.Id,
            ["message"] = file is null ? "" : "Document move succeeded.",
            ["upload_result"] = file is null ? null : new Dictionary<string, object>
            {
                ["filename"] = new[] { new Dictionary<string, object> { ["name"] = fileName, ["size"] = content.LongLength, ["type"] = created.Mime } },
            },
        }, StatusCodes.Status201Created);
    }

    /// <summary>Documents, filtered by <c>searchText[name]</c> (a LIKE), paged by <c>range</c>.</summary>
    private static IResult ListDocuments(HttpContext http, GlpiStore store, GlpiDates dates)
    {
        if (!GlpiRange.TryParse(http.Request.Query["range"], out var range))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", "range must be in format : [start-end] with integers");
        }

        var filters = new List<(string Column, string Value)>();
        foreach (var (key, value) in http.Request.Query)
        {
            var match = SearchTextKey().Match(key);
            if (match.Success && !string.IsNullOrEmpty(value))
            {
                filters.Add((match.Groups[1].Value == "all" ? "name" : match.Groups[1].Value, value.ToString()));
            }
        }

        var rows = store.Documents().Select(document => GlpiResults.Document(document, dates)).ToList();
        foreach (var (column, _) in filters.Where(filter => rows.Count > 0 && !rows[0].ContainsKey(filter.Column)))
        {
            return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_SQL", $"Unknown column '{column}' in 'where clause'");
        }

        rows = [.. rows.Where(view => filters.TrueForAll(filter => IsLike(Convert.ToString(view[filter.Column], CultureInfo.InvariantCulture), filter.Value)))];
        return Page(http, rows, range);
    }

    private static IResult GetDocument(GlpiStore store, GlpiDates dates, int id) =>
        store.FindDocument(id) is { } document ? GlpiResults.Ok(GlpiResults.Document(document, dates)) : GlpiResults.ItemNotFound();

    private static IResult Links(HttpContext http, IReadOnlyList<GlpiDocumentLinkRecord> links, GlpiDates dates)
    {
        GlpiRange.TryParse(http.Request.Query["range"], out var range);
        return Page(http, [.. links.Select(link => GlpiResults.DocumentLink(link, dates))], range);
    }

    private static async Task<IResult> CreateDocumentLinkAsync(HttpContext http, GlpiStore store)
    {
        var (input, error) = await ReadInputAsync(http);
        if (error is not null)
        {
            return error;
        }

        if (input.ValueKind != JsonValueKind.Object)
        {
            return GlpiResults.BadArray(http);
        }

        var link = store.LinkDocument(Integer(input, "documents_id") ?? 0, Text(input, "itemtype") ?? "", Integer(input, "items_id") ?? 0);
        if (link is null)
        {
            return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_GLPI_ADD", "Item already linked or not found");
        }

        http.Response.Headers.Location = $"{GlpiResults.ApiUrl(http)}/Document_Item/{link.Id}";
        return GlpiResults.Ok(new Dictionary<string, object> { ["id"] = link.Id, ["message"] = "" }, StatusCodes.Status201Created);
    }
}
