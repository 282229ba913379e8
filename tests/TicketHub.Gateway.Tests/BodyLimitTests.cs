using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Gateway.Tests;

/// <summary>256 KB for every request, except the listed ones that carry attachments.</summary>
public sealed class BodyLimitTests
{
    private GatewayApp _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new GatewayApp(new Dictionary<string, string?> { ["Gateway:LargeBodyLimit"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    private static ByteArrayContent Body(int bytes, string mediaType = "application/octet-stream") => new(Encoding.ASCII.GetBytes(new string('x', bytes)))
    {
        Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType) },
    };

    private static ByteArrayContent Multipart(int bytes)
    {
        var body = Body(bytes);
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        return body;
    }

    /// <summary>A JSON ticket of <paramref name="bytes"/> bytes, sent chunked: no Content-Length for the gateway to check first.</summary>
    private sealed class ChunkedJson(int bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = Encoding.ASCII.GetBytes(new string('x', 16 * 1024));
            for (var sent = 0; sent < bytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Test]
    public async Task Body_over_256_KB_is_refused_with_a_French_413_before_forwarding()
    {
        using var client = _app.WithKey(Sandbox.AdminKey);
        var path = $"/api/v1/tickets/{Guid.NewGuid()}/comments";

        using var response = await client.PostAsync(path, Body(300 * 1024));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Requête trop volumineuse"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("256 Ko"));
        Assert.That(_app.Forwarded(path), Is.Empty);
    }

    [TestCase("/api/v1/tickets", TestName = "Ticket_creation_and_the_portals_form_may_carry_attachments_when_posting_to_the_API")]
    [TestCase("/demandes/nouvelle", TestName = "Ticket_creation_and_the_portals_form_may_carry_attachments_when_posting_the_portals_form")]
    [TestCase("/api/v1/tickets/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/comments", TestName = "A_comment_may_carry_attachments_when_posting_to_the_API")]
    [TestCase("/demandes/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", TestName = "A_comment_may_carry_attachments_when_posting_the_ticket_page")]
    public async Task Ticket_creation_and_the_portals_form_may_carry_attachments(string path)
    {
        using var client = _app.WithKey(Sandbox.AdminKey);

        using var response = await client.PostAsync(path, Multipart(600 * 1024));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_app.Forwarded(path).First().RequestMessage.BodyAsBytes, Has.Length.EqualTo(600 * 1024));
    }

    [Test]
    public async Task Attachments_over_the_large_limit_are_refused_with_413()
    {
        using var client = _app.WithKey(Sandbox.AdminKey);

        using var response = await client.PostAsync("/api/v1/tickets", Multipart(1024 * 1024 + 1));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("1 Mo"));
    }

    [Test]
    public async Task Large_limit_is_for_creation_only_not_for_other_methods_on_the_same_path()
    {
        using var client = _app.WithKey(Sandbox.AdminKey);

        using var response = await client.PutAsync("/api/v1/tickets", Body(300 * 1024));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task Json_ticket_over_256_KB_gets_the_gateways_413_without_being_forwarded()
    {
        using var client = _app.WithKey(Sandbox.AdminKey);
        var before = _app.Forwarded("/api/v1/tickets").Count;

        using var response = await client.PostAsync("/api/v1/tickets", Body(300 * 1024, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("256 Ko"));
        Assert.That(_app.Forwarded("/api/v1/tickets"), Has.Count.EqualTo(before));
    }

    [Test]
    public async Task Chunked_json_ticket_over_256_KB_gets_a_413_not_a_502()
    {
        // Kestrel itself, not the in-memory server: the limit on a body without Content-Length is Kestrel's.
        using var gateway = new GatewayApp();
        gateway.UseKestrel(0);
        gateway.StartServer();
        var address = gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Add("X-Api-Key", Sandbox.AdminKey);
        using var content = new ChunkedJson(400 * 1024);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/api/v1/tickets", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }
}
