using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Shared.Http;
using TicketHub.Connectors.Shared.Tool;

namespace TicketHub.Connectors.Shared.Api;

internal static class ToolClientExtensions
{
    /// <summary>
    /// The client of the hub's contract, with its own resilience pipeline (<see cref="ConnectorResilience"/>).
    /// Reads are retried on any transient failure. A POST is retried only when the tool said it did not act
    /// (429 or 503, after its Retry-After): after a timeout or a 500 the outcome is uncertain, so the
    /// message is retried instead and the ticket is looked up by reference before any new POST.
    /// </summary>
    public static IServiceCollection AddToolClient(this IServiceCollection services)
    {
        services.AddTransient<ToolTokenHandler>();
        var client = services.AddRefitGeneratedClient<IToolApi>(ToolJsonContext.Default)
            .ConfigureHttpClient((provider, http) => http.BaseAddress = provider.GetRequiredService<IOptions<ToolOptions>>().Value.Http.ApiUri)
            .RedactLoggedHeaders(["Authorization"]);
        client.AddConnectorResilience(
            provider => provider.GetRequiredService<IOptions<ToolOptions>>().Value.Http.Timeout,
            retry => retry.RetryOnlyWhen((request, response) =>
                IsSafe(request) || response?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable));
        client.AddHttpMessageHandler<ToolTokenHandler>();
        return services;
    }

    private static bool IsSafe(HttpRequestMessage? request) => request?.Method == HttpMethod.Get || request?.Method == HttpMethod.Head;
}

/// <summary>Adds the tool's bearer token to each call; the token never reaches a log.</summary>
internal sealed class ToolTokenHandler(IOptions<ToolOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Http.ApiToken);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>What the tool answered when a call failed.</summary>
internal sealed record ToolError(HttpStatusCode Status, string Detail)
{
    /// <summary>
    /// The tool refused the request itself: repeating it cannot succeed. Throttling, conflicts,
    /// timeouts and server errors are not refusals.
    /// </summary>
    public bool IsRefusal => (int)Status is >= 400 and < 500
        && Status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests);

    /// <summary>The problem's detail or title when the tool sent RFC 9457 problem details; else the status.</summary>
    public static ToolError From(ApiException exception)
    {
        var detail = ReadProblem(exception.Content) ?? exception.ReasonPhrase ?? exception.StatusCode.ToString();
        return new ToolError(exception.StatusCode, detail.Length <= 500 ? detail : detail[..500]);
    }

    private static string? ReadProblem(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return null;
            }

            var title = root.TryGetProperty("title", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) && d.ValueKind == System.Text.Json.JsonValueKind.String ? d.GetString() : null;
            var errors = root.TryGetProperty("errors", out var e) ? " " + e.GetRawText() : "";
            return (detail ?? title) is { } text ? text + errors : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
