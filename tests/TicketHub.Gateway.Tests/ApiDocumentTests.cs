using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.Gateway.OpenApi;

namespace TicketHub.Gateway.Tests;

/// <summary>The gateway's merge of the services' OpenAPI documents (the end-to-end tests check it against the real services).</summary>
public sealed class ApiDocumentTests
{
    [Test]
    public async Task Api_description_is_a_French_503_when_a_service_does_not_give_its_own()
    {
        // The test upstream answers "upstream" to everything: not an OpenAPI document.
        using var app = new GatewayApp();
        using var anonymous = app.WithKey(null);

        using var response = await anonymous.GetAsync("/api/v1/openapi.json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("description de l'API"));
    }

    [Test]
    public void Merge_keeps_every_api_path_and_schema_of_each_service_and_says_how_to_sign_in()
    {
        JsonObject Service(string path, string schema) => new()
        {
            ["openapi"] = "3.1.1",
            ["paths"] = new JsonObject { [path] = new JsonObject { ["get"] = new JsonObject() }, ["/health/live"] = new JsonObject() },
            ["components"] = new JsonObject { ["schemas"] = new JsonObject { [schema] = new JsonObject { ["type"] = "object" } } },
        };

        var merged = ApiDocumentSource.Merge([Service("/api/v1/tickets", "TicketView"), Service("/api/v1/colleges", "College")]);

        Assert.That(merged["openapi"]!.GetValue<string>(), Is.EqualTo("3.1.1"));
        Assert.That(merged["paths"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "/api/v1/tickets", "/api/v1/colleges" }), "only /api");
        Assert.That(merged["components"]!["schemas"]!.AsObject().Select(s => s.Key), Is.EquivalentTo(new[] { "TicketView", "College" }));
        Assert.That(merged["components"]!["securitySchemes"]!["apiKey"]!["name"]!.GetValue<string>(), Is.EqualTo("X-Api-Key"));
    }
}
