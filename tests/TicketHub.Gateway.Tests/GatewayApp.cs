using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TicketHub.Gateway.Tests;

/// <summary>
/// The gateway on a temporary SQLite file, seeded with the sandbox's accounts and keys
/// (deploy/sandbox/identity.json), signing with the test key of <see cref="TestIdentity"/>, and
/// one WireMock server standing for intake, the classifier and the portal: it answers 200 to
/// everything and records what the gateway forwarded.
/// </summary>
internal sealed partial class GatewayApp : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-tests-").FullName;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public GatewayApp(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        Upstream = WireMockServer.Start();
        Upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("upstream"));
    }

    /// <summary>Intake, the classifier and the portal, all at once.</summary>
    public WireMockServer Upstream { get; }

    public CapturedLogs Logs { get; } = new();

    public string DatabasePath => Path.Combine(_folder, "gateway.db");

    public static string SeedFile => Path.Combine(RepoRoot, "deploy", "sandbox", "identity.json");

    public static string RepoRoot { get; } = TicketHub.Testing.Repository.Root;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Identity:SeedFile", SeedFile);
        builder.UseSetting("Identity:DataProtectionKeysFolder", Path.Combine(_folder, "keys"));
        builder.UseSetting("Identity:LoginRateLimit:PerIp", "10000");
        builder.UseSetting("Identity:LoginRateLimit:PerLogin", "10000");
        foreach (var (key, value) in TestIdentity.GatewaySettings)
        {
            builder.UseSetting(key, value);
        }

        foreach (var cluster in new[] { "intake", "classifier", "portal" })
        {
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:primary:Address", Upstream.Url + "/");
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    /// <summary>A client as a browser is on https: Secure cookies come back; no redirect is followed.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    });

    /// <summary>A client with an API key (or none).</summary>
    public HttpClient WithKey(string? key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>GET /connexion, then POST it filled in; the answer to the POST.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string login, string password, string? retour = null)
    {
        var token = await FormTokenAsync(browser, retour);
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["login"] = login,
            ["password"] = password,
        };
        if (retour is not null)
        {
            fields["retour"] = retour;
        }

        return await browser.PostAsync("/connexion", new FormUrlEncodedContent(fields));
    }

    /// <summary>The antiforgery token of the sign-in page (its cookie stays in the browser).</summary>
    public static async Task<string> FormTokenAsync(HttpClient browser, string? retour = null)
    {
        using var page = await browser.GetAsync(retour is null ? "/connexion" : $"/connexion?retour={Uri.EscapeDataString(retour)}");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var html = await page.Content.ReadAsStringAsync();
        return TokenField().Match(html).Groups[1].Value;
    }

    /// <summary>What the upstream received for <paramref name="path"/> (path and query), last first.</summary>
    public IReadOnlyList<WireMock.Logging.ILogEntry> Forwarded(string path) =>
        Upstream.LogEntries.Where(e => e.RequestMessage.Path == path).Reverse().ToList();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Upstream.Stop();
            Upstream.Dispose();
            SqliteConnection.ClearAllPools();
            TicketHub.Testing.TempFolder.Delete(_folder);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

/// <summary>The sandbox's fixed credentials, read from deploy/sandbox/identity.json.</summary>
internal static class Sandbox
{
    private static readonly System.Text.Json.Nodes.JsonObject Seed =
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(GatewayApp.SeedFile))!.AsObject();

    public const string CollegeLogin = "secretariat.0931234x";
    public const string AdminLogin = "admin";

    public static string AdminKey => KeyFor("admin");

    public static string CollegeKey => KeyFor("college");

    /// <summary>The key of <paramref name="role"/> (the collège one is bound to 0931234X).</summary>
    public static string KeyFor(string role) =>
        Seed["apiKeys"]!.AsArray().First(k => k!["role"]!.GetValue<string>() == role)!["key"]!.GetValue<string>();

    public static string PasswordOf(string login) =>
        Seed["accounts"]!.AsArray().First(a => a!["login"]!.GetValue<string>() == login)!["password"]!.GetValue<string>();

    public static IEnumerable<string> AllSecrets =>
        Seed["accounts"]!.AsArray().Select(a => a!["password"]!.GetValue<string>())
            .Concat(Seed["apiKeys"]!.AsArray().Select(k => k!["key"]!.GetValue<string>()));
}
