using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.Testing.OpenApi;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary>The classifier's OpenAPI document, generated from its endpoints, describes all of them.</summary>
public sealed class OpenApiTests
{
    [Test]
    public async Task Document_is_OpenAPI_3_1_and_describes_every_endpoint_parameter_and_status()
    {
        using var factory = new ClassifierFactory(RepoFiles.SeedCsv);
        using var anonymous = factory.CreateClient();

        using var response = await anonymous.GetAsync("/openapi/v1.json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var document = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(document["openapi"]!.GetValue<string>(), Does.StartWith("3.1"));
        Assert.That(OpenApiCoverage.Missing(factory.Services, document), Is.Empty);
    }
}
