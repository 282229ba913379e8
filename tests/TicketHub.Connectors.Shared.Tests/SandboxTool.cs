extern alias sandbox;

using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// The sandbox's PASS emulator (the hub's contract, as strict as the contract says), in memory: the
/// connector's HTTP client reaches it through the test server, and every call is counted.
/// </summary>
internal sealed class SandboxTool : WebApplicationFactory<sandbox::Program>
{
    public const string Token = "sandbox-test-pass-token";

    private readonly ConcurrentQueue<(DateTimeOffset At, string Call, TimeSpan Duration)> _calls = new();

    public IReadOnlyList<(DateTimeOffset At, string Call, TimeSpan Duration)> Calls => [.. _calls];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:Pass:ApiToken"] = Token,
            ["Sandbox:Omere:ApiToken"] = "unused",
        }));
    }

    /// <summary>Settings that point the PASS connector at this emulator in http mode.</summary>
    public static Dictionary<string, string?> ConnectorSettings(string interval = "00:00:00.2") => new()
    {
        ["Pass:Delivery"] = "http",
        ["Pass:Http:BaseUrl"] = "http://localhost/pass/api",
        ["Pass:Http:ApiToken"] = Token,
        ["Pass:Sync:Enabled"] = "true",
        ["Pass:Sync:Interval"] = interval,
    };

    /// <summary>Sends the connector's calls to this emulator, counting them.</summary>
    public void Serve(IServiceCollection connector) =>
        connector.ConfigureAll<HttpClientFactoryOptions>(options => options.HttpMessageHandlerBuilderActions.Add(handlers =>
            handlers.PrimaryHandler = new CountingHandler(this) { InnerHandler = Server.CreateHandler() }));

    /// <summary>Every ticket, with what the hub sent and its messages, as the sandbox's script endpoint lists them.</summary>
    public async Task<JsonElement[]> TicketsAsync()
    {
        using var client = CreateClient();
        return await client.GetFromJsonAsync<JsonElement[]>(new Uri("/pass/_sandbox/tickets", UriKind.Relative)) ?? [];
    }

    /// <summary>Plays the technician: a new status for ticket <paramref name="id"/>.</summary>
    public Task StatusAsync(string id, string status) => PostAsync($"/pass/_sandbox/tickets/{id}/status", new { status });

    /// <summary>Plays the technician: a message on ticket <paramref name="id"/>.</summary>
    public Task ReplyAsync(string id, string body, bool isPublic = true) => PostAsync($"/pass/_sandbox/tickets/{id}/messages", new { body, @public = isPublic });

    private async Task PostAsync(string path, object body)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        response.EnsureSuccessStatusCode();
    }

    private sealed class CountingHandler(SandboxTool sandbox) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var at = DateTimeOffset.UtcNow;
            var response = await base.SendAsync(request, cancellationToken);
            var path = request.RequestUri!.AbsolutePath;
            var call = $"{request.Method} {(path.EndsWith("/messages", StringComparison.Ordinal) ? "messages" : request.RequestUri.Query.Contains("updatedSince", StringComparison.Ordinal) ? "changes" : "tickets")}";
            sandbox._calls.Enqueue((at, call, DateTimeOffset.UtcNow - at));
            return response;
        }
    }
}
