using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TicketHub.ServiceDefaults;

namespace TicketHub.Testing.Hostile;

/// <summary>An answer, read once.</summary>
public sealed record HostileAnswer(int Status, string? MediaType, string Body, Uri? Location, HttpResponseHeaders Headers)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// Sends generated requests to a service in process and checks, for every answer: no 5xx; an error
/// is a French RFC 9457 ProblemDetails whose <c>status</c> is the HTTP status; a refused request,
/// and any GET, leaves the database as it was; an accepted one passes the caller's check (its text
/// comes back as sent). Failures are collected, not thrown, so that one run reports them all.
/// </summary>
public sealed class HostileSweep(HttpClient client, int seed, Func<Task<string>> snapshot)
{
    /// <summary>What ASP.NET Core writes in its own (English) messages; none may reach a client.</summary>
    private static readonly string[] FrameworkPhrases =
    [
        "Failed to", "Required parameter", "Implicit body", "Expected a supported JSON media type", "request body",
        "Request body", "Unexpected end", "One or more validation errors", "An error occurred", "inner exception",
        "Exception", "was not provided", "is not a valid", "could not be converted", "The JSON value",
    ];

    private readonly List<(string Kind, string Text)> _failures = [];
    private readonly SortedDictionary<string, int> _sent = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, int> _statuses = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public int Sent => _sent.Values.Sum();

    public int Failures => _failures.Count;

    /// <summary>Sends <paramref name="request"/> and checks the answer.</summary>
    /// <param name="endpoint">For the summary: <c>POST /api/v1/tickets</c>.</param>
    /// <param name="verifyAccepted">For a 2xx answer: null when all is well, else what is wrong.</param>
    public async Task<HostileAnswer?> SendAsync(string endpoint, HostileRequest request, Func<HostileAnswer, Task<string?>>? verifyAccepted = null)
    {
        var key = $"{endpoint} · {request.Category}";
        _sent[key] = _sent.GetValueOrDefault(key) + 1;
        var before = await snapshot();
        HostileAnswer answer;
        try
        {
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message);
            answer = new HostileAnswer(
                (int)response.StatusCode,
                response.Content.Headers.ContentType?.MediaType,
                await response.Content.ReadAsStringAsync(),
                response.Headers.Location,
                response.Headers);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Record(request, null, [$"the request failed: {ex.GetType().Name}: {ex.Message}"]);
            return null;
        }

        _statuses[answer.Status] = _statuses.GetValueOrDefault(answer.Status) + 1;
        var problems = new List<string>();
        if (answer.Status >= 500)
        {
            problems.Add($"server error {answer.Status}");
        }

        if (request.Expected is { } expected && !expected.Contains(answer.Status))
        {
            problems.Add($"status {answer.Status}, expected {string.Join(" or ", expected)}");
        }

        if (!answer.IsSuccess)
        {
            CheckProblem(request, answer, problems);
        }

        if (!answer.IsSuccess || request.Method == HttpMethod.Get)
        {
            var after = await snapshot();
            if (after != before)
            {
                problems.Add($"the database changed: {before} → {after}");
            }
        }
        else if (verifyAccepted is not null && await verifyAccepted(answer) is { } wrong)
        {
            problems.Add(wrong);
        }

        Record(request, answer, problems);
        return answer;
    }

    /// <summary>Fails the test with the seed and the first failing requests; prints what was covered.</summary>
    public void AssertClean(string service)
    {
        var summary = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{service}: {Sent} hostile requests, seed {seed}, {_clock.Elapsed.TotalSeconds:0.0} s")
            .AppendLine(CultureInfo.InvariantCulture, $"  statuses: {string.Join(", ", _statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        foreach (var (key, count) in _sent)
        {
            summary.AppendLine(CultureInfo.InvariantCulture, $"  {key}: {count}");
        }

        TestContext.Out.WriteLine(summary.ToString());
        if (_failures.Count > 0)
        {
            // Every failure in a file beside the results; the first ones in the message.
            var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"hostile-{service}-{seed}.txt");
            File.WriteAllText(file, string.Join("\n\n", _failures.Select(f => f.Text)));
            TestContext.AddTestAttachment(file);
            var byKind = _failures.GroupBy(f => f.Kind).OrderByDescending(g => g.Count()).Select(g => $"  {g.Count()}× {g.Key}");
            Assert.Fail($"{_failures.Count} of {Sent} hostile requests failed (seed {seed}; set TICKETHUB_HOSTILE_SEED to replay another seed; all in {file}).\n"
                + string.Join("\n", byKind) + "\n\nFirst ones:\n\n" + string.Join("\n\n", _failures.Take(15).Select(f => f.Text)));
        }
    }

    private static void CheckProblem(HostileRequest request, HostileAnswer answer, List<string> problems)
    {
        if (answer.MediaType != "application/problem+json")
        {
            problems.Add($"Content-Type {answer.MediaType ?? "(none)"}, not application/problem+json");
        }

        if (request.Method == HttpMethod.Head)
        {
            return;
        }

        JsonElement problem;
        try
        {
            problem = answer.Json();
        }
        catch (JsonException)
        {
            problems.Add("the body is not JSON");
            return;
        }

        if (problem.ValueKind != JsonValueKind.Object)
        {
            problems.Add("the body is not a JSON object");
            return;
        }

        if (!problem.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Number || status.GetInt32() != answer.Status)
        {
            problems.Add("\"status\" is not the HTTP status");
        }

        var title = problem.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (title != ProblemDetailsDefaults.TitleFor(answer.Status))
        {
            problems.Add($"title « {title} » is not the French title « {ProblemDetailsDefaults.TitleFor(answer.Status)} »");
        }

        var detail = problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (string.IsNullOrWhiteSpace(detail))
        {
            problems.Add("no \"detail\"");
        }
        else if (FrameworkPhrases.FirstOrDefault(phrase => detail.Contains(phrase, StringComparison.Ordinal)) is { } english)
        {
            problems.Add($"the detail is ASP.NET's English (« {english} »)");
        }

        if (!problem.TryGetProperty("traceId", out _))
        {
            problems.Add("no \"traceId\"");
        }
    }

    private void Record(HostileRequest request, HostileAnswer? answer, List<string> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var got = answer is null ? "" : $"\n  → {answer.Status} {answer.MediaType}: {HostileRequest.Printable(answer.Body, 400)}";
        var kind = $"{request.Method} {request.Category} → {answer?.Status.ToString(CultureInfo.InvariantCulture) ?? "exception"}: {problems[0].Split('«')[0].Split(':')[0]}";
        _failures.Add((kind, $"#{Sent} {request}{got}\n  ✗ {string.Join("\n  ✗ ", problems)}"));
    }
}
