using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Routing;

public static class CategoriesApi
{
    public static IEndpointRouteBuilder MapCategoriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/categories")
            .WithTags("Catégories")
            .MapGet("/", ListCategories)
            .RequireHubRoles([.. HubRoles.All]);
        return app;
    }

    /// <summary><c>[{code, label, zoneHint, building}]</c>, from the rule set: what the intake form offers.</summary>
    private static Ok<IReadOnlyList<Category>> ListCategories(RuleSet ruleSet) => TypedResults.Ok(ruleSet.Categories);
}
