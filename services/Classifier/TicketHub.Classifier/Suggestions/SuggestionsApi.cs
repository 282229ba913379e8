using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Classifier.Routing;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Suggestions;

/// <summary>
/// <c>POST /api/v1/suggestions</c>: what a request's title and description suggest, before it is sent,
/// so that the form can show it and the person decide (issue 16). Every role may ask: whoever fills
/// the form.
/// </summary>
public static class SuggestionsApi
{
    public static IEndpointRouteBuilder MapSuggestionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/suggestions", Suggest)
            .WithTags("Suggestions")
            .RequireHubRoles([.. HubRoles.All]);
        return app;
    }

    private static Results<Ok<SuggestionView>, ProblemHttpResult> Suggest(SuggestionRequest request, RequestSuggester suggester, RuleSet ruleSet)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Title?.Length > FieldFormats.TitleMaxLength)
        {
            errors["title"] = [$"Le titre compte {request.Title.Length} caractères : {FieldFormats.TitleMaxLength} au plus."];
        }

        if (request.Description?.Length > FieldFormats.DescriptionMaxLength)
        {
            errors["description"] = [$"La description compte {request.Description.Length} caractères : {FieldFormats.DescriptionMaxLength} au plus."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "Aucune suggestion : corrigez les champs signalés.");
        }

        return TypedResults.Ok(SuggestionView.Of(suggester.Suggest(request.Title, request.Description), request.Category, ruleSet));
    }
}

/// <param name="Category">The category the person chose, if any: says whether the suggested one differs.</param>
public sealed record SuggestionRequest(string? Title, string? Description, string? Category);

/// <summary>
/// A suggestion and whether it is worth showing: <see cref="ZoneConfident"/> when the zone reaches the
/// rule set's threshold (the classifier would use it for a ticket without a zone),
/// <see cref="CategoryConfident"/> when the category does and differs from the one chosen.
/// </summary>
public sealed record SuggestionView(
    string? Zone,
    double ZoneConfidence,
    bool ZoneConfident,
    string? Category,
    string? CategoryLabel,
    double CategoryConfidence,
    bool CategoryConfident,
    double? Threshold)
{
    public static SuggestionView Of(Suggestion suggestion, string? chosenCategory, RuleSet ruleSet)
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
            threshold);
    }
}
