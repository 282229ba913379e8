using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>What <c>AddHubAuthentication</c> gives a service: a token or 401, a role or 403, French answers.</summary>
public class HubAuthenticationTests
{
    private static async Task<WebApplication> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddHubAuthentication();
        var app = builder.Build();
        app.UseFrenchProblemDetails();
        app.UseHubAuthentication();
        app.MapGet("/quiconque", (HttpContext context) => context.HubUser().AuditName);
        app.MapGet("/admin", () => "ok").RequireHubRoles(HubRoles.Admin);
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    [Test]
    public async Task A_service_without_the_gateway_s_public_key_does_not_start_and_names_the_setting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new Dictionary<string, string?>()));

        Assert.That(error!.Message, Does.Contain("Identity:Token:PublicKey"));
    }

    [Test]
    public async Task Anonymous_requests_get_a_French_401_a_role_mismatch_a_French_403_health_stays_open()
    {
        await using var app = await StartAsync(TestIdentity.ServiceSettings);
        using var client = app.GetTestClient();

        using var anonymous = await client.GetAsync("/quiconque");
        using var health = await client.GetAsync("/health/live");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestIdentity.TokenFor(TestIdentity.Dispatcher));
        using var forbidden = await client.SendAsync(request);

        Assert.That((anonymous.StatusCode, health.StatusCode, forbidden.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.Forbidden)));
        var unauthorized = await anonymous.Content.ReadFromJsonAsync<JsonElement>();
        var refused = await forbidden.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(unauthorized.GetProperty("detail").GetString(), Does.Contain("Connectez-vous"));
        Assert.That(refused.GetProperty("title").GetString(), Is.EqualTo("Accès refusé"));
    }

    [Test]
    public async Task The_endpoint_sees_the_token_s_user()
    {
        await using var app = await StartAsync(TestIdentity.ServiceSettings);
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/quiconque");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestIdentity.TokenFor(TestIdentity.College("0931234X", "Claire Martin")));
        request.Headers.Add("X-TicketHub-User", "quelqu.un.d.autre");

        using var response = await client.SendAsync(request);

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Claire Martin (college)"));
    }
}
