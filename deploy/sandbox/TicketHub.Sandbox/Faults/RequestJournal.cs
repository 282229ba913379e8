using System.Collections.Concurrent;

namespace TicketHub.Sandbox.Faults;

/// <summary>A call an emulated tool's API received, as its access log would show it.</summary>
/// <param name="Operation">iTop's <c>json_data</c> (its operation and OQL), cut at 500 characters; null elsewhere.</param>
internal sealed record JournalEntry(DateTimeOffset At, string Method, string Path, string Query, string? UserAgent, string? Operation);

/// <summary>
/// The calls each emulated tool's API received (the last 100,000 per tool), kept where faults are
/// injected and read at <c>/{tool}/_sandbox/requests</c>: who called, when, for what. The replica
/// tests use it to see which connector replica polled a tool, by the <c>User-Agent</c> each sends.
/// </summary>
internal sealed class RequestJournal
{
    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<JournalEntry>> _entries = new(StringComparer.Ordinal);

    public async Task RecordAsync(string tool, HttpContext http, TimeProvider clock)
    {
        var request = http.Request;
        string? operation = null;
        // An urlencoded form only (iTop's calls): read once, ASP.NET Core keeps it for the handler.
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            && (await request.ReadFormAsync(http.RequestAborted)).TryGetValue("json_data", out var json))
        {
            var text = json.ToString();
            operation = text.Length > 500 ? text[..500] : text;
        }

        var queue = _entries.GetOrAdd(tool, _ => new ConcurrentQueue<JournalEntry>());
        queue.Enqueue(new JournalEntry(clock.GetUtcNow(), request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null, operation));
        while (queue.Count > Capacity)
        {
            queue.TryDequeue(out _);
        }
    }

    public IReadOnlyList<JournalEntry> Of(string tool) =>
        _entries.TryGetValue(tool, out var queue) ? [.. queue] : [];
}
