using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TicketHub.Classifier.Tests.Functional;

internal static class Problems
{
    /// <summary>Asserts a French RFC 9457 ProblemDetails with <paramref name="status"/> and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var body = await response.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        }

        var problem = JsonDocument.Parse(body).RootElement.Clone();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo(title));
            Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
            Assert.That(problem.TryGetProperty("traceId", out _), Is.True, "traceId");
        }

        return problem;
    }

    public static string[] Errors(JsonElement problem, string key) =>
        problem.GetProperty("errors").GetProperty(key).Deserialize<string[]>()!;

    public static string[] ErrorKeys(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];

    public static Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        response.Content.ReadFromJsonAsync<JsonElement>();
}
