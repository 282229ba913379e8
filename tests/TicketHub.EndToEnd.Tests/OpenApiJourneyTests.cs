using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.EndToEnd.Tests.Infrastructure;

namespace TicketHub.EndToEnd.Tests;

/// <summary>
/// The gateway publishes one OpenAPI 3.1 document for the whole public API, merged from what intake
/// and the classifier generate from their endpoints (each checked against its endpoints in its own
/// tests), and a readable page of it. Nothing a service describes may be lost on the way.
/// </summary>
public sealed class OpenApiJourneyTests
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    private static async Task<JsonObject> GetDocumentAsync(Uri address)
    {
        using var client = new HttpClient { BaseAddress = address };
        using var response = await client.GetAsync(address.AbsolutePath.EndsWith(".json", StringComparison.Ordinal) ? address : new Uri(address, "openapi/v1.json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{address}: no key, no session, still served");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Test]
    public async Task Gateway_publishes_every_operation_parameter_and_status_that_intake_and_the_classifier_describe()
    {
        var published = await GetDocumentAsync(new Uri(HubSystem.Gateway.BaseAddress, "api/v1/openapi.json"));
        var missing = new List<string>();

        foreach (var service in new[] { HubSystem.Intake, HubSystem.Classifier })
        {
            var own = await GetDocumentAsync(service.BaseAddress);
            foreach (var (path, item) in own["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
            {
                foreach (var method in Methods.Where(m => item![m] is not null))
                {
                    var name = $"{method.ToUpperInvariant()} {path}";
                    if (published["paths"]?[path]?[method] is not JsonObject operation)
                    {
                        missing.Add($"{name}: no operation");
                        continue;
                    }

                    var parameters = (operation["parameters"]?.AsArray() ?? []).Select(p => $"{p!["in"]}:{p["name"]}").ToHashSet();
                    missing.AddRange((item![method]!["parameters"]?.AsArray() ?? []).Select(p => $"{p!["in"]}:{p["name"]}")
                        .Where(p => !parameters.Contains(p)).Select(p => $"{name}: parameter {p}"));
                    var statuses = operation["responses"]!.AsObject().Select(r => r.Key).ToHashSet();
                    missing.AddRange(item[method]!["responses"]!.AsObject().Select(r => r.Key).Where(s => !statuses.Contains(s)).Select(s => $"{name}: status {s}"));
                }
            }
        }

        Assert.That(published["openapi"]!.GetValue<string>(), Does.StartWith("3.1"));
        Assert.That(published["components"]!["securitySchemes"]!["apiKey"]!["name"]!.GetValue<string>(), Is.EqualTo("X-Api-Key"));
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public async Task Every_api_route_of_the_gateway_leads_to_a_described_operation()
    {
        var published = await GetDocumentAsync(new Uri(HubSystem.Gateway.BaseAddress, "api/v1/openapi.json"));
        var paths = published["paths"]!.AsObject().Select(p => p.Key).ToList();
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "gateway", "TicketHub.Gateway", "appsettings.json")))!;

        var undescribed = settings["ReverseProxy"]!["Routes"]!.AsObject()
            .Select(route => route.Value!["Match"]!["Path"]!.GetValue<string>())
            .Where(path => path.StartsWith("/api/", StringComparison.Ordinal))
            .Select(path => path.Replace("/{**rest}", "", StringComparison.Ordinal))
            .Where(prefix => !paths.Any(p => p == prefix || p.StartsWith(prefix + "/", StringComparison.Ordinal)))
            .ToList();

        Assert.That(undescribed, Is.Empty);
    }

    /// <summary>
    /// The other way round: an operation a service maps but the gateway does not route would reach the
    /// portal's catch-all and answer its 404 (found twice by hand: the indicators, the suggestions).
    /// Every operation of intake's and the classifier's own documents has a route to that service, for
    /// its method, in the gateway's settings.
    /// </summary>
    [Test]
    public async Task Every_operation_intake_and_the_classifier_describe_has_a_gateway_route_to_that_service()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "gateway", "TicketHub.Gateway", "appsettings.json")))!;
        var routes = settings["ReverseProxy"]!["Routes"]!.AsObject()
            .Select(route => (
                Path: route.Value!["Match"]!["Path"]!.GetValue<string>(),
                Methods: route.Value["Match"]!["Methods"]?.AsArray().Select(m => m!.GetValue<string>()).ToList(),
                Cluster: route.Value["ClusterId"]!.GetValue<string>()))
            .Where(route => route.Path != "/{**rest}")
            .ToList();
        var unrouted = new List<string>();

        foreach (var (service, cluster) in new[] { (HubSystem.Intake, "intake"), (HubSystem.Classifier, "classifier") })
        {
            var own = await GetDocumentAsync(service.BaseAddress);
            foreach (var (path, item) in own["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
            {
                foreach (var method in Methods.Where(m => item![m] is not null))
                {
                    var taking = routes.Where(r => Matches(r.Path, path) && (r.Methods is null || r.Methods.Contains(method, StringComparer.OrdinalIgnoreCase))).ToList();
                    if (!taking.Any(r => r.Cluster == cluster))
                    {
                        unrouted.Add($"{method.ToUpperInvariant()} {path} ({cluster}) goes to {(taking.Count == 0 ? "the portal" : string.Join(", ", taking.Select(r => r.Cluster)))}");
                    }
                }
            }
        }

        Assert.That(unrouted, Is.Empty);
    }

    /// <summary>A YARP path pattern against a path: <c>{name}</c> takes one segment, <c>{**rest}</c> what is left (none included).</summary>
    private static bool Matches(string pattern, string path)
    {
        var expected = pattern.Trim('/').Split('/');
        var actual = path.Trim('/').Split('/');
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].StartsWith("{**", StringComparison.Ordinal))
            {
                return true;
            }

            if (i >= actual.Length || !(expected[i].StartsWith('{') || string.Equals(expected[i], actual[i], StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return expected.Length == actual.Length;
    }

    [Test]
    public async Task Reference_page_shows_every_operation_with_its_French_answers()
    {
        var published = await GetDocumentAsync(new Uri(HubSystem.Gateway.BaseAddress, "api/v1/openapi.json"));
        using var client = new HttpClient { BaseAddress = HubSystem.Gateway.BaseAddress };

        using var page = await client.GetAsync("/api/v1/reference");
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        foreach (var (path, item) in published["paths"]!.AsObject())
        {
            foreach (var method in Methods.Where(m => item![m] is not null))
            {
                Assert.That(html, Does.Contain($"{method.ToUpperInvariant()} {path}"));
            }
        }

        Assert.That(html, Does.Contain("Accès refusé").Or.Contain("Authentification requise"));
    }
}
