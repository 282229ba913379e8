using System.Net;

namespace TicketHub.Gateway.Tests;

/// <summary>API answers hold tickets and people: no cache keeps them.</summary>
public sealed class CachingTests
{
    private GatewayApp _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new GatewayApp();

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    [TestCase("X", "/api/v1/categories", HttpStatusCode.OK, TestName = "Api_answer_forwarded_from_a_service_is_marked_no_store")]
    [TestCase(null, "/api/v1/categories", HttpStatusCode.Unauthorized, TestName = "Gateways_own_401_is_marked_no_store")]
    [TestCase("X", "/api/v1/nulle-part", HttpStatusCode.NotFound, TestName = "Gateways_own_404_is_marked_no_store")]
    public async Task Api_answers_are_marked_no_store(string? key, string path, HttpStatusCode status)
    {
        using var client = _app.WithKey(key is null ? null : Sandbox.AdminKey);

        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True, response.Headers.CacheControl?.ToString());
    }
}
