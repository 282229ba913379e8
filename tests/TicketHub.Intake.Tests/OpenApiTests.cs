using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.Testing.OpenApi;

namespace TicketHub.Intake.Tests;

/// <summary>Intake's OpenAPI document, generated from its endpoints, describes all of them.</summary>
public sealed class OpenApiTests : IntakeFixture
{
    private async Task<JsonObject> DocumentAsync()
    {
        using var anonymous = Factory.CreateClient();
        using var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the document needs no token");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Test]
    public async Task Document_is_OpenAPI_3_1_and_describes_every_endpoint_parameter_and_status()
    {
        var document = await DocumentAsync();

        Assert.That(document["openapi"]!.GetValue<string>(), Does.StartWith("3.1"));
        Assert.That(OpenApiCoverage.Missing(Factory.Services, document), Is.Empty);
    }

    [Test]
    public async Task Ticket_creation_documents_its_body_its_202_and_its_French_refusals()
    {
        var operation = (await DocumentAsync())["paths"]!["/api/v1/tickets"]!["post"]!;

        Assert.That(operation["requestBody"]!["content"]!.AsObject().Select(c => c.Key), Is.SupersetOf(new[] { "application/json", "multipart/form-data" }));
        var responses = operation["responses"]!.AsObject();
        Assert.That(responses.Select(r => r.Key), Is.SupersetOf(new[] { "202", "400", "401", "403", "413", "415", "422", "429" }));
        var example = responses["422"]!["content"]!["application/problem+json"]!["example"]!;
        Assert.That(example["title"]!.GetValue<string>(), Is.EqualTo("Données invalides"));
        Assert.That(example["detail"]!.GetValue<string>(), Does.Contain("corrigez"));
    }

    [Test]
    public async Task Coverage_check_reports_a_missing_endpoint_parameter_or_status()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();
        paths.Remove("/api/v1/triage");
        var list = paths["/api/v1/tickets"]!["get"]!.AsObject();
        list["parameters"] = new JsonArray(list["parameters"]!.AsArray().Where(p => p!["name"]!.GetValue<string>() != "after").Select(p => p!.DeepClone()).ToArray());
        paths["/api/v1/tickets/{id}"]!["get"]!["responses"]!.AsObject().Remove("403");

        var missing = OpenApiCoverage.Missing(Factory.Services, document);

        Assert.That(missing, Has.Some.StartsWith("GET /api/v1/triage: no operation"));
        Assert.That(missing, Has.Some.EqualTo("GET /api/v1/tickets: parameter after (query)"));
        Assert.That(missing, Has.Some.EqualTo("GET /api/v1/tickets/{id}: status 403"));
    }

    [Test]
    public void Documented_example_ticket_is_one_the_parser_accepts()
    {
        using var json = System.Text.Json.JsonDocument.Parse(TicketHub.Intake.Tickets.TicketCreationRequest.Example.ToJsonString());

        var parsed = TicketHub.Intake.Tickets.TicketRequestParser.Parse(json.RootElement);

        Assert.That(parsed.Errors, Is.Null);
    }
}
