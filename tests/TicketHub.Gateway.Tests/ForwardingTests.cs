using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Tests;

/// <summary>
/// What a service behind the gateway receives: the caller's identity as a valid internal token
/// (checked here with the public key, as a service does), and none of the identity headers a
/// client sent.
/// </summary>
public sealed class ForwardingTests
{
    private GatewayApp _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new GatewayApp();

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    private static async Task<ClaimsIdentity> ValidateAsync(string authorization)
    {
        Assert.That(authorization, Does.StartWith("Bearer "));
        var options = new InternalTokenOptions { PublicKey = TestIdentity.PublicKeyPem };
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(
            authorization["Bearer ".Length..], InternalTokens.ValidationParameters(options, InternalTokens.LoadPublicKey(options)));
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        return result.ClaimsIdentity;
    }

    [Test]
    public async Task API_key_caller_reaches_the_service_with_a_valid_token_carrying_its_role_and_UAI()
    {
        using var client = _app.WithKey(Sandbox.CollegeKey);
        var path = $"/api/v1/tickets/{Guid.NewGuid()}";

        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var identity = await ValidateAsync(_app.Forwarded(path).Single().RequestMessage.Headers!["Authorization"].Single());
        var user = HubUser.From(new ClaimsPrincipal(identity))!;
        Assert.Multiple(() =>
        {
            Assert.That(user.Role, Is.EqualTo(HubRoles.College));
            Assert.That(user.Uai, Is.EqualTo("0931234X"));
            Assert.That(user.IsApiKey, Is.True);
            Assert.That(user.Id, Is.EqualTo("key:sbxcollege"), "the key's id, never its secret");
            Assert.That(identity.FindFirst("iss")!.Value, Is.EqualTo("tickethub-gateway"));
            Assert.That(identity.FindFirst("aud")!.Value, Is.EqualTo("tickethub"));
            var lifetime = long.Parse(identity.FindFirst("exp")!.Value, System.Globalization.CultureInfo.InvariantCulture)
                - long.Parse(identity.FindFirst("iat")!.Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(lifetime, Is.EqualTo(300), "5 minutes");
        });
    }

    [Test]
    public async Task Signed_in_person_reaches_the_service_as_a_person_with_the_accounts_name()
    {
        using var browser = _app.Browser();
        (await GatewayApp.SignInAsync(browser, Sandbox.CollegeLogin, Sandbox.PasswordOf(Sandbox.CollegeLogin))).Dispose();
        var path = $"/api/v1/tickets/{Guid.NewGuid()}";

        using var response = await browser.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var user = HubUser.From(new ClaimsPrincipal(await ValidateAsync(_app.Forwarded(path).Single().RequestMessage.Headers!["Authorization"].Single())))!;
        Assert.That(user, Is.EqualTo(new HubUser("secretariat.0931234x", "Secrétariat – Collège Jean Moulin", HubRoles.College, "0931234X", false)));
    }

    [Test]
    public async Task Identity_headers_sent_by_a_client_are_removed_before_forwarding()
    {
        using var client = _app.WithKey(Sandbox.CollegeKey);
        var path = $"/api/v1/tickets/{Guid.NewGuid()}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-TicketHub-User", "admin");

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var headers = _app.Forwarded(path).Single().RequestMessage.Headers!;
        Assert.Multiple(() =>
        {
            Assert.That(headers.ContainsKey("X-TicketHub-User"), Is.False);
            Assert.That(headers.ContainsKey("X-Api-Key"), Is.False, "the key stays at the gateway");
            Assert.That(headers["Authorization"], Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Forged_bearer_token_from_a_client_is_not_forwarded_and_gives_no_access()
    {
        // A token signed with another key, claiming to be an administrator.
        var (otherKey, _) = InternalTokens.NewKeyPair();
        var forgeOptions = new InternalTokenOptions { SigningKey = otherKey };
        var forged = InternalTokens.Issue(TestIdentity.Admin, forgeOptions, InternalTokens.LoadSigningKey(forgeOptions), DateTimeOffset.UtcNow);
        using var client = _app.WithKey(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);
        var portalPath = $"/demandes/{Guid.NewGuid():N}";

        using var api = await client.GetAsync("/api/v1/admin/dead-letters");
        using var portal = await client.GetAsync(portalPath);

        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the gateway never trusts a client's bearer token");
        Assert.That(portal.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_app.Forwarded(portalPath).Single().RequestMessage.Headers!.ContainsKey("Authorization"), Is.False,
            "an anonymous request reaches the portal without any Authorization");
    }

    [Test]
    public async Task Anonymous_portal_request_passes_through_without_a_token()
    {
        using var client = _app.WithKey(null);
        var path = $"/demandes/nouvelle-{Guid.NewGuid():N}";

        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("upstream"));
        Assert.That(_app.Forwarded(path).Single().RequestMessage.Headers!.ContainsKey("Authorization"), Is.False);
    }

    [Test]
    public async Task Rule_set_is_served_by_the_classifier_through_the_gateway()
    {
        using var client = _app.WithKey(Sandbox.KeyFor("dispatcher"));

        using var response = await client.GetAsync("/api/v1/ruleset");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_app.Forwarded("/api/v1/ruleset"), Is.Not.Empty);
    }
}
