using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Gateway.Identity.ApiKeys;

namespace TicketHub.Gateway.Tests;

/// <summary>
/// The coarse rules the gateway applies before forwarding (each service then applies the fine
/// ones): who may reach which route at all, and the 401 of an anonymous /api call.
/// </summary>
public sealed class AccessTests
{
    private GatewayApp _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new GatewayApp();

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    [TestCase("GET", "/api/v1/tickets/TH-2026-000001")]
    [TestCase("POST", "/api/v1/tickets")]
    [TestCase("GET", "/api/v1/categories")]
    [TestCase("GET", "/api/v1/colleges")]
    [TestCase("GET", "/api/v1/triage")]
    [TestCase("GET", "/api/v1/relay")]
    [TestCase("GET", "/api/v1/admin/dead-letters")]
    [TestCase("GET", "/api/v1/ruleset")]
    [TestCase("GET", "/api/v1/indicators")]
    [TestCase("GET", "/api/v1/visits/sheet?collegeUai=0931234X")]
    [TestCase("GET", "/api/v1/nothing-here")]
    [TestCase("GET", "/API/V1/ADMIN/dead-letters")]
    public async Task Anonymous_API_call_gets_a_French_401_at_the_gateway(string method, string path)
    {
        using var client = _app.WithKey(null);
        var before = _app.Upstream.LogEntries.Count();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Authentification requise"));
        Assert.That(_app.Upstream.LogEntries.Count(), Is.EqualTo(before), "nothing forwarded");
    }

    [TestCase("thk_sbxadmin_notTheRightSecretnotTheRightSecret00", TestName = "Bad_API_key_gets_401_when_the_secret_is_wrong")]
    [TestCase("thk_nosuchkey_9CeiLdfxlTx7be9js4kYmxxKDWzobfTtHprtXXMw", TestName = "Bad_API_key_gets_401_when_the_id_is_unknown")]
    [TestCase("9CeiLdfxlTx7be9js4kYmxxKDWzobfTtHprtXXMw", TestName = "Bad_API_key_gets_401_when_malformed")]
    [TestCase("thk_sbxadmin_short", TestName = "Bad_API_key_gets_401_when_the_secret_is_too_short")]
    public async Task Bad_API_key_gets_401(string key)
    {
        using var client = _app.WithKey(key);

        using var response = await client.GetAsync("/api/v1/categories");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Revoked_API_key_is_refused_from_the_next_request()
    {
        using var scope = _app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
        var key = ApiKeyFormat.New("revokedsoon");
        if (!ApiKeyFormat.TryParse(key, out var id, out var secret))
        {
            Assert.Fail("a new key has the key format");
            return;
        }

        await keys.CreateIfMissingAsync(new ApiKey(id, "Clé à révoquer", "admin", null, ApiKeyFormat.Hash(secret), DateTimeOffset.UtcNow, null, false), CancellationToken.None);
        using var client = _app.WithKey(key);
        using (var before = await client.GetAsync("/api/v1/categories"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await keys.RevokeAsync(id, CancellationToken.None);
        using var after = await client.GetAsync("/api/v1/categories");

        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Using_a_key_records_when_it_was_last_used()
    {
        using var client = _app.WithKey(Sandbox.KeyFor("omere"));
        using var response = await client.GetAsync("/api/v1/categories");

        var key = await _app.Services.GetRequiredService<ApiKeyStore>().FindAsync("sbxomere", CancellationToken.None);
        Assert.That(key!.LastUsedAt, Is.Not.Null.And.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5)));
    }

    // method, path, roles allowed (others get 403)
    [TestCase("GET", "/api/v1/admin/dead-letters", "admin")]
    [TestCase("POST", "/api/v1/admin/dead-letters/1/replay", "admin")]
    [TestCase("GET", "/api/v1/triage", "dispatcher,admin")]
    [TestCase("GET", "/api/v1/relay", "rectorat,omere,admin")]
    [TestCase("POST", "/api/v1/relay/42/ack", "rectorat,omere,admin")]
    [TestCase("PUT", "/api/v1/colleges/0931234X", "admin")]
    [TestCase("POST", "/api/v1/colleges/import", "admin")]
    [TestCase("GET", "/api/v1/colleges/0931234X", "college,infogerant,rectorat,omere,dispatcher,admin")]
    [TestCase("GET", "/api/v1/colleges", "college,infogerant,rectorat,omere,dispatcher,admin")]
    [TestCase("GET", "/api/v1/categories", "college,infogerant,rectorat,omere,dispatcher,admin")]
    [TestCase("GET", "/api/v1/ruleset", "college,infogerant,rectorat,omere,dispatcher,admin")]
    [TestCase("GET", "/api/v1/indicators", "college,infogerant,rectorat,omere,dispatcher,admin")]
    [TestCase("POST", "/api/v1/suggestions", "college,infogerant,rectorat,omere,dispatcher,admin")]
    [TestCase("GET", "/api/v1/visits/sheet?ut=UT1", "infogerant,dispatcher,admin")]
    [TestCase("PUT", "/api/v1/visits/6f1c1e52-3a52-4c5e-9d1a-2b7c8e9f0a11", "infogerant,dispatcher,admin")]
    [TestCase("POST", "/api/v1/tickets", "college,infogerant,rectorat,omere,dispatcher,admin")]
    [TestCase("POST", "/api/v1/tickets/abc/reroute", "college,infogerant,rectorat,omere,dispatcher,admin")]
    public async Task Each_role_reaches_only_the_routes_it_may(string method, string path, string allowed)
    {
        var allowedRoles = allowed.Split(',');
        var outcomes = new Dictionary<string, HttpStatusCode>();
        foreach (var (role, key) in new[] { "college", "infogerant", "rectorat", "omere", "dispatcher", "admin" }.Select(r => (r, Sandbox.KeyFor(r))))
        {
            using var client = _app.WithKey(key);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = JsonContent.Create(new { });
            }

            using var response = await client.SendAsync(request);
            outcomes[role] = response.StatusCode;
        }

        var expected = outcomes.Keys.ToDictionary(role => role, role => allowedRoles.Contains(role) ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
        Assert.That(outcomes, Is.EqualTo(expected));
    }

    [TestCase("/api/v1/tickets", "intake")]
    [TestCase("/api/v1/tickets/TH-2026-000001/comments", "intake")]
    [TestCase("/api/v1/triage", "intake")]
    [TestCase("/api/v1/relay", "intake")]
    [TestCase("/api/v1/admin/dead-letters", "intake")]
    [TestCase("/api/v1/notifications/preferences", "intake")]
    [TestCase("/api/v1/indicators", "intake")]
    [TestCase("/api/v1/visits/sheet", "intake")]
    [TestCase("/api/v1/visits/6f1c1e52-3a52-4c5e-9d1a-2b7c8e9f0a11", "intake")]
    [TestCase("/api/v1/suggestions", "classifier")]
    [TestCase("/api/v1/categories", "classifier")]
    [TestCase("/api/v1/colleges/0931234X", "classifier")]
    public void Each_API_has_a_route_to_its_service_not_to_the_portal(string path, string service)
    {
        var routes = _app.Services.GetRequiredService<Yarp.ReverseProxy.Configuration.IProxyConfigProvider>().GetConfig().Routes;

        // The portal's catch-all aside (it comes last: Order 1000), the routes that take this path.
        var matching = routes.Where(route => route.Match.Path is { } pattern && pattern != "/{**rest}"
            && (pattern == path || (pattern.EndsWith("/{**rest}", StringComparison.Ordinal) && (path + "/").StartsWith(pattern[..^"{**rest}".Length], StringComparison.Ordinal))))
            .Select(route => route.ClusterId)
            .Distinct()
            .ToList();

        Assert.That(matching, Is.EqualTo(new[] { service }), "a path no route names falls to the portal, which answers 404");
    }

    [Test]
    public async Task Refusal_by_role_is_a_French_403_problem_and_nothing_is_forwarded()
    {
        using var client = _app.WithKey(Sandbox.CollegeKey);
        var before = _app.Upstream.LogEntries.Count();

        using var response = await client.GetAsync("/api/v1/admin/dead-letters");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Accès refusé"));
        Assert.That(_app.Upstream.LogEntries.Count(), Is.EqualTo(before));
    }

    [Test]
    public async Task Role_rules_hold_whatever_the_case_of_the_path()
    {
        using var client = _app.WithKey(Sandbox.CollegeKey);

        using var response = await client.GetAsync("/Api/V1/Admin/Dead-Letters");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Unknown_API_path_is_a_French_404_for_an_authenticated_caller_and_never_reaches_the_portal()
    {
        using var client = _app.WithKey(Sandbox.AdminKey);

        using var response = await client.GetAsync("/api/v1/nothing-here");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(_app.Forwarded("/api/v1/nothing-here"), Is.Empty);
    }

    [Test]
    public async Task Health_answers_without_credentials()
    {
        using var client = _app.WithKey(null);

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the database answers");
    }
}
