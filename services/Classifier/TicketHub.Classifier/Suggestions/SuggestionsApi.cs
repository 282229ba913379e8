using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Classifier.Routing;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Suggestions;

/// <summary>
/// <c>POST /api/v1/suggestions</c>: what a request's title and description suggest, before it is sent,
/// so that the form can show it and the person decide (issue 16): a zone and a category, and the
/// collège's open tickets that read like it (the same fault, perhaps, to follow rather than report
/// again). Every role may ask: whoever fills the form; the open tickets only for those who may see
/// them (a collège its own, the Pôle TIE any collège's).
/// </summary>
public static class SuggestionsApi
{
    public static IEndpointRouteBuilder MapSuggestionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/suggestions", SuggestAsync)
            .WithTags("Suggestions")
            .RequireHubRoles([.. HubRoles.All]);
        return app;
    }

    private static async Task<Results<Ok<SuggestionView>, ProblemHttpResult>> SuggestAsync(SuggestionRequest request, HttpContext context,
        SuggesterTraining suggesters, OpenTicketIndex openTickets, RuleSet ruleSet, CancellationToken cancellationToken)
    {
        var user = context.HubUser();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Title?.Length > FieldFormats.TitleMaxLength)
        {
            errors["title"] = [$"Le titre compte {request.Title.Length} caractères : {FieldFormats.TitleMaxLength} au plus."];
        }

        if (request.Description?.Length > FieldFormats.DescriptionMaxLength)
        {
            errors["description"] = [$"La description compte {request.Description.Length} caractères : {FieldFormats.DescriptionMaxLength} au plus."];
        }

        var college = request.CollegeUai?.Trim();
        if (college is { Length: > 0 } && !FieldFormats.IsUai(college))
        {
            errors["collegeUai"] = ["Le numéro UAI du collège compte 7 chiffres et une lettre, par exemple 0931234X."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "Aucune suggestion : corrigez les champs signalés.");
        }

        if (user.IsCollege && college is { Length: > 0 } && college != user.Uai)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, $"Vous ne voyez que les demandes de votre collège ({user.Uai}).");
        }

        // A collège sees its own open tickets; the Pôle TIE, filing for a collège, that collège's.
        var seen = user.IsCollege ? user.Uai : user.Role is HubRoles.Dispatcher or HubRoles.Admin && college is { Length: > 0 } ? college : null;
        var similar = seen is null ? [] : await openTickets.FindSimilarAsync(seen, request.Title, request.Description, cancellationToken);
        return TypedResults.Ok(SuggestionView.Of(suggesters.Current.Suggest(request.Title, request.Description), request.Category, ruleSet, similar));
    }
}

/// <param name="Category">The category the person chose, if any: says whether the suggested one differs.</param>
/// <param name="CollegeUai">The collège the request is for (a collège user's own when absent): whose open tickets are compared.</param>
public sealed record SuggestionRequest(string? Title, string? Description, string? Category, string? CollegeUai = null);

/// <summary>
/// A suggestion and whether it is worth showing: <see cref="ZoneConfident"/> when the zone reaches the
/// rule set's threshold (the classifier would use it for a ticket without a zone),
/// <see cref="CategoryConfident"/> when the category does and differs from the one chosen; the
/// collège's open tickets that read like it (<see cref="Similar"/>, most alike first, three at most).
/// </summary>
public sealed record SuggestionView(
    string? Zone,
    double ZoneConfidence,
    bool ZoneConfident,
    string? Category,
    string? CategoryLabel,
    double CategoryConfidence,
    bool CategoryConfident,
    double? Threshold,
    IReadOnlyList<SimilarTicket> Similar)
{
    public static SuggestionView Of(Suggestion suggestion, string? chosenCategory, RuleSet ruleSet, IReadOnlyList<SimilarTicket> similar)
    {
        var threshold = ruleSet.SuggestedZoneThreshold;
        var label = ruleSet.Categories.FirstOrDefault(c => c.Code == suggestion.Category)?.Label;
        return new SuggestionView(
            suggestion.Zone,
            Math.Round(suggestion.ZoneConfidence, 3),
            suggestion.Zone is not null && suggestion.ZoneConfidence >= threshold,
            suggestion.Category,
            label,
            Math.Round(suggestion.CategoryConfidence, 3),
            suggestion.Category is not null && suggestion.CategoryConfidence >= threshold
                && !string.Equals(suggestion.Category, chosenCategory?.Trim(), StringComparison.OrdinalIgnoreCase),
            threshold,
            similar);
    }
}
