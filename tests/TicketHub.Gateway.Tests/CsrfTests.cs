using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace TicketHub.Gateway.Tests;

/// <summary>An API write authenticated by the session cookie needs the custom header a foreign page cannot add.</summary>
public sealed class CsrfTests
{
    private GatewayApp _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new GatewayApp();

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    private static StringContent Comment() => new("{\"text\":\"bonjour\"}", Encoding.UTF8, "application/json");

    [Test]
    public async Task Cookie_authenticated_api_write_without_the_csrf_header_is_refused_with_a_French_403_and_not_forwarded()
    {
        using var browser = _app.Browser();
        (await GatewayApp.SignInAsync(browser, Sandbox.CollegeLogin, Sandbox.PasswordOf(Sandbox.CollegeLogin))).Dispose();
        var path = $"/api/v1/tickets/{Guid.NewGuid()}/comments";

        using var response = await browser.PostAsync(path, Comment());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("X-TicketHub-Csrf"));
        Assert.That(_app.Forwarded(path), Is.Empty);
    }

    [Test]
    public async Task Cookie_authenticated_api_write_with_the_csrf_header_is_forwarded()
    {
        using var browser = _app.Browser();
        (await GatewayApp.SignInAsync(browser, Sandbox.CollegeLogin, Sandbox.PasswordOf(Sandbox.CollegeLogin))).Dispose();
        var path = $"/api/v1/tickets/{Guid.NewGuid()}/comments";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Comment() };
        request.Headers.Add("X-TicketHub-Csrf", "1");

        using var response = await browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_app.Forwarded(path), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Cookie_authenticated_api_read_and_api_key_write_need_no_csrf_header()
    {
        using var browser = _app.Browser();
        (await GatewayApp.SignInAsync(browser, Sandbox.CollegeLogin, Sandbox.PasswordOf(Sandbox.CollegeLogin))).Dispose();
        using var script = _app.WithKey(Sandbox.CollegeKey);

        using var read = await browser.GetAsync("/api/v1/categories");
        using var write = await script.PostAsync($"/api/v1/tickets/{Guid.NewGuid()}/comments", Comment());

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
