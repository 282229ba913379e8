extern alias sandbox;

using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// The sandbox's iTop emulator, in memory, as the connector's iTop: the connector's HTTP clients
/// reach it through the test server, and every call it receives is counted by operation.
/// </summary>
internal sealed class SandboxItop : WebApplicationFactory<sandbox::Program>
{
    public const string AuthUser = "tickethub-rest";
    public const string AuthPassword = "sandbox-test-password";
    public const string RestUrl = "http://localhost/itop/webservices/rest.php";

    private readonly ConcurrentQueue<(DateTimeOffset At, string Operation, TimeSpan Duration)> _calls = new();

    public IReadOnlyList<(DateTimeOffset At, string Operation, TimeSpan Duration)> Calls => [.. _calls];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:Glpi:UserToken"] = "unused",
            ["Sandbox:Itop:AuthUser"] = AuthUser,
            ["Sandbox:Itop:AuthPassword"] = AuthPassword,
            ["Sandbox:Itop:TimeZone"] = "Europe/Paris",
        }));
    }

    /// <summary>Settings that point a connector at this emulator.</summary>
    public static Dictionary<string, string?> ConnectorSettings(string interval = "00:00:00.1") => new()
    {
        ["Itop:BaseUrl"] = RestUrl,
        ["Itop:PublicUrl"] = "http://localhost/itop",
        ["Itop:AuthUser"] = AuthUser,
        ["Itop:AuthPassword"] = AuthPassword,
        ["Itop:Sync:Interval"] = interval,
    };

    /// <summary>Sends the connector's iTop calls to this emulator, counting them (its reads of intake's files go where they were going).</summary>
    public void Serve(IServiceCollection connector) =>
        connector.ConfigureAll<HttpClientFactoryOptions>(options => options.HttpMessageHandlerBuilderActions.Add(handlers =>
        {
            if (handlers.Name != TicketHub.Connectors.Shared.Attachments.AttachmentSourceExtensions.ClientName)
            {
                handlers.PrimaryHandler = new CountingHandler(this) { InnerHandler = Server.CreateHandler() };
            }
        }));

    /// <summary>Every request, as the sandbox's script endpoint lists them.</summary>
    public async Task<JsonElement[]> RequestsAsync()
    {
        using var client = CreateClient();
        return await client.GetFromJsonAsync<JsonElement[]>(new Uri("/itop/_sandbox/tickets", UriKind.Relative)) ?? [];
    }

    /// <summary>Plays the technician: a stimulus (with its solution or reason) on request <paramref name="id"/>.</summary>
    public async Task StimulusAsync(int id, string stimulus, string? text = null)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync(new Uri($"/itop/_sandbox/tickets/{id}/stimulus", UriKind.Relative), new { stimulus, text });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Plays the technician: an answer in the public log of request <paramref name="id"/>.</summary>
    public async Task ReplyAsync(int id, string message)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync(new Uri($"/itop/_sandbox/tickets/{id}/log", UriKind.Relative), new { message });
        response.EnsureSuccessStatusCode();
    }

    private sealed class CountingHandler(SandboxItop sandbox) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var json = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(form).TryGetValue("json_data", out var data) ? data.ToString() : "{}";
            using var document = JsonDocument.Parse(json);
            var operation = document.RootElement.TryGetProperty("operation", out var value) ? value.GetString() ?? "" : "";
            var at = DateTimeOffset.UtcNow;
            var response = await base.SendAsync(request, cancellationToken);
            sandbox._calls.Enqueue((at, operation, DateTimeOffset.UtcNow - at));
            return response;
        }
    }
}
