using System.Net.Http.Json;
using System.Text.Json;

namespace TicketHub.Portal.Services;

/// <summary>What every service client shares: send, read the value or the problem, survive a service that is down.</summary>
public abstract class ServiceClient(HttpClient http, string serviceName, ILogger logger)
{
    protected static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    protected HttpClient Http { get; } = http;

    protected Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    protected Task<ApiResult<T>> PostJsonAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);

    protected async Task<ApiResult<T>> SendAsync<T>(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        try
        {
            using var request = build();
            using var response = await Http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return ApiResult<T>.Failure(await ApiProblem.ReadAsync(response, cancellationToken));
            }

            var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
            return value is null
                ? ApiResult<T>.Failure(ApiProblem.Unavailable(serviceName))
                : ApiResult<T>.Success(response.StatusCode, value);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning(ex, "Call to {Service} failed", serviceName);
            return ApiResult<T>.Failure(ApiProblem.Unavailable(serviceName));
        }
    }

    protected static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToList();
        return given.Count == 0
            ? ""
            : "?" + string.Join('&', given.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!.Trim())}"));
    }
}
