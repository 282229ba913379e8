using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Sandbox.Tests;

/// <summary>The sandbox in memory, its clock in the test's hands.</summary>
internal sealed class SandboxApp(Dictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string AppToken = "sandbox-test-app-token";
    public const string UserToken = "sandbox-test-user-token";
    public const string Api = "/glpi/apirest.php";

    /// <summary>Bearer tokens of the emulated PASS and Omère, by tool key.</summary>
    public static readonly IReadOnlyDictionary<string, string> ToolTokens = new Dictionary<string, string>
    {
        ["pass"] = "sandbox-test-pass-token",
        ["omere"] = "sandbox-test-omere-token",
    };

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var values = new Dictionary<string, string?>
        {
            ["Sandbox:Glpi:AppToken"] = AppToken,
            ["Sandbox:Glpi:UserToken"] = UserToken,
            ["Sandbox:Glpi:SessionLifetime"] = "00:30:00",
            ["Sandbox:Glpi:TimeZone"] = "Europe/Paris",
            ["Sandbox:Pass:ApiToken"] = ToolTokens["pass"],
            ["Sandbox:Omere:ApiToken"] = ToolTokens["omere"],
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(values));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A client of PASS's or Omère's API (<c>/{tool}/api/</c>), sending the tool's Bearer token.</summary>
    public HttpClient ToolClient(string tool)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://localhost/{tool}/api/") });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ToolTokens[tool]);
        return client;
    }

    /// <summary>A client that sends the App-Token, and a session's token once <see cref="LogInAsync"/> ran.</summary>
    public async Task<HttpClient> LogInAsync()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("App-Token", AppToken);
        using var login = new HttpRequestMessage(HttpMethod.Get, $"{Api}/initSession");
        login.Headers.TryAddWithoutValidation("Authorization", "user_token " + UserToken);
        using var response = await client.SendAsync(login);
        response.EnsureSuccessStatusCode();
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Add("Session-Token", session.GetProperty("session_token").GetString());
        return client;
    }
}

internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

internal static class HttpAssertions
{
    /// <summary>Asserts GLPI's error answer: the status and <c>["CODE", "message…"]</c>.</summary>
    public static async Task<string> AssertGlpiErrorAsync(this HttpResponseMessage response, int status, string code)
    {
        Assert.That((int)response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(body[0].GetString(), Is.EqualTo(code));
        return body[1].ValueKind == JsonValueKind.String ? body[1].GetString()! : body[1].GetRawText();
    }
}
