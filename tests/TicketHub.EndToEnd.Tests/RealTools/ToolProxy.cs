using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TicketHub.EndToEnd.Tests.Infrastructure;

namespace TicketHub.RealTools;

/// <summary>A request the proxy saw: what a rule matches on.</summary>
public sealed record ProxiedRequest(string Method, string PathAndQuery, string Body)
{
    /// <summary>When the proxy received it.</summary>
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The connector's headers (GLPI's <c>Session-Token</c>, for one), by name, case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The tool's status code, once it answered (null before, or when the tool never did).</summary>
    public HttpStatusCode? Status { get; internal set; }
}

/// <summary>
/// A request the proxy caught: the tool has answered it (so the tool did the work), and the answer
/// waits here until the test lets it through or cuts the connection. That is the window in which a
/// connector killed now has done something in the tool without having recorded it.
/// </summary>
public sealed class HeldResponse
{
    private readonly TaskCompletionSource<ProxiedRequest> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _decision = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal HeldResponse(Func<ProxiedRequest, bool> matches) => Matches = matches;

    internal Func<ProxiedRequest, bool> Matches { get; }

    /// <summary>The tool's answer to a matching request, with that request (the tool acted on it).</summary>
    public Task<ProxiedRequest> Reached => _reached.Task;

    /// <summary>The tool's status code for the held request.</summary>
    public HttpStatusCode ToolStatus { get; private set; }

    /// <summary>The tool's body for the held request.</summary>
    public string ToolBody { get; private set; } = "";

    /// <summary>Lets the answer through to the connector.</summary>
    public void Release() => _decision.TrySetResult(true);

    /// <summary>Cuts the connection instead: the connector never learns what the tool did.</summary>
    public void Drop() => _decision.TrySetResult(false);

    internal Task<bool> DecisionAsync(ProxiedRequest request, HttpStatusCode status, string body)
    {
        ToolStatus = status;
        ToolBody = body;
        _reached.TrySetResult(request);
        return _decision.Task;
    }
}

/// <summary>
/// An HTTP proxy in the test process between a connector and the real tool. It forwards every request
/// as it is; a rule (<see cref="Hold"/>) catches the first request that matches, forwards it, and keeps
/// the tool's answer until the test decides. Nothing else is changed: the tool is the real one.
/// </summary>
public sealed class ToolProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host", "Content-Length",
    };

    private readonly Uri _target;
    private readonly WebApplication _app;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(2) };
    private readonly ConcurrentQueue<HeldResponse> _rules = new();
    private readonly ConcurrentQueue<ProxiedRequest> _seen = new();

    /// <param name="target">The tool's origin, e.g. <c>http://127.0.0.1:8092</c>.</param>
    public ToolProxy(Uri target)
    {
        _target = target;
        Port = ServiceProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(ForwardAsync);
    }

    public int Port { get; }

    /// <summary>The proxy's origin: give it to the connector instead of the tool's.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>Every request forwarded so far, oldest first.</summary>
    public IReadOnlyList<ProxiedRequest> Seen => [.. _seen];

    public Task StartAsync() => _app.StartAsync();

    /// <summary>Catches the next request that <paramref name="matches"/>: its answer waits for the test's decision.</summary>
    public HeldResponse Hold(Func<ProxiedRequest, bool> matches)
    {
        var held = new HeldResponse(matches);
        _rules.Enqueue(held);
        return held;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var rule in _rules)
        {
            rule.Release();
        }

        await _app.DisposeAsync();
        _client.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.ToArray();
        var seen = new ProxiedRequest(request.Method, request.Path + request.QueryString, System.Text.Encoding.UTF8.GetString(bytes))
        {
            Headers = request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        };
        _seen.Enqueue(seen);

        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, seen.PathAndQuery));
        if (bytes.Length > 0 || request.ContentType is not null)
        {
            outgoing.Content = new ByteArrayContent(bytes);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!outgoing.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                outgoing.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var answer = await _client.SendAsync(outgoing, context.RequestAborted);
        var content = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted);
        seen.Status = answer.StatusCode;

        var rule = _rules.FirstOrDefault(candidate => !candidate.Reached.IsCompleted && candidate.Matches(seen));
        if (rule is not null && !await rule.DecisionAsync(seen, answer.StatusCode, System.Text.Encoding.UTF8.GetString(content)))
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await context.Response.Body.WriteAsync(content, context.RequestAborted);
    }
}
