using System.Text;
using System.Text.Json;

namespace TicketHub.Portal.Services;

/// <summary>The classifier's API: categories, the collèges registry, the rule set in force.</summary>
public sealed class ClassifierClient(HttpClient http, ILogger<ClassifierClient> logger) : ServiceClient(http, "d'orientation", logger)
{
    public Task<ApiResult<List<Category>>> CategoriesAsync(CancellationToken cancellationToken) =>
        GetAsync<List<Category>>("api/v1/categories", cancellationToken);

    public Task<ApiResult<List<CollegeView>>> CollegesAsync(CancellationToken cancellationToken) =>
        GetAsync<List<CollegeView>>("api/v1/colleges", cancellationToken);

    public Task<ApiResult<CollegeView>> CollegeAsync(string uai, CancellationToken cancellationToken) =>
        GetAsync<CollegeView>($"api/v1/colleges/{Uri.EscapeDataString(uai)}", cancellationToken);

    /// <summary>The rule set in force, as the classifier serves it (shown as it is, not interpreted).</summary>
    public Task<ApiResult<JsonElement>> RuleSetAsync(CancellationToken cancellationToken) =>
        GetAsync<JsonElement>("api/v1/ruleset", cancellationToken);

    /// <summary>What the title and description of a request about to be sent suggest, and the open tickets of <paramref name="collegeUai"/> like it (issue 16).</summary>
    public Task<ApiResult<SuggestionView>> SuggestAsync(string? title, string? description, string? category, string? collegeUai, CancellationToken cancellationToken) =>
        PostJsonAsync<SuggestionView>("api/v1/suggestions", new { title, description, category, collegeUai }, cancellationToken);

    /// <summary><c>POST /api/v1/colleges/import</c> with the CSV as it was uploaded (UTF-8).</summary>
    public Task<ApiResult<ImportSummary>> ImportCollegesAsync(byte[] csv, CancellationToken cancellationToken) =>
        SendAsync<ImportSummary>(() => new HttpRequestMessage(HttpMethod.Post, "api/v1/colleges/import")
        {
            Content = new ByteArrayContent(csv) { Headers = { ContentType = new("text/csv") { CharSet = Encoding.UTF8.WebName } } },
        }, cancellationToken);
}
