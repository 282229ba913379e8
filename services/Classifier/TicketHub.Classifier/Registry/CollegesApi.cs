using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Registry;

/// <summary>
/// The collèges registry: read, edit one, import a CSV. Every change is audited under the signed-in
/// user. Every role but <c>college</c> reads the registry; a collège reads its own record only; only
/// an administrator changes it.
/// </summary>
public static class CollegesApi
{
    /// <summary>The size of <c>college_audit.changed_by</c>.</summary>
    private const int AuditNameLength = 100;

    private static readonly string[] Readers = [HubRoles.Infogerant, HubRoles.Rectorat, HubRoles.Omere, HubRoles.Dispatcher, HubRoles.Admin];

    public static IEndpointRouteBuilder MapCollegesApi(this IEndpointRouteBuilder app)
    {
        var colleges = app.MapGroup("/api/v1/colleges").WithTags("Collèges");
        colleges.MapGet("/", ListColleges).RequireHubRoles(Readers);
        colleges.MapGet("/{uai}", GetCollege).RequireHubRoles([.. Readers, HubRoles.College]);
        colleges.MapGet("/{uai}/history", GetHistory).RequireHubRoles(Readers);
        colleges.MapPut("/{uai}", PutCollege).RequireHubRoles(HubRoles.Admin);
        colleges.MapPost("/import", ImportColleges).RequireHubRoles(HubRoles.Admin);
        return app;
    }

    private static async Task<Ok<CollegeResponse[]>> ListColleges(CollegeStore store, CancellationToken cancellationToken)
    {
        var colleges = await store.ListAsync(cancellationToken);
        return TypedResults.Ok(colleges.Select(CollegeResponse.From).ToArray());
    }

    /// <summary>
    /// One collège. A collège asking for another one gets 403 whether that one exists or not (the
    /// same answer as intake gives for another collège's ticket).
    /// </summary>
    private static async Task<Results<Ok<CollegeResponse>, ProblemHttpResult>> GetCollege(
        string uai, HttpContext context, CollegeStore store, CancellationToken cancellationToken)
    {
        var user = context.HubUser();
        if (user.IsCollege && !string.Equals(uai, user.Uai, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "Vous ne consultez que la fiche de votre collège.");
        }

        var college = await store.FindAsync(uai.ToUpperInvariant(), cancellationToken);
        return college is null ? NotInRegistry(uai) : TypedResults.Ok(CollegeResponse.From(college));
    }

    private static async Task<Results<Ok<IReadOnlyList<CollegeAuditEntry>>, ProblemHttpResult>> GetHistory(string uai, CollegeStore store, CancellationToken cancellationToken)
    {
        var history = await store.ListAuditAsync(uai.ToUpperInvariant(), cancellationToken);
        return history.Count == 0 ? NotInRegistry(uai) : TypedResults.Ok(history);
    }

    /// <summary>Creates (201) or replaces (200) a collège; 422 with one message per invalid field.</summary>
    private static async Task<Results<Ok<CollegeResponse>, Created<CollegeResponse>, ProblemHttpResult>> PutCollege(
        string uai, CollegeRequest body, HttpContext context, CollegeStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        uai = uai.ToUpperInvariant();
        var (college, errors) = CollegeValidator.Validate(body.ToFields(uai), clock.GetLocalNow().Year);
        if (college is null)
        {
            return Problems.Validation(errors, "Le collège n'a pas été enregistré : corrigez les champs signalés.");
        }

        var outcome = await store.SaveAsync(college, context.HubUser().AuditNameWithin(AuditNameLength), cancellationToken);
        var saved = CollegeResponse.From((await store.FindAsync(uai, cancellationToken))!);
        return outcome == SaveOutcome.Created
            ? TypedResults.Created($"/api/v1/colleges/{uai}", saved)
            : TypedResults.Ok(saved);
    }

    /// <summary>
    /// Creates or updates every collège of a <c>text/csv</c> body (UTF-8); collèges absent from the
    /// file are kept. One bad row and nothing is imported: 422 with the errors by line.
    /// </summary>
    private static async Task<Results<Ok<ImportSummary>, ProblemHttpResult>> ImportColleges(
        HttpRequest request, CollegeStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType, "text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of(
                StatusCodes.Status415UnsupportedMediaType,
                "Envoyez le registre en CSV (Content-Type: text/csv), avec l'en-tête « uai,name,commune,ut,citeMixte,zaRepriseDate,builtYear ».");
        }

        string text;
        try
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            return Problems.Validation(
                new Dictionary<string, string[]> { ["fichier"] = ["Le fichier n'est pas en UTF-8 (enregistrez-le en « CSV UTF-8 » depuis votre tableur)."] },
                "Le fichier n'a pas pu être lu : rien n'a été importé.");
        }

        var result = CollegeCsv.Parse(text, clock.GetLocalNow().Year);
        if (!result.IsValid)
        {
            return Problems.Validation(result.ErrorsByLine(),
                $"Le fichier contient {result.Errors.Count} erreur(s) : rien n'a été importé. Corrigez les lignes signalées puis renvoyez-le.");
        }

        return TypedResults.Ok(await store.ImportAsync(result.Colleges, request.HttpContext.HubUser().AuditNameWithin(AuditNameLength), cancellationToken));
    }

    private static ProblemHttpResult NotInRegistry(string uai) =>
        Problems.Of(StatusCodes.Status404NotFound, $"Le collège « {uai} » ne figure pas dans le registre.");
}

/// <summary>
/// Body of <c>PUT /api/v1/colleges/{uai}</c>. Everything is optional here so that each missing field
/// gets its own message. An unknown field is refused (400), as intake does (ADR 0004): a misspelt
/// <c>zaRepriseDat</c> must not silently leave the collège without its reprise date.
/// </summary>
/// <param name="ZaRepriseDate"><c>yyyy-MM-dd</c>, or null while the Rectorat keeps the ZA.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CollegeRequest(string? Name, string? Commune, string? Ut, bool? CiteMixte, string? ZaRepriseDate, int? BuiltYear)
{
    public CollegeFields ToFields(string uai) => new(
        uai,
        Name,
        Commune,
        Ut,
        CiteMixte switch { true => "true", false => "false", null => null },
        ZaRepriseDate,
        BuiltYear?.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

public sealed record CollegeResponse(
    string Uai,
    string Name,
    string Commune,
    string Ut,
    bool CiteMixte,
    DateOnly? ZaRepriseDate,
    int? BuiltYear,
    DateTimeOffset UpdatedAt)
{
    public static CollegeResponse From(RegisteredCollege registered)
    {
        var college = registered.College;
        return new(college.Uai, college.Name, college.Commune, college.Ut, college.CiteMixte, college.ZaRepriseDate, college.BuiltYear, registered.UpdatedAt);
    }
}
